package dev.mcpgateway.internal.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which instance returned a plugin's own {@code requestState} in an {@code input_required} result: the retry that
 * carries it must reach the same instance (the state means something only there). Bounded in time and number.
 */
final class Pins {
    private static final Logger log = LoggerFactory.getLogger(Pins.class);
    /** Longer than any client plausibly takes to answer; the call's own retry fails cleanly after that. */
    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final int MAX = 100_000;

    private record Pin(String instanceId, long expiresAtNanos) {
    }

    private final Map<String, Pin> pins = new ConcurrentHashMap<>();

    /** Remembers the instance behind a state. */
    void put(String requestState, String instanceId) {
        if (pins.size() >= MAX) {
            forgetExpired();
            if (pins.size() >= MAX) {
                log.warn("{} input_required states are waiting for their retry; not pinning another (its retry may"
                        + " reach another instance)", MAX);
                return;
            }
        }
        pins.put(requestState, new Pin(instanceId, System.nanoTime() + LIFETIME.toNanos()));
    }

    /** The instance behind a state, or null if none is known. */
    String instanceOf(String requestState) {
        Pin pin = requestState == null ? null : pins.get(requestState);
        return pin == null ? null : pin.instanceId();
    }

    /** Forgets pins past their lifetime. */
    void forgetExpired() {
        long now = System.nanoTime();
        pins.values().removeIf(pin -> now - pin.expiresAtNanos() > 0);
    }
}
