package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route of a front door, the same in the built-in server and the servlet: the MCP endpoint at the options'
 * path goes to {@link McpHttpHandler}; {@code /healthz}, {@code /readyz} and {@code /api/v1/gateway} to
 * {@link GatewayRoutes}; any other path is {@code 404}. The MCP endpoint applies the {@link RequestGuard} itself
 * (refusing in JSON-RPC); every other route is guarded here, and its errors are RFC 9457 problem documents
 * ({@link Problem}). The gateway's own routes only read, so they take {@code GET} and {@code HEAD} and answer other
 * methods {@code 405} with {@code Allow}. Thread-safe; answers exactly once and never throws.
 */
public final class FrontDoorRouter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FrontDoorRouter.class);
    private static final String READ_ONLY = "GET, HEAD";
    private static final byte[] NO_BODY = new byte[0];

    private final McpHttpHandler mcp;
    private final String mcpPath;
    private final RequestGuard guard;
    /** The read-only routes by exact path; more (e.g. {@code /metrics}) are added here the same way. */
    private final Map<String, Supplier<RouteReply>> routes;
    private volatile boolean closed;

    /** The routes of the server's gateway, with the options' endpoint path, allowed hosts and origins. */
    public FrontDoorRouter(McpServer server, HttpFrontDoorOptions options) {
        this.mcp = new McpHttpHandler(server, options);
        this.mcpPath = options.path();
        this.guard = new RequestGuard(options);
        GatewayRoutes gateway = new GatewayRoutes(server, () -> closed);
        this.routes = Map.of(
                "/healthz", gateway::health,
                "/readyz", gateway::ready,
                "/api/v1/gateway", gateway::summary);
    }

    /** Answers one exchange by its path. */
    public void handle(HttpExchangeAdapter exchange) {
        String path = exchange.path();
        if (mcpPath.equals(path)) {
            mcp.handle(exchange);
            return;
        }
        boolean head = "HEAD".equals(exchange.method());
        RouteReply reply;
        try {
            reply = answer(exchange, path, head);
        } catch (RuntimeException e) {
            log.warn("Answering {} {} failed", exchange.method(), path, e);
            reply = Problem.of(500, "Internal error in the gateway; see its log");
        }
        try {
            exchange.setHeader("Content-Type", reply.contentType());
            exchange.setHeader("Cache-Control", "no-store"); // health and counts are only true now
            exchange.send(reply.status(), head ? NO_BODY : reply.bytes());
        } catch (IOException e) {
            log.debug("A client went away before the answer to {} {} was written", exchange.method(), path, e);
        }
    }

    private RouteReply answer(HttpExchangeAdapter exchange, String path, boolean head) {
        RequestGuard.Refusal refusal = guard.check(exchange);
        if (refusal != null) {
            return Problem.of(refusal.status(), refusal.message());
        }
        Supplier<RouteReply> route = routes.get(path);
        if (route == null) {
            return Problem.of(404, "Nothing is served at " + path + "; the MCP endpoint is " + mcpPath
                    + ", the gateway's own routes are " + String.join(", ", routes.keySet().stream().sorted()
                    .toList()));
        }
        if (!head && !"GET".equals(exchange.method())) {
            exchange.setHeader("Allow", READ_ONLY);
            return Problem.of(405, "Method " + exchange.method() + " is not supported; " + path + " takes "
                    + READ_ONLY);
        }
        return route.get();
    }

    /**
     * Ends every open MCP stream and waiting request; from now on the MCP endpoint answers {@code 503} and so do
     * liveness and readiness, so orchestrators stop sending traffic here.
     */
    @Override
    public void close() {
        closed = true;
        mcp.close();
    }
}
