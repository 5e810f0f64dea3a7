package dev.mcpgateway.transport.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Buffers that answers of up to {@value #BYTES} bytes are read into and decoded from, reused across exchanges: an
 * array of each answer's size was 0.25 KB per call through an HTTP plugin. A fixed set of slots, each taken and put
 * back with one atomic operation, so that neither allocates (a queue would, a node per buffer given back). There are
 * never more buffers than slots: when all are taken, {@link #take} gives none and the caller reads into an array of
 * its own, so a burst of answers leaves no more than {@code slots × BYTES} behind. Thread-safe.
 */
final class BodyBuffers {
    /** The size of every buffer: a JSON answer to a tool call usually fits. */
    static final int BYTES = 4 * 1024;

    private final AtomicReferenceArray<byte[]> free;
    private final AtomicInteger made = new AtomicInteger();

    /** Room for {@code slots} buffers, made as they are first needed. */
    BodyBuffers(int slots) {
        this.free = new AtomicReferenceArray<>(slots);
    }

    /** A buffer of {@value #BYTES} bytes, to be given back, or null when every one is in use. */
    byte[] take() {
        for (int i = 0; i < free.length(); i++) {
            if (free.get(i) != null) { // a plain read first: a swap on an empty slot would contend for nothing
                byte[] buffer = free.getAndSet(i, null);
                if (buffer != null) {
                    return buffer;
                }
            }
        }
        for (int count = made.get(); count < free.length(); count = made.get()) {
            if (made.compareAndSet(count, count + 1)) {
                return new byte[BYTES];
            }
        }
        return null;
    }

    /**
     * Gives back a buffer {@link #take} gave. Since no more buffers exist than slots, one is free; should takers and
     * givers racing past each other hide it, the buffer is dropped and another may be made in its place.
     */
    void give(byte[] buffer) {
        for (int i = 0; i < free.length(); i++) {
            if (free.compareAndSet(i, null, buffer)) {
                return;
            }
        }
        made.decrementAndGet();
    }
}
