package dev.mcpgateway.internal.health;

import dev.mcpgateway.health.HealthCheckOptions;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When an instance's next probe is due: the first at a random point within the interval, so the instances of a
 * gateway that starts with many do not all get probed at once; then every interval, strayed by up to the jitter
 * either way so they stay spread; and after the recheck interval when the last result wants confirming.
 */
final class ProbeTiming {
    private final HealthCheckOptions options;
    private final RandomGenerator random;

    ProbeTiming(HealthCheckOptions options, RandomGenerator random) {
        this.options = options;
        this.random = random;
    }

    /** The delay of the first probe: uniformly within [0, interval). */
    Duration first() {
        return Duration.ofNanos(random.nextLong(options.interval().toNanos()));
    }

    /**
     * The delay to the next probe.
     *
     * @param confirming whether the last result should be confirmed soon (see {@link ProbeStreak#isUnsettled()})
     */
    Duration next(boolean confirming) {
        if (confirming) {
            return options.recheckInterval();
        }
        double stray = options.jitter() == 0 ? 0 : random.nextDouble(-options.jitter(), options.jitter());
        return Duration.ofNanos(Math.round(options.interval().toNanos() * (1 + stray)));
    }
}
