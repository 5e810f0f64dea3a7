package dev.mcpgateway.health;

import java.time.Duration;
import java.util.Objects;

/**
 * Passive health checking from real tool calls (Envoy's outlier detection): an instance whose calls time out or
 * cannot reach it is <em>ejected</em>, taken out of rotation for a while, so callers stop waiting on it; it comes back
 * on trial, with a few calls at a time, and is fully back once they succeed. Only failures of the instance count, a
 * timeout or a broken or unreachable connection: a plugin's JSON-RPC error answer and a tool result with
 * {@code isError} are answers, and a call its caller cancelled says nothing about the instance.
 *
 * <p>An instance is ejected when any of these holds:
 * <ul>
 *   <li>{@code consecutiveFailures} of its calls failed in a row;</li>
 *   <li>at least {@code failureRateThreshold} of its calls failed within the last {@code window}, counted once it had
 *       at least {@code minimumCalls} calls there;</li>
 *   <li>it answers far slower than its peers: its latency average is above {@code latencyFactor} times the median of
 *       the averages of the other instances serving the same tool (only with at least two such peers in rotation,
 *       and once it had {@code minimumCalls} calls in the window).</li>
 * </ul>
 * An ejection lasts {@code baseEjection} times the number of times the instance was ejected (a flapping instance stays
 * out longer each time), at most {@code maxEjection}; the count drops by one for every {@code baseEjection} the
 * instance then stays in rotation without being ejected. At most {@code maxEjectedShare} of a tool's instances are
 * ejected at once (but always at least one may be, so a single hung instance fails fast instead of hanging every
 * caller). When its ejection ends the instance is on trial: at most {@code trialCalls} calls run on it at a time
 * (others go to other instances) until {@code trialCalls} have succeeded; one failure on trial ejects it again, for
 * longer.
 *
 * <p>With {@code failInFlightOnEjection}, the calls already in flight on an instance when it leaves rotation as
 * unhealthy (ejected, or found down by any health source) are cancelled there and fail with
 * {@code UPSTREAM_UNAVAILABLE}, which the retry policy re-routes for read-only and idempotent tools: a hung instance
 * would otherwise hold each of them until its call timeout (60 s by default). An instance taken out of service
 * administratively ({@code OUT_OF_SERVICE}, a drain) keeps its calls.
 *
 * @param enabled                whether instances are ejected at all (default true)
 * @param consecutiveFailures    failures in a row that eject (default 5, as Envoy: a hung or dead instance is out
 *                               after five calls, while one unlucky timeout is not enough)
 * @param failureRateThreshold   share of failed calls in the window that ejects, above 0 and at most 1 (default 0.5:
 *                               an instance failing half of its calls does more harm than good)
 * @param minimumCalls           calls in the window before the failure rate or latency is judged (default 10, so two
 *                               failures of the first three calls eject nothing)
 * @param window                 how far back the failure rate looks (default 10 s, Envoy's interval: recent enough to
 *                               react within seconds, long enough to hold a few calls of a quiet tool)
 * @param latencyFactor          how many times its peers' median latency makes an instance an outlier, above 1
 *                               (default 5: far beyond the noise of a garbage collection or a cold cache)
 * @param baseEjection           the first ejection's length (default 30 s, as Envoy: long enough for a restart or a
 *                               stuck request to clear)
 * @param maxEjection            the longest ejection, at least {@code baseEjection} (default 5 min: a long outage is
 *                               retried every five minutes rather than forgotten)
 * @param maxEjectedShare        the share of a tool's instances that may be ejected at once, 0 to 1 (default 0.5:
 *                               when most instances fail the fault is probably shared, and ejecting them would only
 *                               pile the load onto the rest); at least one instance may always be ejected
 * @param trialCalls             calls at a time on an instance back from ejection, and the successes that bring it
 *                               fully back (default 3: a few real calls prove it, without risking many callers)
 * @param failInFlightOnEjection whether calls in flight on an instance that becomes unhealthy fail fast (default true)
 */
public record OutlierDetection(boolean enabled, int consecutiveFailures, double failureRateThreshold, int minimumCalls,
                               Duration window, double latencyFactor, Duration baseEjection, Duration maxEjection,
                               double maxEjectedShare, int trialCalls, boolean failInFlightOnEjection) {
    private static final Duration MIN_WINDOW = Duration.ofMillis(10);

    public OutlierDetection {
        requireAtLeastOne("consecutiveFailures", consecutiveFailures);
        if (!(failureRateThreshold > 0 && failureRateThreshold <= 1)) {
            throw new IllegalArgumentException("outlierDetection.failureRateThreshold must be above 0 and at most 1"
                    + " (0.5: half of the calls failed), got " + failureRateThreshold);
        }
        requireAtLeastOne("minimumCalls", minimumCalls);
        requireAtLeast("window", window, MIN_WINDOW);
        if (!(latencyFactor > 1) || Double.isInfinite(latencyFactor)) {
            throw new IllegalArgumentException("outlierDetection.latencyFactor must be a number above 1 (5: five times"
                    + " slower than its peers), got " + latencyFactor);
        }
        requireAtLeast("baseEjection", baseEjection, Duration.ofMillis(1));
        requireAtLeast("maxEjection", maxEjection, Duration.ofMillis(1));
        if (maxEjection.compareTo(baseEjection) < 0) {
            throw new IllegalArgumentException("outlierDetection.maxEjection (" + maxEjection + ") must be at least"
                    + " baseEjection (" + baseEjection + "); raise maxEjection or lower baseEjection");
        }
        if (!(maxEjectedShare >= 0 && maxEjectedShare <= 1)) {
            throw new IllegalArgumentException("outlierDetection.maxEjectedShare must be between 0 and 1 (0.5: half of"
                    + " a tool's instances), got " + maxEjectedShare);
        }
        requireAtLeastOne("trialCalls", trialCalls);
    }

    /** The defaults: on, 5 failures in a row, 50 % of at least 10 calls in 10 s, 5× slower, 30 s to 5 min. */
    public static OutlierDetection defaults() {
        return builder().build();
    }

    /** Outlier detection off: no instance is ejected, and calls in flight still fail fast when one turns unhealthy. */
    public static OutlierDetection disabled() {
        return builder().enabled(false).build();
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    private static void requireAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("outlierDetection." + name + " must be at least 1, got " + value);
        }
    }

    private static void requireAtLeast(String name, Duration value, Duration minimum) {
        Objects.requireNonNull(value, "outlierDetection." + name);
        if (value.compareTo(minimum) < 0) {
            throw new IllegalArgumentException("outlierDetection." + name + " must be at least " + minimum.toMillis()
                    + " ms, got " + value);
        }
    }

    /** Builds {@link OutlierDetection}; {@link #build()} validates every setting at once. */
    public static final class Builder {
        private boolean enabled = true;
        private int consecutiveFailures = 5;
        private double failureRateThreshold = 0.5;
        private int minimumCalls = 10;
        private Duration window = Duration.ofSeconds(10);
        private double latencyFactor = 5;
        private Duration baseEjection = Duration.ofSeconds(30);
        private Duration maxEjection = Duration.ofMinutes(5);
        private double maxEjectedShare = 0.5;
        private int trialCalls = 3;
        private boolean failInFlightOnEjection = true;

        private Builder() {
        }

        /** Whether instances are ejected at all. */
        public Builder enabled(boolean value) {
            this.enabled = value;
            return this;
        }

        /** Failures in a row that eject an instance. */
        public Builder consecutiveFailures(int value) {
            this.consecutiveFailures = value;
            return this;
        }

        /** The share of failed calls in the window that ejects, once there were {@code minimumCalls}. */
        public Builder failureRate(double threshold, int minimumCalls, Duration window) {
            this.failureRateThreshold = threshold;
            this.minimumCalls = minimumCalls;
            this.window = window;
            return this;
        }

        /** How many times slower than its peers' median an instance is an outlier. */
        public Builder latencyFactor(double value) {
            this.latencyFactor = value;
            return this;
        }

        /** The first ejection's length, and the longest. */
        public Builder ejection(Duration base, Duration max) {
            this.baseEjection = base;
            this.maxEjection = max;
            return this;
        }

        /** The share of a tool's instances that may be ejected at once (at least one always may). */
        public Builder maxEjectedShare(double value) {
            this.maxEjectedShare = value;
            return this;
        }

        /** Calls at a time on an instance back from ejection, and the successes that bring it fully back. */
        public Builder trialCalls(int value) {
            this.trialCalls = value;
            return this;
        }

        /** Whether calls in flight on an instance that becomes unhealthy fail fast. */
        public Builder failInFlightOnEjection(boolean value) {
            this.failInFlightOnEjection = value;
            return this;
        }

        /** The options; fails naming the setting to fix if one is invalid. */
        public OutlierDetection build() {
            return new OutlierDetection(enabled, consecutiveFailures, failureRateThreshold, minimumCalls, window,
                    latencyFactor, baseEjection, maxEjection, maxEjectedShare, trialCalls, failInFlightOnEjection);
        }
    }
}
