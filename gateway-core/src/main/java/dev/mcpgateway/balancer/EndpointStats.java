package dev.mcpgateway.balancer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live load figures of one plugin instance, shared by every routing-table version while the instance
 * exists: calls in flight, an exponentially weighted moving average of latency, and outcome counters.
 * Updated lock-free by the completion hook of each call; read by balancers, and awaited by a drain.
 */
public final class EndpointStats {
    /** Weight of the newest sample in the latency average. */
    static final double EWMA_ALPHA = 0.2;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong latencyEwmaBits = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final LongAdder successes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    /** Completed when no call is in flight; null while nobody waits, so finishing a call costs one read more. */
    private final AtomicReference<CompletableFuture<Void>> idle = new AtomicReference<>();

    /** Calls currently in flight on this instance. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The latency average in nanoseconds; 0 until the first call completes. */
    public double latencyEwmaNanos() {
        return Double.longBitsToDouble(latencyEwmaBits.get());
    }

    /** Calls that completed successfully. */
    public long successes() {
        return successes.sum();
    }

    /** Calls that failed (transport errors and timeouts, not tool-level {@code isError} results). */
    public long failures() {
        return failures.sum();
    }

    /** Failures since the last success: the signal for passive health detection. */
    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** Records that a call was sent to this instance. */
    public void callStarted() {
        inFlight.incrementAndGet();
    }

    /**
     * Records that a call finished.
     *
     * @param latencyNanos how long it took
     * @param success      false for transport failures and timeouts
     */
    public void callFinished(long latencyNanos, boolean success) {
        if (inFlight.decrementAndGet() == 0 && idle.get() != null) {
            signalIdle();
        }
        if (success) {
            successes.increment();
            consecutiveFailures.set(0);
        } else {
            failures.increment();
            consecutiveFailures.incrementAndGet();
        }
        long bits;
        double next;
        do {
            bits = latencyEwmaBits.get();
            double current = Double.longBitsToDouble(bits);
            next = current == 0.0 ? latencyNanos : current + EWMA_ALPHA * (latencyNanos - current);
        } while (!latencyEwmaBits.compareAndSet(bits, Double.doubleToRawLongBits(next)));
    }

    /**
     * Completes when no call is in flight on the instance: at once if none is, else when the last one finishes. A
     * drain waits on it once no new call can reach the instance.
     */
    public CompletableFuture<Void> whenIdle() {
        CompletableFuture<Void> waiter = idle.updateAndGet(w -> w != null ? w : new CompletableFuture<>());
        // After registering, so a call finishing meanwhile either sees the waiter or left zero for us to see.
        if (inFlight.get() == 0) {
            signalIdle();
        }
        return waiter.copy(); // a waiter's own timeout or cancellation must not reach the others
    }

    private void signalIdle() {
        CompletableFuture<Void> waiter = idle.getAndSet(null);
        if (waiter != null) {
            waiter.complete(null);
        }
    }
}
