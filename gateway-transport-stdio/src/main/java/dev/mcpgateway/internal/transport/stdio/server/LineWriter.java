package dev.mcpgateway.internal.transport.stdio.server;

import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.server.MessageSink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes JSON-RPC messages to a stream as one line each, flushed at once. Messages are encoded before the lock is
 * taken, so a message that cannot be encoded never leaves half a line behind, and concurrent senders never
 * interleave. Once a write fails (the reader of the stream is gone), every later send reports non-delivery and the
 * owner is told once. Thread-safe.
 */
public final class LineWriter implements MessageSink {
    private static final Logger log = LoggerFactory.getLogger(LineWriter.class);
    private static final JsonRpcCodec CODEC = JsonRpcCodec.INSTANCE;
    private static final int BUFFER_BYTES = 64 * 1024;
    // A sender holds the lock for microseconds unless the reader stopped reading and the pipe is full; closing
    // must not wait for that reader.
    private static final long CLOSE_LOCK_WAIT_MILLIS = 100;

    private final OutputStream out;
    private final Runnable onBroken;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean brokenReported = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * A writer to {@code out}, which it owns and closes.
     *
     * @param onBroken run once, on the failing sender's thread, when a write fails; must not block
     */
    public LineWriter(OutputStream out, Runnable onBroken) {
        this.out = new BufferedOutputStream(Objects.requireNonNull(out, "out"), BUFFER_BYTES);
        this.onBroken = Objects.requireNonNull(onBroken, "onBroken");
    }

    /**
     * Writes the message as one line and flushes it. A response that cannot be encoded is replaced by an internal
     * error under the same id, so the client's request still gets an answer.
     *
     * @return false when the writer is closed or the stream is broken, or the message cannot be encoded
     */
    @Override
    public boolean send(JsonRpcMessage message) {
        if (closed) {
            return false;
        }
        byte[] line = encode(message);
        if (line == null) {
            return false;
        }
        IOException failure;
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            out.write(line);
            out.write('\n');
            out.flush();
            return true;
        } catch (IOException e) {
            closed = true;
            failure = e;
        } finally {
            lock.unlock();
        }
        if (brokenReported.compareAndSet(false, true)) {
            log.debug("writing a message failed; the reader of the stream is gone", failure);
            onBroken.run();
        }
        return false;
    }

    /**
     * Stops writing and closes the stream. When a sender is blocked on a stream nobody reads, the stream is left
     * to it rather than waited for; later sends are refused either way.
     */
    public void close() {
        closed = true;
        boolean locked;
        try {
            locked = lock.tryLock(CLOSE_LOCK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = lock.tryLock();
        }
        if (!locked) {
            log.debug("a write is blocked on a stream nobody reads; leaving the stream open");
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            log.debug("closing the stream failed", e);
        } finally {
            lock.unlock();
        }
    }

    private static byte[] encode(JsonRpcMessage message) {
        try {
            return CODEC.encode(message);
        } catch (IllegalArgumentException e) {
            if (message instanceof JsonRpcResponse response && response.id() != null) {
                log.warn("the response to request {} cannot be encoded; answering with an internal error instead",
                        response.id(), e);
                return CODEC.encode(JsonRpcResponse.failure(response.id(), ErrorCodes.INTERNAL_ERROR,
                        "Internal error: the gateway could not encode the result as JSON"));
            }
            log.warn("a message for the client cannot be encoded and was dropped", e);
            return null;
        }
    }
}
