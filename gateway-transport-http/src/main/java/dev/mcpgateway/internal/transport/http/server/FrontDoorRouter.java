package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.internal.audit.Actors;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.ManagementApiOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route of a front door, the same in the built-in server and the servlet: the MCP endpoint at the options'
 * path goes to {@link McpHttpHandler}, and so does each virtual server's at that path followed by {@code /<name>}; every other path to its route in one {@link RouteTable}: {@code /healthz},
 * {@code /readyz} and {@code /api/v1/gateway} ({@link GatewayRoutes}), {@code /metrics} ({@link MetricsRoutes}) and, unless
 * {@link ManagementApiOptions#enabled()} is off, the management API under {@code /api/v1} ({@link ManagementApi}) and
 * the live page that reads it at {@code /dashboard} ({@link DashboardRoutes});
 * any other path is {@code 404}, a served path asked with another method {@code 405} with {@code Allow}. With
 * {@link HttpFrontDoorOptions#auth()} set, the protected-resource metadata is served at
 * {@code /.well-known/oauth-protected-resource} (and that followed by the MCP path), and every route but the probes
 * needs a bearer token with the scope of its class ({@link ApiAccess}), refused with a problem document carrying the
 * {@code WWW-Authenticate} challenge ({@link BearerAuth}). The MCP
 * endpoint applies the {@link RequestGuard} itself (refusing in JSON-RPC); every other route is guarded here, and its
 * errors are RFC 9457 problem documents ({@link Problem}). A route answers on the request's thread, waiting for the
 * gateway as the MCP endpoint does (a virtual thread in the built-in server); its body, if it reads one, counts in
 * the same budget of bodies in flight as the MCP endpoint's until it is answered. Thread-safe; answers exactly once
 * and never throws.
 */
public final class FrontDoorRouter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FrontDoorRouter.class);
    private static final byte[] NO_BODY = new byte[0];
    private static final String API_PREFIX = "/api/v1/";

    private final McpGateway gateway;
    private final McpHttpHandler mcp;
    private final String mcpPath;
    /** The endpoint of each virtual server, by its name: {@code <mcpPath>/<name>}. */
    private final Map<String, McpHttpHandler> virtualServers;
    private final RequestGuard guard;
    private final RouteTable routes;
    private final boolean apiEnabled;
    private final BodyBudget bodyBudget;
    private final RequestBodies apiBodies;
    private final Waits waits = new Waits();
    /** Null when clients do not authenticate; so is {@link #access}. */
    private final BearerAuth bearer;
    private final ApiAccess access;
    /** Whether pages of the allowed origins may read answers ({@link CorsPolicy}): the metadata's too. */
    private final boolean cors;
    private volatile boolean closed;

    /** The routes of the server's gateway, with the options' endpoint path, allowed hosts and origins. */
    public FrontDoorRouter(McpServer server, HttpFrontDoorOptions options) {
        this.gateway = server.gateway();
        this.mcp = new McpHttpHandler(server, options);
        this.mcpPath = options.path();
        Map<String, McpHttpHandler> views = new LinkedHashMap<>();
        for (String name : server.virtualServerNames()) {
            // One budget of bodies in flight for the whole front door, and one resource server: a virtual server's
            // clients use the gateway's tokens and metadata.
            views.put(name, new McpHttpHandler(server.virtualServer(name).orElseThrow(), options, ClientKey.ADDRESS,
                    mcp.bodies()));
        }
        this.virtualServers = Map.copyOf(views);
        this.guard = new RequestGuard(options);
        this.bearer = options.auth() == null ? null : new BearerAuth(options.auth(), options.path(),
                options.tls() != null);
        this.access = options.auth() == null ? null : new ApiAccess(options.auth());
        this.cors = options.cors();
        ManagementApiOptions api = options.managementApi();
        this.apiEnabled = api.enabled();
        this.bodyBudget = mcp.bodies();
        // A body larger than the whole budget could never be admitted: it is refused as too large instead.
        this.apiBodies = new RequestBodies((int) Math.min(api.maxBodyBytes(), bodyBudget.max()), bodyBudget,
                server.rejections());
        GatewayRoutes gateway = new GatewayRoutes(server, () -> closed, Clock.systemUTC());
        RouteTable.Builder table = RouteTable.builder()
                .routeIgnoringQuery("GET", "/healthz", request -> gateway.health())
                .routeIgnoringQuery("GET", "/readyz", request -> gateway.ready())
                .routeIgnoringQuery("GET", "/api/v1/gateway", request -> gateway.summary());
        MetricsRoutes metrics = new MetricsRoutes(server.gateway(), options.metrics());
        table.route("GET", "/metrics", request -> metrics.scrape());
        if (apiEnabled) {
            ManagementApi.addRoutes(table, server.gateway(), api, waits, server.options().accessPolicy());
            table.route("GET", "/api/v1/metrics", request -> metrics.summary());
            table.route("GET", "/api/v1/events", List.of("limit"),
                    request -> EventsRoute.recent(server.gateway(), request));
            new DashboardRoutes().addRoutes(table);
        }
        this.routes = table.build();
    }

    /** The routes besides the MCP endpoint, in the order they were added (for the OpenAPI description's test). */
    List<RouteTable.Route> routes() {
        return routes.routes();
    }

    /** Answers one exchange by its path. */
    public void handle(HttpExchangeAdapter exchange) {
        String path = exchange.path();
        if (mcpPath.equals(path)) {
            mcp.handle(exchange);
            return;
        }
        McpHttpHandler virtual = virtualServers.isEmpty() || !path.startsWith(mcpPath + "/") ? null
                : virtualServers.get(path.substring(mcpPath.length() + 1));
        if (virtual != null) {
            virtual.handle(exchange);
            return;
        }
        if (cors && bearer != null && bearer.isMetadataPath(path) && CorsPolicy.isPreflight(exchange)
                && guard.check(exchange) == null) {
            // A browser client (the SDK adds MCP-Protocol-Version) asks before it reads where to get a token.
            answerPreflight(exchange, path);
            return;
        }
        boolean head = "HEAD".equals(exchange.method());
        // Held until the answer is written: a parsed body lives that long.
        try (BodyBudget.Lease lease = bodyBudget.lease()) {
            RouteReply reply;
            try {
                reply = answer(exchange, path, lease);
            } catch (ProblemException problem) {
                reply = problem.reply();
            } catch (UncheckedIOException e) {
                // The body could not be read: the client left, or (built-in server) it is answered 408 or 400 for it.
                log.debug("The body of {} {} could not be read", exchange.method(), path, e);
                return;
            } catch (RuntimeException e) {
                log.warn("Answering {} {} failed", exchange.method(), path, e);
                reply = Problem.of(500, "Internal error in the gateway; see its log");
            }
            if (!lease.holdsAny() && announcesBody(exchange) && !UnreadBodies.discarded(exchange)) {
                // Answered without reading a large body (a 413, say): the server drops the connection after the
                // answer rather than read it, so the client must not reuse it.
                reply = reply.withHeader("Connection", "close");
            }
            write(exchange, reply, head, path);
        }
    }

    private RouteReply answer(HttpExchangeAdapter exchange, String path, BodyBudget.Lease lease) {
        RequestGuard.Refusal refusal = guard.check(exchange);
        if (refusal != null) {
            return Problem.of(refusal.status(), refusal.message());
        }
        if (bearer != null && bearer.isMetadataPath(path)) {
            return metadata(exchange, path);
        }
        return switch (routes.find(exchange.method(), path)) {
            case RouteTable.Found found -> {
                Principal caller = authenticate(exchange, found.route());
                ApiRequest request = new ApiRequest(exchange, found.params(),
                        found.route().strict() ? found.route().query() : null, apiBodies, lease,
                        caller == null ? ApiAccess.Grant.OPEN : access.grant(caller), caller);
                // The changes a route makes are audited as its caller's.
                yield Actors.as(caller == null ? Actors.ANONYMOUS : caller.subject(),
                        () -> found.route().handler().handle(request));
            }
            case RouteTable.WrongMethod wrong -> Problem.of(405, "Method " + exchange.method() + " is not "
                    + "supported; " + path + " takes " + wrong.allow()).withHeader("Allow", wrong.allow());
            case RouteTable.NotFound none -> notFound(path);
        };
    }

    /** RFC 9728 metadata: public, as clients read it to learn where to get a token. */
    private RouteReply metadata(HttpExchangeAdapter exchange, String path) {
        if (!"GET".equals(exchange.method()) && !"HEAD".equals(exchange.method())) {
            return Problem.of(405, "Method " + exchange.method() + " is not supported; " + path + " takes GET, HEAD")
                    .withHeader("Allow", "GET, HEAD");
        }
        if (cors) {
            CorsPolicy.annotate(exchange);
        }
        return RouteReply.json(200, bearer.metadata(exchange));
    }

    private static void answerPreflight(HttpExchangeAdapter exchange, String path) {
        try {
            CorsPolicy.answerPreflight(exchange);
        } catch (IOException e) {
            log.debug("A client went away before the preflight of {} was answered", path, e);
        }
    }

    /**
     * Who calls a route, refused with the challenge when its token falls short of the route's scope; null when the
     * front door authenticates nobody or the route needs no token.
     */
    private Principal authenticate(HttpExchangeAdapter exchange, RouteTable.Route route) {
        if (bearer == null) {
            return null;
        }
        ApiAccess.Need need = ApiAccess.need(route.method(), route.template());
        if (need == ApiAccess.Need.NONE) {
            return null;
        }
        try {
            return bearer.authenticate(exchange, access.requirement(need));
        } catch (BearerAuth.Refused refused) {
            refused.audit(gateway, need == ApiAccess.Need.REGISTER || need == ApiAccess.Need.OWN_INSTANCE
                    ? AuthFailure.Surface.REGISTRATION : AuthFailure.Surface.MANAGEMENT_API, exchange);
            RouteReply reply = Problem.of(refused.status, refused.getMessage());
            for (Map.Entry<String, String> header : refused.headers.entrySet()) {
                reply = reply.withHeader(header.getKey(), header.getValue());
            }
            throw new ProblemException(reply);
        }
    }

    private RouteReply notFound(String path) {
        if (!apiEnabled && path.startsWith(API_PREFIX)) {
            return Problem.of(404, "The management API is disabled on this gateway, so nothing is served at " + path
                    + " (only /api/v1/gateway is); the host enables it with ManagementApiOptions.enabled");
        }
        return Problem.of(404, "Nothing is served at " + path + "; the MCP endpoint is " + mcpPath
                + (virtualServers.isEmpty() ? "" : ", the virtual servers' are " + mcpPath + "/{"
                + String.join(",", new TreeSet<>(virtualServers.keySet())) + "}")
                + ", the gateway's own routes are /healthz, /readyz, /metrics and /api/v1/gateway"
                + (apiEnabled ? ", the management API under /api/v1 (see /api/v1/openapi.json) and its page at "
                + DashboardRoutes.PATH : ""));
    }

    private static boolean announcesBody(HttpExchangeAdapter exchange) {
        String length = exchange.header("Content-Length");
        return exchange.header("Transfer-Encoding") != null || (length != null && !length.strip().equals("0"));
    }

    private static void write(HttpExchangeAdapter exchange, RouteReply reply, boolean head, String path) {
        try {
            if (exchange.isCommitted()) {
                return;
            }
            exchange.setHeader("Content-Type", reply.contentType());
            exchange.setHeader("Cache-Control", "no-store"); // health, counts and instances are only true now
            for (Map.Entry<String, String> header : reply.headers().entrySet()) {
                exchange.setHeader(header.getKey(), header.getValue());
            }
            exchange.send(reply.status(), head ? NO_BODY : reply.bytes());
        } catch (IOException e) {
            log.debug("A client went away before the answer to {} {} was written", exchange.method(), path, e);
        }
    }

    /**
     * Ends every open MCP stream, waiting request and API route waiting for the gateway (answered {@code 503}); from
     * now on the MCP endpoint answers {@code 503} and so do liveness and readiness, so orchestrators stop sending
     * traffic here.
     */
    @Override
    public void close() {
        closed = true;
        waits.close();
        mcp.close();
        virtualServers.values().forEach(McpHttpHandler::close);
    }
}
