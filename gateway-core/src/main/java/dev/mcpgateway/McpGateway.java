package dev.mcpgateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.EndpointStats;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.health.HealthMonitor;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.internal.gateway.ConnectionManager;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.internal.routing.DefaultRouter;
import dev.mcpgateway.internal.routing.RoutingTableBuilder;
import dev.mcpgateway.internal.transport.InProcessTransport;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.registry.Registry;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.Router;
import dev.mcpgateway.routing.RoutingException;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.routing.ToolRoute;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.NotSentException;
import dev.mcpgateway.transport.PluginListener;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.Transport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway, embedded: a registry of plugin instances, the router and balancers that place each tool call,
 * and the connections that carry it. Build one with {@link #builder()}, register plugins, then
 * {@link #listTools()} and {@link #callTool(String, JsonNode)}; {@link #close()} stops every thread it started.
 */
public final class McpGateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(McpGateway.class);
    /** How many times a call is routed again after a failure that is safe to retry. */
    private static final int MAX_RETRIES = 2;

    private final GatewayConfig config;
    private final InMemoryRegistry registry;
    private final DefaultRouter router;
    private final InProcessTransport inProcess;
    private final Map<String, Transport> transports;
    private final ConnectionManager connections;
    private final List<HealthMonitor> healthMonitors;
    private final ScheduledExecutorService scheduler;
    /** The requesters of the calls in flight on each instance, oldest first, for relaying plugins' requests. */
    private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Object>> requesters = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private McpGateway(Builder builder) {
        this.config = builder.config;
        this.inProcess = new InProcessTransport();
        Map<String, Transport> byType = new LinkedHashMap<>();
        byType.put(inProcess.type(), inProcess);
        for (Transport transport : builder.transports) {
            if (byType.putIfAbsent(transport.type(), transport) != null) {
                throw new IllegalArgumentException("two transports of type '" + transport.type() + "' were added; keep one");
            }
        }
        this.transports = Map.copyOf(byType);
        this.registry = new InMemoryRegistry(builder.clock,
                new RoutingTableBuilder(config.loadBalancer(), config.routingRules(), config.toolNaming()),
                "mcp-gateway-control");
        this.router = new DefaultRouter(registry::table);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("mcp-gateway-scheduler").daemon(true).factory());
        this.connections = new ConnectionManager(transports, registry, scheduler, config.sessionOptions(),
                config.sessionOptions().handshakeTimeout());
        registry.addListener(connections);
        registry.addListener(this::forgetInProcessHandlers);
        builder.listeners.forEach(registry::addListener);
        long leaseCheckMillis = config.leaseCheckInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::evictExpiredLeases, leaseCheckMillis, leaseCheckMillis,
                TimeUnit.MILLISECONDS);
        this.healthMonitors = List.copyOf(builder.healthMonitors);
        for (HealthMonitor monitor : healthMonitors) {
            monitor.start(registry);
        }
    }

    /** Starts building a gateway. */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration the gateway runs with. */
    public GatewayConfig config() {
        return config;
    }

    /** The registry of plugin instances (register, renew, deregister, status, health). */
    public Registry registry() {
        return registry;
    }

    /** The router: where calls would go right now. */
    public Router router() {
        return router;
    }

    /** The routing table in force. */
    public RoutingTable routingTable() {
        return registry.table();
    }

    /**
     * Registers a plugin instance after checking that a transport for it is installed.
     *
     * @return completes when the instance is routable (or, if it is not {@code UP}, at least registered)
     */
    public CompletableFuture<PluginInstance> register(Registration registration) {
        String type = registration.manifest().transport().type();
        if (!transports.containsKey(type)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("plugin '" + registration.manifest().name()
                    + "' uses transport '" + type + "', which is not installed; installed: " + transports.keySet()
                    + ". Add its module and McpGateway.builder().transport(...)"));
        }
        return registry.register(registration);
    }

    /**
     * Starts instances of a plugin the gateway connects to (stdio processes, HTTP servers): they register as
     * {@code STARTING}, and each becomes {@code UP}, with the tools it lists, once connected. A plugin that
     * cannot be reached stays registered and is retried with backoff.
     *
     * @param instances how many instances to run side by side (stdio: processes)
     * @return completes with the instances once every one is routable; fails with the first connect error
     *         (the instances keep retrying in the background; deregister them to stop)
     */
    public CompletableFuture<List<PluginInstance>> addPlugin(PluginManifest manifest, int instances) {
        if (instances < 1) {
            throw new IllegalArgumentException("plugin '" + manifest.name() + "' needs at least 1 instance, got " + instances);
        }
        List<CompletableFuture<PluginInstance>> started = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            started.add(register(new Registration(null, manifest, InstanceStatus.STARTING, null))
                    .thenCompose(instance -> connections.ready(instance.id())));
        }
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                .thenApply(done -> started.stream().map(CompletableFuture::join).toList());
    }

    /** Starts one instance of a plugin the gateway connects to; see {@link #addPlugin(PluginManifest, int)}. */
    public CompletableFuture<PluginInstance> addPlugin(PluginManifest manifest) {
        return addPlugin(manifest, 1).thenApply(list -> list.get(0));
    }

    /** Registers Java handlers as one instance of a plugin; call it again for more instances of the same plugin. */
    public CompletableFuture<PluginInstance> registerInProcess(InProcessPlugin plugin) {
        String handlerId = inProcess.install(plugin);
        return registry.register(Registration.of(plugin.manifest(handlerId))).whenComplete((instance, error) -> {
            if (error != null) {
                inProcess.uninstall(handlerId);
            }
        });
    }

    /** The tools clients can call now, in listing order, under their exposed names. */
    public List<ExposedTool> listTools() {
        return registry.table().tools();
    }

    /** Calls a tool by its exposed name with the gateway's default timeout. */
    public CompletableFuture<CallToolResult> callTool(String name, JsonNode arguments) {
        return callTool(ToolCall.of(name, arguments));
    }

    /**
     * Routes and sends one tool call.
     *
     * @return completes with the plugin's result (a tool failure is a result with {@code isError: true}), or
     *         exceptionally with a {@link JsonRpcException} whose code says what failed: -32602 unknown tool,
     *         {@link ErrorCodes#NO_HEALTHY_INSTANCE}, {@link ErrorCodes#NO_MATCHING_INSTANCE},
     *         {@link ErrorCodes#UPSTREAM_TIMEOUT}, {@link ErrorCodes#UPSTREAM_UNAVAILABLE}, ...
     */
    public CompletableFuture<CallToolResult> callTool(ToolCall call) {
        if (closed) {
            return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.GATEWAY_CLOSED, "The gateway is closed"));
        }
        Attempt attempt = new Attempt(call);
        attempt.send(MAX_RETRIES);
        return attempt.outcome;
    }

    /**
     * One tool call and its attempts. A request that never reached a plugin is routed again (another instance
     * may be fine: the one picked may have just crashed, before the table knew); so is a read-only or
     * idempotent tool whose connection broke mid-call. Everything else fails with the plugin's error.
     */
    private final class Attempt {
        private final ToolCall call;
        private final CompletableFuture<CallToolResult> outcome = new CompletableFuture<>();
        /** The request in flight; a caller's cancellation is passed on to it. */
        private volatile CompletableFuture<JsonNode> current;

        Attempt(ToolCall call) {
            this.call = call;
            outcome.whenComplete((value, error) -> {
                CompletableFuture<JsonNode> request = current;
                if (error instanceof CancellationException && request != null) {
                    request.cancel(false);
                }
            });
        }

        void send(int retriesLeft) {
            Router.Routed routed;
            try {
                routed = call.instance() == null ? router.route(call.name(), call.versions()) : pinned();
            } catch (RoutingException e) {
                outcome.completeExceptionally(e);
                return;
            }
            if (call.routed() != null) {
                call.routed().accept(routed.endpoint().id());
            }
            Endpoint endpoint = routed.endpoint();
            ObjectNode params = Json.object();
            if (call.extra() != null) {
                params.setAll(call.extra());
            }
            params.put("name", routed.route().key().name());
            if (call.arguments() != null && !call.arguments().isNull()) {
                params.set("arguments", call.arguments());
            }
            CallOptions options = new CallOptions(call.timeout() != null ? call.timeout()
                    : config.callTimeoutOf(endpoint.instance().pluginName()), call.progress());
            EndpointStats stats = endpoint.stats();
            stats.callStarted();
            long startNanos = System.nanoTime();
            // Known before the request leaves: a plugin may ask its client something the moment it reads it.
            Object requester = call.requester();
            if (requester != null) {
                requesters.computeIfAbsent(endpoint.id(), id -> new ConcurrentLinkedDeque<>()).add(requester);
            }
            CompletableFuture<JsonNode> request = requestOver(connections.connection(endpoint.id()), "tools/call", params,
                    options);
            current = request;
            if (outcome.isCancelled()) {
                request.cancel(false);
            }
            request.whenComplete((result, error) -> {
                ConcurrentLinkedDeque<Object> onInstance = requester == null ? null : requesters.get(endpoint.id());
                if (onInstance != null) {
                    onInstance.removeFirstOccurrence(requester);
                }
                Throwable cause = unwrap(error);
                if (cause instanceof CancellationException && outcome.isCancelled()) {
                    stats.callFinished(System.nanoTime() - startNanos, true); // the caller gave up, not the plugin
                    return;
                }
                stats.callFinished(System.nanoTime() - startNanos, cause == null || answeredByPlugin(cause));
                if (cause != null && retriesLeft > 0 && call.instance() == null && mayRetry(cause, routed.route())) {
                    log.debug("Retrying {} elsewhere after {} on {}", call.name(), cause.getMessage(), endpoint.id());
                    send(retriesLeft - 1);
                } else if (cause != null) {
                    outcome.completeExceptionally(cause instanceof JsonRpcException ? cause : new JsonRpcException(
                            ErrorCodes.INTERNAL_ERROR, "Calling tool '" + call.name() + "' on " + endpoint.id()
                                    + " failed: " + cause, null, null, cause));
                } else if (result == null || !result.isObject()) {
                    outcome.completeExceptionally(new JsonRpcException(ErrorCodes.INTERNAL_ERROR, "Plugin instance '"
                            + endpoint.id() + "' answered tools/call with a "
                            + (result == null ? "missing" : result.getNodeType()) + " result"));
                } else {
                    outcome.complete(new CallToolResult((ObjectNode) result));
                }
            });
        }

        /** The route to the one instance the call is pinned to, if that instance still serves the tool. */
        private Router.Routed pinned() {
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

        private static boolean mayRetry(Throwable cause, ToolRoute route) {
            return cause instanceof NotSentException
                    || (cause instanceof JsonRpcException rpc && rpc.code() == ErrorCodes.UPSTREAM_UNAVAILABLE
                            && route.tool().definition().annotations().isSafeToRetry());
        }
    }

    /**
     * Sends any MCP request to one plugin instance (resources, prompts, completion), for the gateway's MCP server
     * and hosts that need more than tools.
     *
     * @return the result, or a failure with the plugin's error or {@code UPSTREAM_*}
     */
    public CompletableFuture<JsonNode> forward(String instanceId, String method, JsonNode params, CallOptions options) {
        if (closed) {
            return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.GATEWAY_CLOSED, "The gateway is closed"));
        }
        return requestOver(connections.connection(instanceId), method, params, options);
    }

    /**
     * Sends any MCP request to one plugin instance on behalf of a requester (see {@link ToolCall#requester()}), so
     * requests the plugin makes while serving it can be relayed to that requester.
     */
    public CompletableFuture<JsonNode> forward(String instanceId, String method, JsonNode params, CallOptions options,
                                               Object requester) {
        if (requester == null) {
            return forward(instanceId, method, params, options);
        }
        ConcurrentLinkedDeque<Object> onInstance = requesters.computeIfAbsent(instanceId, id -> new ConcurrentLinkedDeque<>());
        onInstance.add(requester);
        CompletableFuture<JsonNode> result = forward(instanceId, method, params, options);
        result.whenComplete((value, error) -> onInstance.removeFirstOccurrence(requester));
        return result;
    }

    /** Sends over a connection; cancelling the returned future cancels the connection's request (and so upstream). */
    private static CompletableFuture<JsonNode> requestOver(CompletableFuture<PluginConnection> connection, String method,
                                                           JsonNode params, CallOptions options) {
        if (connection.isDone() && !connection.isCompletedExceptionally()) {
            return connection.join().request(method, params, options);
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

    /** Sets who hears plugins' notifications and requests; the gateway's MCP server installs itself here. */
    public void pluginListener(PluginListener listener) {
        connections.pluginListener(Objects.requireNonNull(listener, "listener"));
    }

    /** The requesters (see {@link ToolCall#requester()}) of calls in flight on an instance, oldest first. */
    public List<Object> requestersOn(String instanceId) {
        ConcurrentLinkedDeque<Object> onInstance = requesters.get(instanceId);
        return onInstance == null ? List.of() : List.copyOf(onInstance);
    }

    /** Stops health monitors, the lease scheduler and the control loop, and closes every plugin connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (HealthMonitor monitor : healthMonitors) {
            try {
                monitor.close();
            } catch (RuntimeException e) {
                log.warn("Closing health monitor {} failed", monitor, e);
            }
        }
        // Connections first: they stop supervision (restarts are scheduled) and shut plugin processes down.
        connections.close();
        registry.close();
        scheduler.shutdownNow();
        List<Transport> reverse = new ArrayList<>(transports.values());
        java.util.Collections.reverse(reverse);
        for (Transport transport : reverse) {
            try {
                transport.close();
            } catch (RuntimeException e) {
                log.warn("Closing transport {} failed", transport.type(), e);
            }
        }
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void evictExpiredLeases() {
        registry.evictExpired().exceptionally(error -> {
            if (!closed) {
                log.warn("Evicting expired leases failed", error);
            }
            return List.of();
        });
    }

    private void forgetInProcessHandlers(GatewayEvent event) {
        PluginInstance gone = switch (event) {
            case GatewayEvent.InstanceDeregistered e -> e.instance();
            case GatewayEvent.LeaseExpired e -> e.instance();
            default -> null;
        };
        if (gone != null && gone.manifest().transport() instanceof TransportSpec.InProcess spec) {
            inProcess.uninstall(spec.handlerId());
        }
    }

    /** A JSON-RPC error from the plugin is an answer; timeouts and broken connections are failures. */
    private static boolean answeredByPlugin(Throwable cause) {
        return cause instanceof JsonRpcException rpc && rpc.code() != ErrorCodes.UPSTREAM_TIMEOUT
                && rpc.code() != ErrorCodes.UPSTREAM_UNAVAILABLE;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Builds a {@link McpGateway}. */
    public static final class Builder {
        private GatewayConfig config = GatewayConfig.defaults();
        private Clock clock = Clock.systemUTC();
        private final List<Transport> transports = new ArrayList<>();
        private final List<GatewayListener> listeners = new ArrayList<>();
        private final List<HealthMonitor> healthMonitors = new ArrayList<>();

        private Builder() {
        }

        /** The configuration (defaults to {@link GatewayConfig#defaults()}). */
        public Builder config(GatewayConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The clock leases are measured with (tests pass a controllable one). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Installs a transport (stdio, HTTP); the in-process transport is always installed. */
        public Builder transport(Transport transport) {
            transports.add(Objects.requireNonNull(transport, "transport"));
            return this;
        }

        /** Adds a listener for control-plane events. */
        public Builder listener(GatewayListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds a health monitor, started with the gateway and closed with it. */
        public Builder healthMonitor(HealthMonitor monitor) {
            healthMonitors.add(Objects.requireNonNull(monitor, "monitor"));
            return this;
        }

        /** Starts the gateway. */
        public McpGateway build() {
            return new McpGateway(this);
        }
    }
}
