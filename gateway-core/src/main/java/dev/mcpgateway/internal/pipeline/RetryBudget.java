package dev.mcpgateway.internal.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many retries the gateway may make, as a share of the calls it carries (gRPC's retry throttling): each call
 * earns {@code ratio} of a retry, each retry spends one, and at most {@link #BURST} retries can be saved up. So in an
 * outage retries stay a bounded fraction of traffic instead of multiplying it. Lock-free; a call costs one read
 * while the budget is full.
 */
final class RetryBudget {
    /** Retries that may be saved up (and made at once, say after a quiet spell). */
    static final int BURST = 10;
    private static final int UNIT = 1_000; // thousandths of a retry
    private final int earnedPerCall;
    private final AtomicInteger saved = new AtomicInteger(BURST * UNIT);

    /** @param ratio retries per call allowed in the long run, from 0 (never retry) to 1 */
    RetryBudget(double ratio) {
        this.earnedPerCall = (int) Math.round(ratio * UNIT);
    }

    /** A call was made: it earns its share of a retry. */
    void called() {
        if (saved.get() < BURST * UNIT) {
            saved.updateAndGet(current -> Math.min(BURST * UNIT, current + earnedPerCall));
        }
    }

    /** Takes one retry from the budget; false when it has none left. */
    boolean tryRetry() {
        while (true) {
            int current = saved.get();
            if (current < UNIT) {
                return false;
            }
            if (saved.compareAndSet(current, current - UNIT)) {
                return true;
            }
        }
    }
}
