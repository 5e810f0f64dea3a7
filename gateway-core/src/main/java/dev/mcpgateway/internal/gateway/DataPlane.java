package dev.mcpgateway.internal.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.RateLimits;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.internal.ToolCallPlumbing;
import dev.mcpgateway.internal.health.OutlierDetector;
import dev.mcpgateway.internal.metrics.RoutingMeters;
import dev.mcpgateway.internal.pipeline.CallPipeline;
import dev.mcpgateway.internal.pipeline.InFlightAttempts;
import dev.mcpgateway.internal.pipeline.RateLimitInterceptor;
import dev.mcpgateway.internal.trace.ObservedCalls;
import dev.mcpgateway.internal.upstream.OwnedParamsConnection;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.AccessLogOptions;
import dev.mcpgateway.pipeline.CallInterceptor;
import dev.mcpgateway.routing.Router;
import dev.mcpgateway.routing.RoutingException;
import dev.mcpgateway.routing.ToolRoute;
import dev.mcpgateway.trace.TraceContext;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.PluginConnection;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The gateway's data plane: a tool call through the {@link CallPipeline} (interceptors, routing, the send), any
 * other request to one instance, and who is calling on each instance (so a plugin's requests can be relayed to the
 * client whose call caused them). It reads only the published routing table and never blocks on the control loop.
 */
public final class DataPlane {
    /** The gateway's configuration in force: read per call, as timeouts and trust can change while it runs. */
    private final Supplier<GatewayConfig> config;
    private final Router router;
    private final ConnectionManager connections;
    private final CallPipeline pipeline;
    /** Reports calls to the host's observation registry, or null when it gave none. */
    private final ObservedCalls observed;
    /** The clients of the calls in flight on each instance, oldest first, for relaying plugins' requests. */
    private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Authenticated>> clients = new ConcurrentHashMap<>();

    /**
     * @param inFlight the attempts in flight, failed fast when their instance turns unhealthy; null to let them run
     * @param outliers outlier detection, or null when it is off
     * @param accessLog whether calls are logged, one line each
     * @param routing  times the router's decisions, or null when the gateway records no metrics
     * @param observations where calls are reported as observations (spans), or null for nowhere
     */
    public DataPlane(Supplier<GatewayConfig> config, Router router, ConnectionManager connections,
                     ScheduledExecutorService timer, AccessLogOptions accessLog,
                     List<CallInterceptor> callInterceptors, List<CallInterceptor> attemptInterceptors,
                     InFlightAttempts inFlight, OutlierDetector outliers, RoutingMeters routing,
                     ObservationRegistry observations) {
        this.config = config;
        this.router = router;
        this.connections = connections;
        this.pipeline = new CallPipeline(accessLog, withRateLimits(callInterceptors, config.get().rateLimits(), router),
                attemptInterceptors, config.get().callLimits(),
                plugin -> config.get().trustsAnnotationsOf(plugin), timer, router, inFlight, outliers,
                routing == null ? this::route : routing.timed(this::route), this::send);
        this.observed = observations == null || observations.isNoop() ? null
                : new ObservedCalls(observations, CallPipeline::withOwnSpan, CallPipeline.pluginOf(router));
    }

    /**
     * The host's call interceptors, then the rate limits if any are set: after the host's (its authorization refuses
     * first) and before every other limit and routing, so a call over its rate costs nothing else.
     */
    private static List<CallInterceptor> withRateLimits(List<CallInterceptor> host, RateLimits limits, Router router) {
        if (!limits.enabled()) {
            return host;
        }
        List<CallInterceptor> all = new ArrayList<>(host);
        all.add(new RateLimitInterceptor(limits, name -> {
            ToolRoute route = router.table().routeByExposedName(name);
            return route == null ? null : route.key();
        }, System::nanoTime));
        return all;
    }

    /** Routes and sends one tool call through the interceptors; see {@code McpGateway.callTool}. */
    public CompletableFuture<CallToolResult> callTool(ToolCall call) {
        return observed == null ? pipeline.execute(call) : observed.observe(call, pipeline::executeInSpan);
    }

    /**
     * Sends any request to one instance, on behalf of a client (or null). A client makes the request its own: a
     * plugin using token exchange gets the client's token exchanged, or, when the client carries none (its front
     * door does not authenticate), the call fails rather than going out with the gateway's own credentials.
     */
    public CompletableFuture<JsonNode> forward(String instanceId, String method, JsonNode params, CallOptions options,
                                               Authenticated client) {
        return forward(instanceId, method, params, false, options, client);
    }

    /** {@link #forward}, of params built for this request alone when {@code owned} (see OwnedParamsConnection). */
    private CompletableFuture<JsonNode> forward(String instanceId, String method, JsonNode params, boolean owned,
                                                CallOptions options, Authenticated client) {
        if (client == null) {
            return requestOver(connections.connection(instanceId), method, params, owned, options);
        }
        if (options.onBehalfOf() == null) {
            options = options.onBehalfOf(client);
        }
        ConcurrentLinkedDeque<Authenticated> onInstance =
                clients.computeIfAbsent(instanceId, id -> new ConcurrentLinkedDeque<>());
        onInstance.add(client);
        CompletableFuture<JsonNode> result = requestOver(connections.connection(instanceId), method, params, owned,
                options);
        result.whenComplete((value, error) -> onInstance.removeFirstOccurrence(client));
        return result;
    }

    /** The clients of calls in flight on an instance, oldest first. */
    public List<Authenticated> clientsOn(String instanceId) {
        ConcurrentLinkedDeque<Authenticated> onInstance = clients.get(instanceId);
        return onInstance == null ? List.of() : List.copyOf(onInstance);
    }

    private Router.Routed route(ToolCall call) {
        return call.instance() == null ? router.route(call.name(), call.versions()) : pinned(call);
    }

    /** The route to the one instance the call is pinned to, if that instance still serves the tool. */
    private Router.Routed pinned(ToolCall call) {
        ToolRoute route = router.table().routeByExposedName(call.name());
        if (route == null) {
            throw RoutingException.unknownTool(call.name());
        }
        for (Endpoint endpoint : route.endpoints()) {
            if (endpoint.id().equals(call.instance()) && endpoint.instance().isRoutable()) {
                return new Router.Routed(route, endpoint);
            }
        }
        throw new RoutingException(ErrorCodes.NO_HEALTHY_INSTANCE, "Instance '" + call.instance() + "', which this"
                + " call must go back to, no longer serves tool '" + call.name() + "'; start the call again");
    }

    /**
     * The end of the chain: the attempt's {@code tools/call} to its instance, under the plugin's own tool name. Its
     * params and their {@code _meta} are built for this attempt alone, so the connection may complete them in place.
     */
    private CompletableFuture<JsonNode> send(ToolCall call, Router.Routed routed) {
        Endpoint endpoint = routed.endpoint();
        ObjectNode params = Json.object();
        ObjectNode extra = ToolCallPlumbing.extra(call);
        if (extra != null) {
            params.setAll(extra);
        }
        params.put("name", routed.route().key().name());
        if (call.arguments() != null && !call.arguments().isNull()) {
            params.set("arguments", call.arguments());
        }
        withOwnMeta(params, call.trace());
        CallOptions options = new CallOptions(call.timeout() != null ? call.timeout()
                : config.get().callTimeoutOf(endpoint.instance().pluginName(), routed.route().key().name()),
                call.progress(), call.client());
        return forward(endpoint.id(), "tools/call", params, true, options, call.client());
    }

    /**
     * Gives the params a {@code _meta} of their own, a copy of the client's (the call's members are shared by its
     * attempts), with the gateway's span of the call in it under the SEP-414 keys in place of the client's (which the
     * span hangs under), for every plugin whatever its transport; the HTTP transport mirrors it in headers.
     */
    private static void withOwnMeta(ObjectNode params, TraceContext trace) {
        JsonNode forwarded = params.get("_meta");
        if (trace == null && !(forwarded instanceof ObjectNode)) {
            return; // neither a _meta of the client's to copy nor a span to add
        }
        ObjectNode meta = Json.object();
        if (forwarded instanceof ObjectNode object) {
            meta.setAll(object);
        }
        if (trace != null) {
            meta.put(TraceContext.TRACEPARENT, trace.traceparent());
            if (trace.tracestate() != null) {
                meta.put(TraceContext.TRACESTATE, trace.tracestate());
            } else {
                meta.remove(TraceContext.TRACESTATE); // the client's, which went with a traceparent that was not valid
            }
        }
        params.set("_meta", meta);
    }

    /** Sends over a connection; cancelling the returned future cancels the connection's request (and so upstream). */
    private static CompletableFuture<JsonNode> requestOver(CompletableFuture<PluginConnection> connection, String method,
                                                           JsonNode params, boolean owned, CallOptions options) {
        if (connection.isDone() && !connection.isCompletedExceptionally()) {
            PluginConnection ready = connection.join();
            return owned && ready instanceof OwnedParamsConnection owning && params instanceof ObjectNode built
                    ? owning.requestOwned(method, built, options) : ready.request(method, params, options);
        }
        AtomicReference<CompletableFuture<JsonNode>> sent = new AtomicReference<>();
        CompletableFuture<JsonNode> request = connection.thenCompose(c -> {
            CompletableFuture<JsonNode> inner = c.request(method, params, options);
            sent.set(inner);
            return inner;
        });
        request.whenComplete((value, error) -> {
            CompletableFuture<JsonNode> inner = sent.get();
            if (error instanceof CancellationException && inner != null) {
                inner.cancel(false);
            }
        });
        return request;
    }
}
