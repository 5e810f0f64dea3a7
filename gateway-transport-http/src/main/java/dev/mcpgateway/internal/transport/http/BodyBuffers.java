package dev.mcpgateway.internal.transport.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Buffers that message bodies of up to {@value #BYTES} bytes are read into and decoded from, reused across exchanges:
 * the upstream answers the gateway reads and the requests its endpoint reads. An array of each body's size was about
 * 0.25 KB per call for an answer, and as much again for every request the endpoint took in. A fixed set of slots,
 * each taken and put back with one atomic operation, so that neither allocates (a queue would, a node per buffer
 * given back). There are never more buffers than slots: when all are taken, {@link #take} gives none and the body is
 * read into an array of its own, so a burst leaves no more than {@code slots × BYTES} behind. Thread-safe.
 */
public final class BodyBuffers {
    /** The size of every buffer: a JSON-RPC message of a tool call usually fits. */
    public static final int BYTES = 4 * 1024;

    private final AtomicReferenceArray<byte[]> free;
    private final AtomicInteger made = new AtomicInteger();

    /** Room for {@code slots} buffers, made as they are first needed. */
    public BodyBuffers(int slots) {
        this.free = new AtomicReferenceArray<>(slots);
    }

    /**
     * Reads up to {@code length} bytes, stopping early only where the stream ends: into one of the buffers when it
     * fits and one is free, else into an array of its own. The caller gives the buffer back with
     * {@link Body#release} once nothing reads it any more; a read that fails gives it back itself.
     */
    public Body read(InputStream in, int length) throws IOException {
        byte[] buffer = length == 0 || length > BYTES ? null : take();
        Body body = buffer != null ? new Body(buffer, length, this) : new Body(new byte[length], length, null);
        try {
            int read = in.readNBytes(body.array, 0, length);
            return read == length ? body : new Body(body.array, read, body.pool); // the stream ended early
        } catch (IOException | RuntimeException e) {
            body.release();
            throw e;
        }
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

    /**
     * A body read whole: the first {@link #length} bytes of {@link #array}, which is one of the buffers of
     * {@link #pool} unless that is null, to be given back with {@link #release} once nothing reads it any more. Used
     * by one thread at a time, as an exchange's body is.
     */
    public static final class Body {
        private final byte[] array;
        private final int length;
        private final BodyBuffers pool;
        private boolean released;

        private Body(byte[] array, int length, BodyBuffers pool) {
            this.array = array;
            this.length = length;
            this.pool = pool;
        }

        /** A body in an array of its own. */
        public static Body of(byte[] bytes) {
            return new Body(bytes, bytes.length, null);
        }

        /** The array holding the body at its start; not to be read after {@link #release}. */
        public byte[] array() {
            return array;
        }

        /** How many bytes of {@link #array} are the body's. */
        public int length() {
            return length;
        }

        /** The buffers {@link #array} belongs to, or null when it is the body's own. */
        public BodyBuffers pool() {
            return pool;
        }

        /** The body's bytes in an array of their own, which outlives {@link #release}. */
        public byte[] bytes() {
            return pool == null && array.length == length ? array : Arrays.copyOf(array, length);
        }

        /**
         * Gives the buffer back, if the body is in one, once: a buffer given back twice would be handed to two
         * exchanges at a time. It is wiped first, so a body (a token in a request, a plugin's answer) does not stay
         * in memory after its exchange, as nothing else a message carries does.
         */
        public void release() {
            if (pool != null && !released) {
                released = true;
                Arrays.fill(array, 0, length, (byte) 0);
                pool.give(array);
            }
        }
    }
}
