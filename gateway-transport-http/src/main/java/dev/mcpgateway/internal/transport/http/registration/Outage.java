package dev.mcpgateway.internal.transport.http.registration;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registration's failed attempts in a row, an outage: the backoff before the next attempt, one WARN when it begins
 * and one INFO when the gateway answers again, so a long outage does not flood the log. Used by one thread.
 */
public final class Outage {
    private static final Logger log = LoggerFactory.getLogger("dev.mcpgateway.transport.http.PluginRegistration");

    private final URI gateway;
    private final String instanceId;
    private final Backoff backoff;
    private boolean ongoing;
    private long startNanos;

    public Outage(URI gateway, String instanceId, Backoff backoff) {
        this.gateway = gateway;
        this.instanceId = instanceId;
        this.backoff = backoff;
    }

    /**
     * Notes a failed attempt at {@code doing} (e.g. "registering"), for the reason given.
     *
     * @return how long to wait before the next attempt
     */
    public Duration failed(String doing, String why) {
        Duration wait = backoff.next();
        if (!ongoing) {
            ongoing = true;
            startNanos = System.nanoTime();
            log.warn("Gateway {} failed {} instance {} ({}); retrying with backoff, quietly until it works again",
                    gateway, doing, instanceId, why);
        } else {
            log.debug("Gateway {} failed {} instance {} again ({}); next try in {} ms", gateway, doing, instanceId, why,
                    wait.toMillis());
        }
        return wait;
    }

    /** Notes a successful attempt: an outage, if any, ends, and the backoff starts over. */
    public void recovered() {
        if (ongoing) {
            ongoing = false;
            log.info("Gateway {} answers again after {} failed attempts in {} ms", gateway, backoff.failures(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }
        backoff.reset();
    }
}
