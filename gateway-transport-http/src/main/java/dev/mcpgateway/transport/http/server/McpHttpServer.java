package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.internal.transport.http.server.Http1Server;
import dev.mcpgateway.internal.transport.http.server.HttpExchangeAdapter;
import dev.mcpgateway.internal.transport.http.server.McpHttpHandler;
import dev.mcpgateway.server.McpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gateway's MCP endpoint on a small built-in HTTP/1.1 server: no dependencies beyond the JDK, one virtual thread
 * per connection (an open event stream costs a parked virtual thread, not a platform thread). Serves exactly
 * {@link HttpFrontDoorOptions#path()}; other paths get 404. Holds at most {@link HttpFrontDoorOptions#maxConnections()}
 * connections: one more is answered {@code 503 Service Unavailable} with {@code Retry-After: 1} and closed. Closing it ends the open streams and stops listening;
 * the {@link McpServer} behind it stays open.
 */
public final class McpHttpServer implements AutoCloseable {
    /** How long {@link #close} lets exchanges that were released finish before it drops their connections. */
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a client's connection may sit idle; longer than common clients keep theirs pooled without use. */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

    private final Http1Server http;
    private final McpHttpHandler handler;
    private final String path;
    private final AtomicBoolean closed = new AtomicBoolean();
    // Exchanges in progress, so close() waits for the ones it released and no longer.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int active;

    private McpHttpServer(McpHttpHandler handler, String path, InetSocketAddress address, int maxConnections)
            throws IOException {
        this.handler = handler;
        this.path = path;
        this.http = Http1Server.start(address, this::serve, IDLE_TIMEOUT, maxConnections);
    }

    /**
     * Binds to the options' host and port and starts serving the server's sessions.
     *
     * @throws IOException if the address cannot be bound (in use, not local)
     */
    public static McpHttpServer start(McpServer server, HttpFrontDoorOptions options) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(options.host()), options.port());
        McpHttpHandler handler = new McpHttpHandler(server, options);
        try {
            return new McpHttpServer(handler, options.path(), address, options.maxConnections());
        } catch (IOException | RuntimeException e) {
            handler.close();
            throw e;
        }
    }

    /** The address it listens on (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return http.address();
    }

    /** The endpoint's URL, for clients on this machine or the bound address. */
    public URI endpoint() {
        InetSocketAddress address = address();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + address.getPort() + path);
    }

    /** Ends every open stream and waiting request, then stops listening (within about a second). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        handler.close();
        try {
            awaitIdle();
        } finally {
            http.close();
        }
    }

    private void awaitIdle() {
        lock.lock();
        try {
            long left = CLOSE_GRACE_NANOS;
            while (active > 0 && left > 0) {
                left = idle.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void serve(String requestPath, HttpExchangeAdapter exchange) throws IOException {
        if (!path.equals(requestPath)) {
            exchange.send(404, new byte[0]);
            return;
        }
        lock.lock();
        try {
            active++;
        } finally {
            lock.unlock();
        }
        try {
            handler.handle(exchange);
        } finally {
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
}
