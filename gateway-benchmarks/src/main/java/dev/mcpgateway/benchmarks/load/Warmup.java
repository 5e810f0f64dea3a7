package dev.mcpgateway.benchmarks.load;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * When a closed-loop run's warm-up ends: not before its minimum, then at the first second in which this JVM's JIT
 * compiled for less than {@link #QUIET_JIT_MILLIS} (the code the run measures is compiled), and at its limit at the
 * latest. A fixed warm-up measured the compiler on some paths: on two cores, the HTTP → stdio path did 5,000 req/s
 * after 10 s and 14,000 after 30 s, its compiler still busy (a third of the JVM's CPU) after 10 s.
 *
 * @param jitMillis  the JIT's total compilation time so far, in milliseconds
 * @param nanoTime   the time, in nanoseconds
 * @param sleepUntil waits until a {@code nanoTime} deadline
 */
record Warmup(LongSupplier jitMillis, LongSupplier nanoTime, LongConsumer sleepUntil) {
    /** Compilation time in one second below which the JIT counts as done: a twentieth of one of the two cores. */
    static final long QUIET_JIT_MILLIS = 50;

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** This JVM's JIT, or one that is quiet at once where the JVM does not report compilation time. */
    static Warmup ofThisJvm(LongConsumer sleepUntil) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        LongSupplier compiled = jit != null && jit.isCompilationTimeMonitoringSupported()
                ? jit::getTotalCompilationTime : () -> 0;
        return new Warmup(compiled, System::nanoTime, sleepUntil);
    }

    /**
     * Waits out the warm-up and returns when it ended.
     *
     * @param minimumEnd when the warm-up may end at the earliest
     * @param limitEnd   when it ends at the latest; at or before {@code minimumEnd} for a fixed warm-up
     */
    long awaitEnd(long minimumEnd, long limitEnd) {
        sleepUntil.accept(minimumEnd);
        long now = nanoTime.getAsLong();
        long compiled = jitMillis.getAsLong();
        while (now < limitEnd) {
            sleepUntil.accept(Math.min(now + WINDOW_NANOS, limitEnd));
            long compiledNow = jitMillis.getAsLong();
            now = nanoTime.getAsLong();
            if (compiledNow - compiled < QUIET_JIT_MILLIS) {
                return now;
            }
            compiled = compiledNow;
        }
        return now;
    }
}
