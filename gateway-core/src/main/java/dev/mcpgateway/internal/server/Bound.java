package dev.mcpgateway.internal.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A count that never passes its maximum: a place is taken before the thing it counts exists and given back when
 * it ends. Exact, not soft: two threads racing for the last place cannot both have it. Thread-safe.
 */
final class Bound {
    private final int max;
    private final AtomicInteger used = new AtomicInteger();

    Bound(int max) {
        this.max = max;
    }

    /** Takes a place; false when all {@link #max()} are taken. */
    boolean tryAcquire() {
        int now;
        do {
            now = used.get();
            if (now >= max) {
                return false;
            }
        } while (!used.compareAndSet(now, now + 1));
        return true;
    }

    /** Gives back a place taken with {@link #tryAcquire()}. */
    void release() {
        used.decrementAndGet();
    }

    int max() {
        return max;
    }
}
