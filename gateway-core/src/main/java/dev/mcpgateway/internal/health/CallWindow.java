package dev.mcpgateway.internal.health;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Calls and failures of one instance over a sliding window, lock-free and without allocation per call: the window
 * is {@value #BUCKETS} buckets, each one long packing the bucket's number (its start time divided by its length) with
 * its counts, so a bucket left over from an earlier turn of the ring is recognised and started afresh by the first call
 * that lands in it. The window slides a bucket at a time (a tenth of its length).
 *
 * <p>Layout of a bucket: 24 bits of bucket number (it wraps after 2<sup>24</sup> buckets, weeks with a window of
 * seconds), 20 bits of calls, 20 bits of failures. A bucket stops counting at 2<sup>20</sup> - 1 calls (a million in a
 * tenth of the window), which keeps its failure rate.
 */
final class CallWindow {
    static final int BUCKETS = 10;
    private static final int COUNT_BITS = 20;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    private static final long NUMBER_MASK = (1L << 24) - 1;
    private static final long ONE_CALL = 1L << COUNT_BITS;

    private final long bucketMillis;
    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);

    /** @param windowMillis the window's length, at least {@value #BUCKETS} ms */
    CallWindow(long windowMillis) {
        this.bucketMillis = Math.max(1, windowMillis / BUCKETS);
    }

    /** Counts a call that ended at {@code nowMillis}. */
    void record(long nowMillis, boolean failed) {
        long number = (nowMillis / bucketMillis) & NUMBER_MASK;
        int index = (int) ((nowMillis / bucketMillis) % BUCKETS);
        long add = ONE_CALL | (failed ? 1 : 0);
        while (true) {
            long bucket = buckets.get(index);
            long next;
            if (bucket >>> (2 * COUNT_BITS) != number) {
                next = (number << (2 * COUNT_BITS)) | add; // a bucket of an earlier turn: starts afresh
            } else if (((bucket >>> COUNT_BITS) & COUNT_MASK) == COUNT_MASK) {
                return; // full: stop counting rather than spill into the number
            } else {
                next = bucket + add;
            }
            if (buckets.compareAndSet(index, bucket, next)) {
                return;
            }
        }
    }

    /**
     * The calls and failures within the window that ends at {@code nowMillis}, packed: read them with
     * {@link #calls(long)} and {@link #failures(long)}.
     */
    long counts(long nowMillis) {
        long current = nowMillis / bucketMillis;
        long calls = 0;
        long failures = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long bucket = buckets.get(i);
            long age = (current - (bucket >>> (2 * COUNT_BITS))) & NUMBER_MASK;
            if (bucket != 0 && age < BUCKETS) {
                calls += (bucket >>> COUNT_BITS) & COUNT_MASK;
                failures += bucket & COUNT_MASK;
            }
        }
        return (calls << 32) | failures;
    }

    /** The calls of packed {@link #counts(long)}. */
    static int calls(long counts) {
        return (int) (counts >>> 32);
    }

    /** The failures of packed {@link #counts(long)}. */
    static int failures(long counts) {
        return (int) counts;
    }

    /** Forgets every call. */
    void clear() {
        for (int i = 0; i < BUCKETS; i++) {
            buckets.set(i, 0);
        }
    }
}
