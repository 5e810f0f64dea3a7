package dev.mcpgateway.internal.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;

/**
 * Lease self-preservation: how many lapsed leases may still be evicted now, so that within any sliding window at
 * most {@code max(1, floor(maxShare × leased instances))} go. A budget per pass would protect nothing, since passes
 * run every second; per window, many leases lapsing at once (more likely a network fault than failed plugins) cost
 * the registry only a few instances before their renewals can arrive. Routing does not depend on it: health checks
 * keep unreachable instances out of rotation, eviction only tidies the registry.
 *
 * <p>Loop-owned: used only by the registry's control loop, so it needs no locking.
 */
final class LeaseEvictionBudget {
    private final double maxShare;
    private final Duration window;
    /** When each eviction still inside the window happened, oldest first. */
    private final ArrayDeque<Instant> evictions = new ArrayDeque<>();
    /** When self-preservation was last logged, to log it at most once per window; null if never. */
    private Instant lastWarning;

    /**
     * @param maxShare the largest share of leased instances evicted within one window (above 0, at most 1)
     * @param window   the sliding window the share applies to (positive)
     */
    LeaseEvictionBudget(double maxShare, Duration window) {
        if (!(maxShare > 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("leaseEvictionMaxShare must be above 0 and at most 1, got " + maxShare);
        }
        Objects.requireNonNull(window, "leaseEvictionWindow");
        if (!window.isPositive()) {
            throw new IllegalArgumentException("leaseEvictionWindow must be positive, got " + window);
        }
        this.maxShare = maxShare;
        this.window = window;
    }

    /** How many evictions the window allows in all, given how many instances hold a lease now. */
    int limit(int leased) {
        return Math.max(1, (int) (leased * maxShare));
    }

    /** How many lapsed leases may be evicted now: the limit less the evictions still inside the window. */
    int available(int leased, Instant now) {
        forgetBefore(now);
        return Math.max(0, limit(leased) - evictions.size());
    }

    /** Records evictions made now, spending the budget. */
    void spend(int evicted, Instant now) {
        for (int i = 0; i < evicted; i++) {
            evictions.addLast(now);
        }
    }

    /** How many evictions happened within the window ending now (call after {@link #available}). */
    int spentInWindow() {
        return evictions.size();
    }

    /**
     * When the next eviction may happen if the number of leased instances stays as it is: once enough of the
     * window's evictions have left it to bring them below the limit. Only meaningful while the budget is spent.
     */
    Instant nextEvictionAt(int leased) {
        int mustLeave = evictions.size() - limit(leased); // this many and one more must leave the window
        Iterator<Instant> oldestFirst = evictions.iterator();
        Instant leaving = oldestFirst.next();
        for (int i = 0; i < mustLeave; i++) {
            leaving = oldestFirst.next();
        }
        return leaving.plus(window);
    }

    /** Whether self-preservation should be logged now: at most once per window, so passes every second don't flood. */
    boolean shouldWarn(Instant now) {
        if (lastWarning != null && now.isBefore(lastWarning.plus(window))) {
            return false;
        }
        lastWarning = now;
        return true;
    }

    Duration window() {
        return window;
    }

    double maxShare() {
        return maxShare;
    }

    private void forgetBefore(Instant now) {
        Instant windowStart = now.minus(window);
        while (!evictions.isEmpty() && !evictions.peekFirst().isAfter(windowStart)) {
            evictions.removeFirst();
        }
    }
}
