package dev.mcpgateway.internal.transport.http.registration;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Delays between attempts that keep failing: doubling from an initial delay up to a maximum, each drawn at random
 * from its upper half ("equal jitter"), so that plugins cut off together do not all come back in the same instant
 * yet none waits less than half its turn. Not thread-safe: one retry loop owns it.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;
    private int failures;

    /**
     * @param initial the first delay, before jitter
     * @param max     the largest delay
     * @param random  uniform numbers in [0, 1); injected so tests get exact delays
     */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got initial " + initial + ", max " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The delay before the next attempt, after one more failure. */
    public Duration next() {
        // Doubling stops at max long before the shift could overflow.
        long ceiling = max.toNanos();
        long base = initial.toNanos();
        for (int i = 0; i < failures && base < ceiling; i++) {
            base *= 2;
        }
        base = Math.min(base, ceiling);
        failures++;
        long half = base / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (base - half)));
    }

    /** How many failures in a row {@link #next} was asked about since the last {@link #reset}. */
    public int failures() {
        return failures;
    }

    /** Starts over after a success. */
    public void reset() {
        failures = 0;
    }
}
