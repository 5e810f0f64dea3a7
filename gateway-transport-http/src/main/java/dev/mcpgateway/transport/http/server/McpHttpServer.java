package dev.mcpgateway.transport.http.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mcpgateway.internal.transport.http.server.HttpExchangeAdapter;
import dev.mcpgateway.internal.transport.http.server.McpHttpHandler;
import dev.mcpgateway.server.McpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gateway's MCP endpoint on the JDK's built-in HTTP server: no dependencies beyond the JDK, one virtual thread
 * per exchange (an open event stream costs a parked virtual thread, not a platform thread). Serves exactly
 * {@link HttpFrontDoorOptions#path()}; other paths get 404. Closing it ends the open streams and stops listening;
 * the {@link McpServer} behind it stays open.
 */
public final class McpHttpServer implements AutoCloseable {
    /** How long {@link #close} lets exchanges that were released finish before it drops their connections. */
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final HttpServer http;
    private final ExecutorService executor;
    private final McpHttpHandler handler;
    private final String path;
    private final AtomicBoolean closed = new AtomicBoolean();
    // The JDK server's own stop(delay) may wait out the whole delay for connections it still counts as busy; the
    // exchanges this server runs are counted here instead, so close() returns as soon as they are done.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int active;

    private McpHttpServer(HttpServer http, ExecutorService executor, McpHttpHandler handler, String path) {
        this.http = http;
        this.executor = executor;
        this.handler = handler;
        this.path = path;
    }

    /**
     * Binds to the options' host and port and starts serving the server's sessions.
     *
     * @throws IOException if the address cannot be bound (in use, not local)
     */
    public static McpHttpServer start(McpServer server, HttpFrontDoorOptions options) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(options.host()), options.port());
        HttpServer http = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        McpHttpHandler handler = new McpHttpHandler(server, options);
        String path = options.path();
        http.setExecutor(executor);
        McpHttpServer started = new McpHttpServer(http, executor, handler, path);
        http.createContext(path, started::serve);
        http.start();
        return started;
    }

    /** The address it listens on (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return http.getAddress();
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
            http.stop(0);
        } finally {
            executor.shutdownNow();
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

    private void serve(HttpExchange exchange) throws IOException {
        lock.lock();
        try {
            active++;
        } finally {
            lock.unlock();
        }
        try (exchange) {
            // The JDK matches contexts by prefix; only the endpoint itself is MCP.
            if (!path.equals(exchange.getRequestURI().getRawPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            handler.handle(new JdkExchange(exchange));
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

    /** An exchange of the JDK's server. */
    private static final class JdkExchange implements HttpExchangeAdapter {
        private final HttpExchange exchange;
        private boolean committed;

        JdkExchange(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public String method() {
            return exchange.getRequestMethod();
        }

        @Override
        public String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        @Override
        public InputStream body() {
            return exchange.getRequestBody();
        }

        @Override
        public void setHeader(String name, String value) {
            exchange.getResponseHeaders().set(name, value);
        }

        @Override
        public void send(int status, byte[] body) throws IOException {
            committed = true;
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                OutputStream out = exchange.getResponseBody();
                out.write(body);
                out.flush();
            }
        }

        @Override
        public OutputStream stream(int status) throws IOException {
            committed = true;
            exchange.sendResponseHeaders(status, 0); // 0: chunked, as long as it takes
            OutputStream out = exchange.getResponseBody();
            out.flush();
            return out;
        }

        @Override
        public boolean isCommitted() {
            return committed;
        }
    }
}
