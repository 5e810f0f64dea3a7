package dev.mcpgateway.internal.transport.http.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The front door as a Jetty core handler: answers every path through its handler (the {@link FrontDoorRouter},
 * blocking, on a virtual thread; it answers exactly once and never throws), and every request on a connection beyond
 * the {@link ConnectionCap}
 * {@code 503} with {@code Retry-After} before closing it. Knows which connections it is answering (for the
 * {@link SlowClientReaper}) and how many exchanges are in progress (so closing can let released ones finish).
 */
public final class EndpointHandler extends Handler.Abstract {

    private final Consumer<HttpExchangeAdapter> handler;
    private final ConnectionCap cap;
    private final long bodyTimeoutNanos;
    private final Set<Connection> answering = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int active;

    /**
     * A handler serving every path with {@code handler} (the {@link FrontDoorRouter}; the benchmarks' floor serves a
     * canned answer), refusing for {@code cap}.
     */
    public EndpointHandler(Consumer<HttpExchangeAdapter> handler, ConnectionCap cap, Duration bodyTimeout) {
        super(InvocationType.BLOCKING);
        this.handler = handler;
        this.cap = cap;
        this.bodyTimeoutNanos = bodyTimeout.toNanos();
    }

    /** The connections whose request is with the handler now. */
    public Set<Connection> answering() {
        return answering;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Connection connection = request.getConnectionMetaData().getConnection();
        if (cap.refuses(connection.getEndPoint())) {
            refuse(request, response, callback);
            return true;
        }
        // The exchange counts as in progress until its answer is flushed, not merely until the handler returns: a
        // full answer is written asynchronously, and closing must not drop a connection whose answer is on its way.
        enter();
        JettyExchange exchange = new JettyExchange(request, response, Callback.from(callback, this::leave),
                bodyTimeoutNanos);
        answering.add(connection);
        try {
            handler.accept(exchange);
        } finally {
            answering.remove(connection);
            exchange.finish();
        }
        return true;
    }

    private void refuse(Request request, Response response, Callback callback) {
        response.setStatus(503);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        JettyExchange.closeAfter(response, request);
        response.write(true, ByteBuffer.wrap(("the gateway holds its limit of " + cap.max()
                + " connections; retry later\n").getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Waits until no exchange is in progress, or the grace period passed. */
    public void awaitIdle(Duration grace) {
        lock.lock();
        try {
            long left = grace.toNanos();
            while (active > 0 && left > 0) {
                left = idle.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void enter() {
        lock.lock();
        try {
            active++;
        } finally {
            lock.unlock();
        }
    }

    private void leave() {
        lock.lock();
        try {
            if (--active == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }
}
