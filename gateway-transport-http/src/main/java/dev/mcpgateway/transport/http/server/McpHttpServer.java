package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.internal.transport.http.server.FrontDoorServer;
import dev.mcpgateway.internal.transport.http.server.FrontDoorRouter;
import dev.mcpgateway.server.McpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gateway's MCP endpoint on a built-in HTTP server (Jetty): HTTP/1.1 with strict RFC 9112 parsing and HTTP/2,
 * over TLS when {@link HttpFrontDoorOptions#tls()} names a certificate (h2 by ALPN) or in cleartext (h2c), each
 * request on a virtual thread (an open event stream costs a parked virtual thread, not a platform thread). Serves
 * the MCP endpoint at {@link HttpFrontDoorOptions#path()} and the gateway's own routes: {@code /healthz} (liveness),
 * {@code /readyz} (readiness: every registered plugin has a routable instance), {@code /api/v1/gateway} (version
 * and counts) and the management REST API under {@code /api/v1} ({@link ManagementApiOptions},
 * {@code docs/MANAGEMENT-API.md}); other paths get a 404 problem document (RFC 9457). Holds at most
 * {@link HttpFrontDoorOptions#maxConnections()} connections: a request on one more is answered
 * {@code 503 Service Unavailable} with {@code Retry-After: 1} and its connection closed. Request heads larger than
 * {@link HttpFrontDoorOptions#maxRequestHeaderBytes()} get 431; heads and bodies slower than their deadlines are cut
 * off. Closing it ends the open streams and stops listening; the {@link McpServer} behind it stays open.
 */
public final class McpHttpServer implements AutoCloseable {
    /** How long {@link #close} lets exchanges that were released finish before it drops their connections. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private final FrontDoorServer http;
    private final FrontDoorRouter handler;
    private final String path;
    private final AtomicBoolean closed = new AtomicBoolean();

    private McpHttpServer(FrontDoorServer http, FrontDoorRouter handler, String path) {
        this.http = http;
        this.handler = handler;
        this.path = path;
    }

    /**
     * Binds to the options' host and port and starts serving the server's sessions.
     *
     * @throws IOException if the address cannot be bound (in use, not local) or the TLS files cannot be read
     */
    public static McpHttpServer start(McpServer server, HttpFrontDoorOptions options) throws IOException {
        FrontDoorRouter handler = new FrontDoorRouter(server, options);
        try {
            return new McpHttpServer(FrontDoorServer.start(handler::handle, options), handler, options.path());
        } catch (IOException | RuntimeException e) {
            handler.close();
            throw e;
        }
    }

    /** The address it listens on (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return http.address();
    }

    /** The endpoint's URL ({@code https} with TLS), for clients on this machine or the bound address. */
    public URI endpoint() {
        InetSocketAddress address = address();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return URI.create((http.secure() ? "https" : "http") + "://" + host + ":" + address.getPort() + path);
    }

    /** Ends every open stream and waiting request, then stops listening (within about a second). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        handler.close();
        try {
            http.awaitIdle(CLOSE_GRACE);
        } finally {
            http.close();
        }
    }
}
