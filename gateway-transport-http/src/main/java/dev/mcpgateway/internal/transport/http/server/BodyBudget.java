package dev.mcpgateway.internal.transport.http.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the endpoint holds at once, all requests together, so that many large POSTs at once
 * cannot exhaust the heap: each POST takes a {@link Lease}, grows it as its body is admitted (by its declared length
 * before reading, or piece by piece as a chunked body arrives) and gives it all back when it has been answered,
 * since the body's parsed messages live that long. Thread-safe; a lease belongs to one request's thread.
 */
final class BodyBudget {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long max) {
        this.max = max;
    }

    /** An empty lease for one request. */
    Lease lease() {
        return new Lease();
    }

    long max() {
        return max;
    }

    /** The bytes one request holds; closing gives them back. */
    final class Lease implements AutoCloseable {
        private long held;

        private Lease() {
        }

        /** Takes {@code bytes} more; false, taking nothing, if the budget has not that much left. */
        boolean grow(long bytes) {
            long now;
            do {
                now = used.get();
                if (bytes > max - now) {
                    return false;
                }
            } while (!used.compareAndSet(now, now + bytes));
            held += bytes;
            return true;
        }

        /** Whether it holds any bytes: a body was read under it. */
        boolean holdsAny() {
            return held > 0;
        }

        @Override
        public void close() {
            used.addAndGet(-held);
            held = 0;
        }
    }
}
