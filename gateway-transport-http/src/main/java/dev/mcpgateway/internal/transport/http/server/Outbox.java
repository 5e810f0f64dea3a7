package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.server.MessageSink;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What is to be written on one HTTP response, handed over by any thread (the engine's timer, a plugin connection's
 * reader, a tool's thread) and written by the thread serving the exchange, so that a slow or stalled client never
 * blocks a sender. Bounded: when a client stops reading, further messages are refused (the sender may then try
 * elsewhere) instead of piling up. Thread-safe.
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

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean open = true;

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
        queue.add(message);
        return true;
    }

    /** Queues the end of the answer, after everything sent before. */
    void complete(JsonRpcResponse response) {
        queue.add(new Final(response));
    }

    /** Makes the writing thread give up: the server is closing, or a newer stream replaces this one. */
    void stop() {
        open = false;
        queue.add(STOP);
    }

    /** Refuses every later message: nobody will write them. */
    void refuse() {
        open = false;
    }

    /**
     * The next item: a {@link JsonRpcMessage}, a {@link Final}, {@link #STOP}, or null if none came in time.
     *
     * @throws InterruptedException if the writing thread is interrupted while waiting
     */
    Object take(long timeoutNanos) throws InterruptedException {
        Object item = queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        if (item instanceof JsonRpcMessage) {
            queued.decrementAndGet();
        }
        return item;
    }
}
