package dev.mcpgateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.event.GatewayEventRecord;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.health.HealthMonitor;
import dev.mcpgateway.health.OutlierDetection;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.internal.Timers;
import dev.mcpgateway.internal.audit.AuthFailureAudit;
import dev.mcpgateway.internal.gateway.ConnectionManager;
import dev.mcpgateway.internal.gateway.DataPlane;
import dev.mcpgateway.internal.gateway.DrainDeadline;
import dev.mcpgateway.internal.gateway.GatewayInternals;
import dev.mcpgateway.internal.gateway.RecentEvents;
import dev.mcpgateway.internal.gateway.RestartOnly;
import dev.mcpgateway.internal.gateway.TransitionLog;
import dev.mcpgateway.internal.gateway.TransportSet;
import dev.mcpgateway.internal.health.HealthSharing;
import dev.mcpgateway.internal.health.HealthVerdicts;
import dev.mcpgateway.internal.health.OutlierDetector;
import dev.mcpgateway.internal.health.ProbingHealthMonitor;
import dev.mcpgateway.internal.metrics.MicrometerGatewayMetrics;
import dev.mcpgateway.internal.pipeline.InFlightAttempts;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.internal.registry.LeasePass;
import dev.mcpgateway.internal.registry.RegistryRestore;
import dev.mcpgateway.internal.registry.StoreFollower;
import dev.mcpgateway.internal.routing.DefaultRouter;
import dev.mcpgateway.internal.routing.RoutingTableBuilder;
import dev.mcpgateway.internal.transport.InProcessTransport;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.metrics.MetricsOptions;
import dev.mcpgateway.pipeline.AccessLogOptions;
import dev.mcpgateway.pipeline.CallInterceptor;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.InstanceTransition;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.registry.Registry;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.Router;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway, embedded: a registry of plugin instances, the router and balancers that place each tool call,
 * and the connections that carry it. Build one with {@link #builder()}, register plugins, then
 * {@link #listTools()} and {@link #callTool(String, JsonNode)}; {@link #close()} stops every thread it started.
 */
public final class McpGateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(McpGateway.class);

    static {
        // The gateway's own MCP server and front doors reach these through GatewayInternals; hosts never see them.
        GatewayInternals.install(new GatewayInternals.Access() {
            @Override
            public ConnectionManager connections(McpGateway gateway) {
                return gateway.connections;
            }

            @Override
            public DataPlane dataPlane(McpGateway gateway) {
                return gateway.dataPlane;
            }

            @Override
            public CompletableFuture<JsonNode> forward(McpGateway gateway, String instanceId, String method,
                                                       JsonNode params, CallOptions options, Authenticated client) {
                return gateway.forward(instanceId, method, params, options, client);
            }

            @Override
            public void auditAuthFailure(McpGateway gateway, AuthFailure failure) {
                gateway.authFailures.failed(failure);
            }
        });
    }

    /** Replaced whole by {@link #reconfigure}; what a running gateway cannot change is carried over from the start. */
    private volatile GatewayConfig config;
    private final InMemoryRegistry registry;
    private final DefaultRouter router;
    private final InProcessTransport inProcess;
    private final Map<String, Transport> transports;
    private final HealthVerdicts verdicts;
    private final ConnectionManager connections;
    private final List<HealthMonitor> healthMonitors;
    /** The gateway's own active health checks, or null when none were enabled at the start. */
    private final ProbingHealthMonitor probing;
    private final ScheduledExecutorService scheduler;
    private final DataPlane dataPlane;
    private final TransitionLog transitions;
    private final RecentEvents events;
    /** The metrics, or null when the host gave no registry. */
    private final MicrometerGatewayMetrics metrics;
    /** The registry store, once {@link Builder#build()} restored from it: the gateway closes it from then on. */
    private volatile RegistryStore store = RegistryStore.none();
    /** Shares health transitions through the store, once {@link Builder#build()} has one; else null. */
    private volatile HealthSharing healthSharing;
    private final AuthFailureAudit authFailures;
    private volatile boolean closed;

    private McpGateway(Builder builder) {
        this.config = builder.config;
        this.inProcess = new InProcessTransport();
        this.transports = TransportSet.byType(inProcess, builder.transports);
        this.registry = new InMemoryRegistry(builder.clock, new RoutingTableBuilder(config.loadBalancer(),
                config.routingRules(), config.toolNaming(), config.toolGracePeriod()), config.leaseEvictionMaxShare(),
                config.leaseEvictionWindow(), builder.registryStore, "mcp-gateway-control");
        this.router = new DefaultRouter(registry::table);
        this.scheduler = Timers.daemon("mcp-gateway-scheduler");
        this.verdicts = new HealthVerdicts(registry);
        this.metrics = builder.meterRegistry == null ? null
                : new MicrometerGatewayMetrics(builder.meterRegistry, builder.metricsOptions, registry::table);
        this.authFailures = new AuthFailureAudit(() -> store, builder.clock, scheduler);
        this.connections = new ConnectionManager(transports, registry, scheduler, config.sessionOptions(),
                config.sessionOptions().handshakeTimeout(), verdicts, metrics == null ? null : metrics.restarts());
        OutlierDetection outlierOptions = config.outlierDetection();
        OutlierDetector outliers = outlierOptions.enabled()
                ? new OutlierDetector(outlierOptions, verdicts, builder.clock) : null;
        InFlightAttempts inFlight = outlierOptions.failInFlightOnEjection() ? new InFlightAttempts(scheduler) : null;
        this.dataPlane = new DataPlane(this::config, router, connections, scheduler, builder.accessLog,
                metrics == null ? builder.callInterceptors : metrics.around(builder.callInterceptors),
                builder.attemptInterceptors, inFlight, outliers, metrics == null ? null : metrics.routing(),
                builder.observationRegistry);
        this.transitions = new TransitionLog(builder.clock);
        this.events = new RecentEvents(builder.clock);
        List.of(transitions, events, verdicts).forEach(registry::addListener);
        if (outliers != null) {
            registry.addListener(outliers);
            outliers.start(scheduler);
        }
        if (inFlight != null) {
            registry.addListener(inFlight);
        }
        registry.addListener(connections);
        registry.addListener(inProcess::forgetGone);
        if (metrics != null) {
            registry.addListener(metrics.listener());
        }
        builder.listeners.forEach(registry::addListener);
        LeasePass.start(registry, scheduler, config.leaseCheckInterval(), () -> closed);
        this.probing = ProbingHealthMonitor.ifEnabled(config, plugin -> this.config.healthChecksOf(plugin),
                connections::connection, verdicts, scheduler, metrics == null ? null : metrics.probes());
        this.healthMonitors = Stream.concat(Stream.ofNullable(probing), builder.healthMonitors.stream()).toList();
        for (HealthMonitor monitor : healthMonitors) {
            monitor.start(registry);
        }
    }

    /** Starts building a gateway. */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration the gateway runs with: the one it was built with, as {@link #reconfigure} changed it since. */
    public GatewayConfig config() {
        return config;
    }

    /** The registry of plugin instances (register, renew, deregister, status, health). */
    public Registry registry() {
        return registry;
    }

    /** The metrics the gateway records, when the host gave it a registry ({@link Builder#meterRegistry}). */
    public Optional<GatewayMetrics> metrics() {
        return Optional.ofNullable(metrics);
    }

    /** The last control-plane events (registrations, status and health changes, rule replacements), newest first. */
    public List<GatewayEventRecord> recentEvents() {
        return events.newestFirst();
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
     * The instance's last status and health transitions (up to 20), oldest first: when it registered, went
     * unhealthy or recovered, was drained, and why. Empty for an unknown instance.
     */
    public List<InstanceTransition> transitions(String instanceId) {
        return transitions.of(instanceId);
    }

    /** The types of the transports installed ({@code in-process} always, {@code stdio}, {@code http}, ...). */
    public java.util.Set<String> transportTypes() {
        return transports.keySet();
    }

    /** The routing rules in force, in the order they are tried: {@link GatewayConfig#routingRules()} until replaced. */
    public List<RoutingRule> routingRules() {
        return registry.rules();
    }

    /**
     * Replaces the routing rules while calls go on: every tool is routed by the new rules in one new routing table,
     * published at once, so no call sees a tool unroutable or half re-routed (a 90/10 canary becomes 50/50 between
     * one call and the next). Exposed names do not change. With a registry store, the store keeps them first as the
     * rule set every gateway sharing it adopts (and a restarted one starts with, over its configuration's rules).
     *
     * @param rules the new rules, tried in order; their names must be distinct
     * @return completes with the routing table that applies them; fails with {@link IllegalArgumentException} if two
     *         rules share a name, and with {@code RegistryStoreUnavailableException} when the store could not keep
     *         them (then nothing changed)
     */
    public CompletableFuture<RoutingTable> replaceRoutingRules(List<RoutingRule> rules) {
        try {
            return registry.replaceRules(rules).thenApply(table -> {
                config = RestartOnly.withRules(config, rules);
                log.info("Routing rules replaced: {}", rules.stream().map(RoutingRule::name).toList());
                events.rulesReplaced(rules);
                return table;
            });
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Applies a new configuration to the running gateway, as far as a running gateway can change: the routing rules
     * (as {@link #replaceRoutingRules}), call timeouts (the default, per plugin and per tool; for calls made from now
     * on), which plugins' annotations are trusted, and health checks (instances whose plugin's options changed are
     * probed with the new ones from now on; the others keep their probes and streaks). The rest — balancer, tool
     * naming, lease checks, plugin sessions, call limits, outlier detection, tool grace period, lease eviction, and
     * health checks when the gateway was started with none enabled — keeps its value until a new gateway is built.
     *
     * @return completes, once the new configuration is in force, with the names of the settings that differ but keep
     *         their value (e.g. {@code loadBalancer}); empty when everything was applied. Fails with
     *         {@link IllegalArgumentException} if two rules share a name, changing nothing
     */
    public CompletableFuture<List<String>> reconfigure(GatewayConfig next) {
        Objects.requireNonNull(next, "next");
        GatewayConfig current = config;
        List<String> kept = RestartOnly.differences(current, next, probing != null);
        GatewayConfig applied = RestartOnly.carriedOver(current, next, probing != null);
        CompletableFuture<?> rules = applied.routingRules().equals(current.routingRules())
                ? CompletableFuture.completedFuture(null) : replaceRoutingRules(applied.routingRules());
        return rules.thenApply(done -> {
            config = applied;
            if (probing != null) {
                probing.optionsChanged();
            }
            return kept; // the caller says what to do about them, e.g. the runner asks for a restart
        });
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
            started.add(addPlugin(Registration.of(manifest)));
        }
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                .thenApply(done -> started.stream().map(CompletableFuture::join).toList());
    }

    /** Starts one instance of a plugin the gateway connects to; see {@link #addPlugin(PluginManifest, int)}. */
    public CompletableFuture<PluginInstance> addPlugin(PluginManifest manifest) {
        return addPlugin(Registration.of(manifest));
    }

    /**
     * Starts one instance of a plugin the gateway connects to, with the registration's id, lease and source: it
     * registers as {@code STARTING} whatever the registration's status, and becomes {@code UP}, with the tools it
     * lists, once connected (see {@link #addPlugin(PluginManifest, int)}).
     *
     * @return completes with the instance once it is routable; fails with the connect error (it keeps retrying)
     */
    public CompletableFuture<PluginInstance> addPlugin(Registration registration) {
        return register(registration.withStatus(InstanceStatus.STARTING))
                .thenCompose(instance -> connections.ready(instance.id()));
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
        return dataPlane.callTool(call);
    }

    /**
     * Sends any MCP request to one plugin instance (resources, prompts, completion), for hosts that need more than
     * tools.
     *
     * @return the result, or a failure with the plugin's error or {@code UPSTREAM_*}
     */
    public CompletableFuture<JsonNode> forward(String instanceId, String method, JsonNode params, CallOptions options) {
        return forward(instanceId, method, params, options, null);
    }

    private CompletableFuture<JsonNode> forward(String instanceId, String method, JsonNode params, CallOptions options,
                                                Authenticated client) {
        if (closed) {
            return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.GATEWAY_CLOSED, "The gateway is closed"));
        }
        return dataPlane.forward(instanceId, method, params, options, client);
    }

    /**
     * Drains an instance: takes it out of service, so new calls go to other instances, and completes once the tool
     * calls in flight on it have finished. It stays registered, out of service; see {@link Registry#drain(String)}.
     *
     * @return the drained instance; fails with {@code UnknownInstanceException} for an unknown id
     */
    public CompletableFuture<PluginInstance> drain(String instanceId) {
        return registry.drain(instanceId);
    }

    /**
     * Drains an instance, but waits at most {@code timeout} for its calls to finish.
     *
     * @return the drained instance; fails with a {@link TimeoutException} naming the calls still in flight when the
     *         timeout passes first (the instance stays out of service, and its calls run on)
     */
    public CompletableFuture<PluginInstance> drain(String instanceId, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return DrainDeadline.within(registry.drain(instanceId), instanceId, timeout, registry::table, scheduler);
    }

    /**
     * Drains an instance as {@link #drain(String, Duration)} does, then deregisters it: the way to retire an instance
     * without failing a call.
     *
     * @return the removed instance; on timeout it stays registered, out of service
     */
    public CompletableFuture<PluginInstance> drainAndDeregister(String instanceId, Duration timeout) {
        return drain(instanceId, timeout).thenCompose(drained -> registry.deregister(instanceId));
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
        if (healthSharing != null) {
            healthSharing.close();
        }
        authFailures.close();
        try {
            store.close(); // after the loop stopped: nothing writes to it any more
        } catch (RuntimeException e) {
            log.warn("Closing the registry store failed", e);
        }
        scheduler.shutdownNow();
        TransportSet.closeAll(transports);
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Follows what other gateways sharing the registry store did: reads the store once and registers, renews,
     * replaces or forgets API instances here to match, without writing it. The gateway does this every
     * {@link GatewayConfig#storeReconcileInterval()} when it has a store; tests call it to decide when.
     *
     * @return completes once the registry matches the store as read; fails when the store could not be read (then
     *         nothing changed). Without a store, completes at once
     */
    public CompletableFuture<Void> reconcileStore() {
        return registry.reconcileStore(transportTypes()).thenApply(changes -> null);
    }

    /** Builds a {@link McpGateway}. */
    public static final class Builder {
        private GatewayConfig config = GatewayConfig.defaults();
        private Clock clock = Clock.systemUTC();
        private final List<Transport> transports = new ArrayList<>();
        private final List<GatewayListener> listeners = new ArrayList<>();
        private final List<HealthMonitor> healthMonitors = new ArrayList<>();
        private final List<CallInterceptor> callInterceptors = new ArrayList<>();
        private final List<CallInterceptor> attemptInterceptors = new ArrayList<>();
        private AccessLogOptions accessLog = AccessLogOptions.off();
        private RegistryStore registryStore = RegistryStore.none();
        private MeterRegistry meterRegistry;
        private MetricsOptions metricsOptions = MetricsOptions.defaults();
        private ObservationRegistry observationRegistry;

        private Builder() {
        }

        /** The configuration (defaults to {@link GatewayConfig#defaults()}). */
        public Builder config(GatewayConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The clock leases and outlier ejections are measured with (tests pass a controllable one). */
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

        /**
         * Adds a health monitor, started with the gateway and closed with it, besides the gateway's own active health
         * checks (see {@link GatewayConfig#healthChecks()}).
         */
        public Builder healthMonitor(HealthMonitor monitor) {
            healthMonitors.add(Objects.requireNonNull(monitor, "monitor"));
            return this;
        }

        /**
         * Adds an interceptor that sees every tool call once, before it is routed (each {@code proceed} routes the call
         * anew); interceptors run in the order added, the first outermost.
         */
        public Builder interceptor(CallInterceptor interceptor) {
            callInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Adds an interceptor that sees every attempt of a tool call, after it is routed, with the instance chosen;
         * interceptors run in the order added, the first outermost.
         */
        public Builder attemptInterceptor(CallInterceptor interceptor) {
            attemptInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** Whether each tool call is logged, one line to {@value AccessLogOptions#LOGGER} (default: off). */
        public Builder accessLog(AccessLogOptions options) {
            this.accessLog = Objects.requireNonNull(options, "options: use AccessLogOptions.off()");
            return this;
        }

        /** Records the gateway's metrics ({@code docs/METRICS.md}) into the host's registry; none by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Records metrics with these options (the tool tag cap); {@link MetricsOptions#defaults()} by default. */
        public Builder metricsOptions(MetricsOptions options) {
            this.metricsOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Reports each tool call to the host's observation registry, which Micrometer Tracing bridges to
         * OpenTelemetry or Brave: a span of the gateway serving it under the caller's {@code traceparent}, and one of
         * the call to its plugin, whose context the plugin receives ({@code docs/OBSERVABILITY.md}); none by default.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Where instances registered over the management API outlive the process ({@link RegistryStore#none()} by
         * default): the gateway reads them back before it starts serving, and acknowledges a registration, renewal or
         * deregistration only once the store has it. Gateways sharing a store follow each other's changes by reading it
         * every {@link GatewayConfig#storeReconcileInterval()}, and at once when the store tells of a change made
         * elsewhere ({@link RegistryStore#onChangedElsewhere}). The gateway closes the store when it closes.
         */
        public Builder registryStore(RegistryStore store) {
            this.registryStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Starts the gateway, with the instances the {@link #registryStore} kept registered again before it returns.
         *
         * @throws IllegalStateException when the store cannot be read or holds an instance this gateway cannot serve:
         *                               the gateway does not start with part of its registry; what it started is
         *                               stopped, and the store is left open, still the caller's
         */
        public McpGateway build() {
            McpGateway gateway = new McpGateway(this);
            try {
                RegistryRestore.restore(gateway.registry, registryStore, gateway.transportTypes());
            } catch (RuntimeException e) {
                gateway.close();
                throw e;
            }
            gateway.store = registryStore;
            if (registryStore != RegistryStore.none()) {
                StoreFollower.start(registryStore, gateway.scheduler, gateway.config.storeReconcileInterval(),
                        () -> gateway.closed ? CompletableFuture.completedFuture(null) : gateway.reconcileStore());
                gateway.healthSharing = HealthSharing.start(registryStore, gateway.registry, gateway.probing);
            }
            return gateway;
        }
    }
}
