package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.server.MessageSink;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What is to be written on one HTTP response, handed over by any thread (the engine's timer, a plugin connection's
 * reader, a tool's thread) and written by the thread serving the exchange, so that a slow or stalled client never
 * blocks a sender. Bounded: when a client stops reading, further messages are refused (the sender may then try
 * elsewhere) instead of piling up. The writer waits without a timeout; {@link WaitingOutboxes} asks a quiet outbox
 * for a keep-alive. Thread-safe.
 */
final class Outbox implements MessageSink {
    /** What {@link #take} returns once the outbox was stopped. */
    static final Object STOP = new Object();
    /** How many messages may wait for one client. */
    static final int CAPACITY = 1024;

    /**
     * The last item of an answer.
     *
     * @param response the response to write, or null when there is none (a batch of notifications)
     */
    record Final(JsonRpcResponse response) {
    }

    /** What {@link #take} turns into null: the writer is to keep the stream alive. */
    private static final Object KEEP_ALIVE = new Object();

    // One reader (the exchange's thread) and many writers: a lock-free queue and a parked reader cost a call less
    // than a blocking queue's two locks and conditions.
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    /** The thread waiting in {@link #take}, or null. */
    private volatile Thread reader;
    private final AtomicInteger queued = new AtomicInteger();
    private final boolean keepsAlive;
    /** When the writer last took an item, or the last keep-alive was asked for ({@link System#nanoTime}). */
    private volatile long quietSince = System.nanoTime();
    private volatile boolean open = true;

    /** An outbox whose writer keeps its stream alive when it is quiet. */
    Outbox() {
        this(true);
    }

    /**
     * An outbox that is asked for keep-alives only if {@code keepsAlive}: a writer that writes nothing until the end
     * has no stream to keep alive.
     */
    Outbox(boolean keepsAlive) {
        this.keepsAlive = keepsAlive;
    }

    /** Queues a message for the client; false once the answer is over or when the client is too far behind. */
    @Override
    public boolean send(JsonRpcMessage message) {
        if (!open) {
            return false;
        }
        if (queued.incrementAndGet() > CAPACITY) {
            queued.decrementAndGet();
            return false;
        }
        put(message);
        return true;
    }

    /** Queues the end of the answer, after everything sent before. */
    void complete(JsonRpcResponse response) {
        put(new Final(response));
    }

    /** Makes the writing thread give up: the server is closing, or a newer stream replaces this one. */
    void stop() {
        open = false;
        put(STOP);
    }

    /** Refuses every later message: nobody will write them. */
    void refuse() {
        open = false;
    }

    /** Asks the writer for a keep-alive if it took nothing for {@code quietNanos} (and was not asked meanwhile). */
    void keepAliveIfQuiet(long nowNanos, long quietNanos) {
        if (keepsAlive && open && nowNanos - quietSince >= quietNanos) {
            quietSince = nowNanos;
            put(KEEP_ALIVE);
        }
    }

    /**
     * The next item: a {@link JsonRpcMessage}, a {@link Final}, {@link #STOP}, or null when the stream is to be kept
     * alive. Only the one thread writing the exchange calls it.
     *
     * @throws InterruptedException if the writing thread is interrupted while waiting
     */
    Object take() throws InterruptedException {
        Object item;
        while ((item = queue.poll()) == null) {
            reader = Thread.currentThread();
            try {
                // Looked at again once the reader is published: an item put before that is seen here, one put
                // after it unparks this thread (or leaves the permit that makes park return at once).
                if ((item = queue.poll()) != null) {
                    break;
                }
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            } finally {
                reader = null;
            }
        }
        quietSince = System.nanoTime();
        if (item instanceof JsonRpcMessage) {
            queued.decrementAndGet();
        }
        return item == KEEP_ALIVE ? null : item;
    }

    private void put(Object item) {
        queue.add(item);
        Thread waiting = reader;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }
}
