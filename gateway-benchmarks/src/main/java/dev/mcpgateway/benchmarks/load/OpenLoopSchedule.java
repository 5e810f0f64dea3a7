package dev.mcpgateway.benchmarks.load;

import java.util.function.LongSupplier;

/**
 * When one open-loop client sends each request: at {@code start + offset + k * interval}, whatever happened to
 * the previous ones. A client that falls behind sends its overdue requests at once, and their latency counts from
 * when they were due, so a slow answer is not hidden by the requests it delayed (no coordinated omission).
 */
final class OpenLoopSchedule {
    /** How the schedule waits: parks the thread in real runs, advances a fake clock in tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final long startNanos;
    private final long intervalNanos;
    private long next;

    /**
     * A schedule on {@code clock} (nanoseconds).
     *
     * @param startNanos    the time of the first send of the whole run
     * @param offsetNanos   this client's offset from it, so clients interleave instead of sending together
     * @param intervalNanos the time between two sends of this client (clients × 1e9 / rate)
     */
    OpenLoopSchedule(LongSupplier clock, Sleeper sleeper, long startNanos, long offsetNanos, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("the interval must be positive, got " + intervalNanos + " ns");
        }
        this.clock = clock;
        this.sleeper = sleeper;
        this.startNanos = startNanos + offsetNanos;
        this.intervalNanos = intervalNanos;
    }

    /** The intended time of the {@code k}-th send (from 0). */
    long intendedNanos(long k) {
        return startNanos + k * intervalNanos;
    }

    /**
     * Waits until the next send is due (not at all if it is overdue) and returns when it was due.
     *
     * @throws InterruptedException if the wait was interrupted
     */
    long awaitNext() throws InterruptedException {
        long intended = intendedNanos(next++);
        long wait = intended - clock.getAsLong();
        if (wait > 0) {
            sleeper.sleepNanos(wait);
        }
        return intended;
    }
}
