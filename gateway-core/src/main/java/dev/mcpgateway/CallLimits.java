package dev.mcpgateway;

import java.time.Duration;
import java.util.Objects;

/**
 * How many tool calls the gateway lets be in flight, so an overload is answered instead of queued without end:
 * beyond {@code maxInFlight} a call waits at most {@code maxWait} for another to finish (at most
 * {@code maxInFlight} calls wait), then fails with {@code OVERLOADED} (-32006); an instance with
 * {@code maxInFlightPerInstance} calls in flight takes no more, so the call goes to another instance, or fails the
 * same way when every instance is full. Retries (of calls that never reached a plugin, or of read-only and idempotent
 * tools whose connection broke) are limited to {@code retryRatio} of the calls, so an outage cannot multiply load.
 *
 * @param maxInFlight            tool calls in flight through the whole gateway
 * @param maxInFlightPerInstance tool calls in flight on one plugin instance
 * @param maxWait                how long a call beyond {@code maxInFlight} waits for room; zero fails it at once
 * @param retryRatio             retries allowed per call in the long run (0 to 1), beyond a burst of 10
 */
public record CallLimits(int maxInFlight, int maxInFlightPerInstance, Duration maxWait, double retryRatio) {
    public CallLimits {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        if (maxInFlightPerInstance < 1) {
            throw new IllegalArgumentException("maxInFlightPerInstance must be at least 1, got " + maxInFlightPerInstance);
        }
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
        }
        if (!(retryRatio >= 0 && retryRatio <= 1)) {
            throw new IllegalArgumentException("retryRatio must be between 0 and 1 (0.2: a retry per five calls), got "
                    + retryRatio);
        }
    }

    /** The defaults: 10,000 calls in flight, 1,000 per instance, 1 s of waiting for room, retries up to 20 % of calls. */
    public static CallLimits defaults() {
        return new CallLimits(10_000, 1_000, Duration.ofSeconds(1), 0.2);
    }
}
