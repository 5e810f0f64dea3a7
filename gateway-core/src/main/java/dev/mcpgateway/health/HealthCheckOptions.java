package dev.mcpgateway.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway's active health checks probe plugin instances: on by default, every instance with an established
 * connection is sent a {@link HealthProbe} every {@code interval}; {@code unhealthyThreshold} failures in a row take
 * it out of rotation, {@code healthyThreshold} successes in a row bring it back. Set once for the gateway with
 * {@code GatewayConfig.Builder.healthChecks(HealthCheckOptions)}, and per plugin with
 * {@code healthChecks(plugin, options)}.
 *
 * <p>Why the defaults (10 s interval, 3 s timeout, 1 s recheck, 2 failures): a probe fails at the latest a timeout
 * after it is sent, and after a failure the next probe follows a recheck interval later, so an instance that stops
 * answering is out of rotation within interval × (1 + jitter) + 2 × timeout + recheck = 11 + 6 + 1 = 18 s, less than
 * two intervals, while a single lost probe (a GC pause, a dropped packet) takes nothing out. Two successes to come
 * back keep a flapping instance from taking traffic on every other answer. Jitter spreads the probes of many
 * instances so they do not all fire at once. A crashed stdio process or a refused connection needs no probe: the
 * connection reports it at once; probes find what a connection cannot see, a server that is up but hung.
 *
 * @param enabled            whether instances are probed at all (default true)
 * @param interval           time between probes of one instance while they pass (default 10 s, at least 10 ms)
 * @param timeout            how long a probe may take before it counts as failed (default 3 s, or half the interval
 *                           when that is shorter); shorter than {@code interval}
 * @param recheckInterval    time to the next probe after one that disagrees with the instance's state, a failure
 *                           while it is up or a pass while it is down (default 1 s, or the interval when that is
 *                           shorter), so a change is confirmed quickly; at most {@code interval}
 * @param unhealthyThreshold failed probes in a row that take an instance out of rotation (default 2)
 * @param healthyThreshold   passed probes in a row that bring it back (default 2)
 * @param jitter             how far each interval may randomly stray, as a fraction of it: 0.1 is ±10 % (default;
 *                           0 to 0.5)
 * @param probe              what is sent (default {@link HealthProbe#protocol()}: {@code ping}, or
 *                           {@code server/discover} on 2026-07-28 sessions)
 */
public record HealthCheckOptions(boolean enabled, Duration interval, Duration timeout, Duration recheckInterval,
                                 int unhealthyThreshold, int healthyThreshold, double jitter, HealthProbe probe) {
    /** The shortest interval: probing faster would cost more than it finds. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(10);
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration DEFAULT_RECHECK = Duration.ofSeconds(1);
    private static final double MAX_JITTER = 0.5;

    public HealthCheckOptions {
        Objects.requireNonNull(interval, "interval: how often to probe, e.g. Duration.ofSeconds(10)");
        Objects.requireNonNull(timeout, "timeout: how long a probe may take, e.g. Duration.ofSeconds(3)");
        Objects.requireNonNull(recheckInterval, "recheckInterval: when to probe again after a failure, e.g. 1 s");
        Objects.requireNonNull(probe, "probe: use HealthProbe.protocol() for ping");
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("the health-check interval must be at least " + MIN_INTERVAL.toMillis()
                    + " ms, got " + interval.toMillis() + " ms");
        }
        if (!timeout.isPositive() || timeout.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("the health-check timeout must be positive and shorter than the interval ("
                    + interval.toMillis() + " ms), got " + timeout.toMillis() + " ms; shorten the timeout or lengthen"
                    + " the interval");
        }
        if (!recheckInterval.isPositive() || recheckInterval.compareTo(interval) > 0) {
            throw new IllegalArgumentException("the health-check recheck interval must be positive and at most the"
                    + " interval (" + interval.toMillis() + " ms), got " + recheckInterval.toMillis() + " ms");
        }
        if (unhealthyThreshold < 1) {
            throw new IllegalArgumentException("unhealthyThreshold (failed probes in a row before an instance is taken"
                    + " out of rotation) must be at least 1, got " + unhealthyThreshold);
        }
        if (healthyThreshold < 1) {
            throw new IllegalArgumentException("healthyThreshold (passed probes in a row before an instance is back in"
                    + " rotation) must be at least 1, got " + healthyThreshold);
        }
        if (!(jitter >= 0 && jitter <= MAX_JITTER)) {
            throw new IllegalArgumentException("the health-check jitter is a fraction of the interval between 0 and "
                    + MAX_JITTER + " (0.1: ±10 %), got " + jitter);
        }
    }

    /** The defaults: probing on, every 10 s, 3 s timeout, 1 s recheck, 2 failures out, 2 successes back, ±10 %. */
    public static HealthCheckOptions defaults() {
        return builder().build();
    }

    /** No active probing (the connection still takes instances whose process exits out of rotation). */
    public static HealthCheckOptions disabled() {
        return builder().enabled(false).build();
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some. */
    public Builder toBuilder() {
        return new Builder().enabled(enabled).interval(interval).timeout(timeout).recheckInterval(recheckInterval)
                .unhealthyThreshold(unhealthyThreshold).healthyThreshold(healthyThreshold).jitter(jitter).probe(probe);
    }

    /** Builds {@link HealthCheckOptions}; {@link #build()} validates everything once. */
    public static final class Builder {
        private boolean enabled = true;
        private Duration interval = DEFAULT_INTERVAL;
        /** Null until set: then it follows the interval (3 s, or half the interval when shorter). */
        private Duration timeout;
        /** Null until set: then 1 s, or the interval when shorter. */
        private Duration recheckInterval;
        private int unhealthyThreshold = 2;
        private int healthyThreshold = 2;
        private double jitter = 0.1;
        private HealthProbe probe = HealthProbe.protocol();

        private Builder() {
        }

        /** Whether instances are probed at all. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Time between probes of one instance while they pass. */
        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /** How long a probe may take before it counts as failed; shorter than the interval. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Time to the next probe after a failed one; at most the interval. */
        public Builder recheckInterval(Duration recheckInterval) {
            this.recheckInterval = recheckInterval;
            return this;
        }

        /** Failed probes in a row that take an instance out of rotation. */
        public Builder unhealthyThreshold(int failures) {
            this.unhealthyThreshold = failures;
            return this;
        }

        /** Passed probes in a row that bring an instance back. */
        public Builder healthyThreshold(int successes) {
            this.healthyThreshold = successes;
            return this;
        }

        /** How far each interval may randomly stray, as a fraction of it (0.1: ±10 %). */
        public Builder jitter(double fraction) {
            this.jitter = fraction;
            return this;
        }

        /** What is sent to the plugin. */
        public Builder probe(HealthProbe probe) {
            this.probe = probe;
            return this;
        }

        /** The options; fails with what to fix if a value is invalid. */
        public HealthCheckOptions build() {
            Duration effectiveTimeout = timeout;
            Duration effectiveRecheck = recheckInterval;
            if (interval != null) {
                effectiveTimeout = timeout != null ? timeout : shorter(DEFAULT_TIMEOUT, interval.dividedBy(2));
                effectiveRecheck = recheckInterval != null ? recheckInterval : shorter(DEFAULT_RECHECK, interval);
            }
            return new HealthCheckOptions(enabled, interval, effectiveTimeout, effectiveRecheck, unhealthyThreshold,
                    healthyThreshold, jitter, probe);
        }

        private static Duration shorter(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
        }
    }
}
