package dev.mcpgateway;

import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.health.OutlierDetection;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.transport.SessionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything that shapes a gateway's behaviour, validated once when built and immutable after. Every
 * setting has a default, so {@code GatewayConfig.defaults()} is a working configuration.
 *
 * @param loadBalancer        how calls are spread over a tool's instances (default round-robin)
 * @param routingRules        rules tried in order; the first whose pattern matches a tool governs it
 * @param toolNaming          the names under which tools are exposed to clients (default {@code <namespace>__<tool>})
 * @param callTimeout         how long a tool call may take before it is cancelled upstream (default 60 s)
 * @param leaseCheckInterval  how often expired leases are looked for (default 1 s)
 * @param healthChecks        how the gateway's active health checks probe instances (default
 *                            {@link HealthCheckOptions#defaults()}: on, every 10 s)
 * @param pluginHealthChecks  health checks of particular plugins, by plugin name, replacing {@code healthChecks} for
 *                            them (a deeper probe, another interval, or none)
 * @param pluginCallTimeouts  call timeouts for particular plugins, by plugin name, and for particular tools, by
 *                            {@code plugin/tool} (the plugin's own tool name), overriding {@code callTimeout}; a tool's
 *                            own timeout wins over its plugin's
 * @param sessionOptions      how MCP sessions toward plugins behave (handshake timeout, restart backoff)
 * @param callLimits          how many tool calls may be in flight, in all and per instance (default
 *                            {@link CallLimits#defaults()})
 * @param outlierDetection    when instances whose calls time out, fail or lag are ejected from rotation, and whether
 *                            calls in flight on an instance that turns unhealthy fail fast (default
 *                            {@link OutlierDetection#defaults()})
 * @param toolGracePeriod     how long tools stay listed once every instance offering them is down (in service but
 *                            unhealthy), their calls failing fast with why (default 60 s: clients of other
 *                            gateways complain when tools vanish on a blip, and most blips are over by then); zero
 *                            unlists them at once
 * @param leaseEvictionMaxShare the largest share of the instances holding a lease that lease checks remove within any
 *                            {@code leaseEvictionWindow}, at least one (default 0.15, as Eureka's self-preservation:
 *                            when many leases lapse at once the network between plugins and gateway is more likely at
 *                            fault than the plugins, so the rest wait for later windows, longest lapsed first, and a
 *                            renewal in time keeps them; routing does not wait for this, since health checks already
 *                            keep unreachable instances out of rotation); 1 removes every lapsed one at once
 * @param leaseEvictionWindow the sliding window {@code leaseEvictionMaxShare} applies to, at least
 *                            {@code leaseCheckInterval} (default 60 s, Eureka's eviction interval: with checks every
 *                            second, 20 lapsed leases cost 3 instances in the first minute, not all 20 within 15 s); the
 *                            self-preservation warning is logged at most once per window
 * @param untrustedAnnotations plugins, by name, whose tool annotations are not trusted: their read-only and idempotent
 *                            hints do not make a call whose connection broke safe to retry (MCP: annotations are
 *                            untrusted unless they come from a trusted server). Empty by default: the plugins a
 *                            gateway runs are the ones its operator configured
 * @param rateLimits          how fast clients may call tools, per client and per tool (default {@link RateLimits#none()}:
 *                            no limit); kept until restart, like {@code callLimits}
 * @param storeReconcileInterval how often a gateway with a registry store reads it back to follow what other gateways
 *                            sharing it registered, renewed, replaced or deregistered (default 5 s: they converge
 *                            within about this long); not used without a store
 */
public record GatewayConfig(LoadBalancer loadBalancer, List<RoutingRule> routingRules, ToolNaming toolNaming,
                            Duration callTimeout, Duration leaseCheckInterval, HealthCheckOptions healthChecks,
                            Map<String, HealthCheckOptions> pluginHealthChecks, Map<String, Duration> pluginCallTimeouts,
                            SessionOptions sessionOptions, CallLimits callLimits, OutlierDetection outlierDetection,
                            Duration toolGracePeriod, double leaseEvictionMaxShare, Duration leaseEvictionWindow,
                            Set<String> untrustedAnnotations, RateLimits rateLimits,
                            Duration storeReconcileInterval) {
    private static final Duration MIN_INTERVAL = Duration.ofMillis(10);

    public GatewayConfig {
        Objects.requireNonNull(loadBalancer, "loadBalancer: choose one, e.g. LoadBalancer.roundRobin()");
        routingRules = List.copyOf(Objects.requireNonNull(routingRules, "routingRules"));
        Objects.requireNonNull(toolNaming, "toolNaming: choose one, e.g. ToolNaming.namespaced()");
        requirePositive("callTimeout", callTimeout, Duration.ofMillis(1));
        requirePositive("leaseCheckInterval", leaseCheckInterval, MIN_INTERVAL);
        requirePositive("storeReconcileInterval", storeReconcileInterval, MIN_INTERVAL);
        Objects.requireNonNull(healthChecks, "healthChecks: use HealthCheckOptions.defaults()");
        pluginHealthChecks = Map.copyOf(Objects.requireNonNull(pluginHealthChecks, "pluginHealthChecks"));
        pluginCallTimeouts = Map.copyOf(Objects.requireNonNull(pluginCallTimeouts, "pluginCallTimeouts"));
        pluginCallTimeouts.forEach((plugin, timeout) ->
                requirePositive("the call timeout of " + (plugin.contains("/") ? "tool '" : "plugin '") + plugin + "'",
                        timeout, Duration.ofMillis(1)));
        Objects.requireNonNull(sessionOptions, "sessionOptions: use SessionOptions.defaults()");
        Objects.requireNonNull(callLimits, "callLimits: use CallLimits.defaults()");
        Objects.requireNonNull(rateLimits, "rateLimits: use RateLimits.none()");
        Objects.requireNonNull(outlierDetection, "outlierDetection: use OutlierDetection.defaults() or .disabled()");
        untrustedAnnotations = Set.copyOf(Objects.requireNonNull(untrustedAnnotations, "untrustedAnnotations"));
        Objects.requireNonNull(toolGracePeriod, "toolGracePeriod");
        if (toolGracePeriod.isNegative()) {
            throw new IllegalArgumentException("toolGracePeriod must not be negative (zero unlists a down plugin's tools"
                    + " at once), got " + toolGracePeriod);
        }
        if (!(leaseEvictionMaxShare > 0 && leaseEvictionMaxShare <= 1)) {
            throw new IllegalArgumentException("leaseEvictionMaxShare must be above 0 and at most 1 (0.15: lease checks"
                    + " remove at most 15 % of the leased instances per leaseEvictionWindow; 1: every lapsed one), got "
                    + leaseEvictionMaxShare);
        }
        Objects.requireNonNull(leaseEvictionWindow, "leaseEvictionWindow: e.g. Duration.ofSeconds(60)");
        if (leaseEvictionWindow.compareTo(leaseCheckInterval) < 0) {
            throw new IllegalArgumentException("leaseEvictionWindow must be at least leaseCheckInterval ("
                    + leaseCheckInterval + "), or every lease check would get a fresh eviction budget; lengthen it"
                    + " (default 60 s) or, to evict every lapsed lease at once, set leaseEvictionMaxShare to 1; got "
                    + leaseEvictionWindow);
        }
        RoutingRule.requireDistinctNames(routingRules);
    }

    /**
     * The defaults: round-robin, no rules, namespaced names, 60 s call timeout, 1 s lease checks, health probes every
     * 10 s, outlier detection on, a down plugin's tools listed for 60 s, at most 15 % of leased instances evicted per
     * minute.
     */
    public static GatewayConfig defaults() {
        return builder().build();
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the plugin's tool annotations are trusted, so a read-only or idempotent tool may be retried. */
    public boolean trustsAnnotationsOf(String plugin) {
        return !untrustedAnnotations.contains(plugin);
    }

    /** The call timeout for a plugin: its own if configured, otherwise {@link #callTimeout()}. */
    public Duration callTimeoutOf(String plugin) {
        return pluginCallTimeouts.getOrDefault(plugin, callTimeout);
    }

    /**
     * The call timeout for one tool of a plugin (by the plugin's own tool name): the tool's if configured, else its
     * plugin's, else {@link #callTimeout()}.
     */
    public Duration callTimeoutOf(String plugin, String tool) {
        if (pluginCallTimeouts.isEmpty()) {
            return callTimeout; // asked on every call: no key is built when no plugin or tool has its own
        }
        Duration own = pluginCallTimeouts.get(plugin + "/" + tool);
        return own != null ? own : callTimeoutOf(plugin);
    }

    /** The health checks of a plugin: its own if configured, otherwise {@link #healthChecks()}. */
    public HealthCheckOptions healthChecksOf(String plugin) {
        return pluginHealthChecks.getOrDefault(plugin, healthChecks);
    }

    private static void requirePositive(String name, Duration value, Duration minimum) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(minimum) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + minimum.toMillis() + " ms, got " + value);
        }
    }

    /** Builds a {@link GatewayConfig}; {@link #build()} validates everything at once. */
    public static final class Builder {
        private LoadBalancer loadBalancer = LoadBalancer.roundRobin();
        private final List<RoutingRule> routingRules = new ArrayList<>();
        private ToolNaming toolNaming = ToolNaming.namespaced();
        private Duration callTimeout = Duration.ofSeconds(60);
        private Duration leaseCheckInterval = Duration.ofSeconds(1);
        /** A builder, so that {@link #healthCheckInterval} changes the default options and build() validates once. */
        private HealthCheckOptions.Builder healthChecks = HealthCheckOptions.builder();
        private final Map<String, HealthCheckOptions> pluginHealthChecks = new LinkedHashMap<>();
        private final Map<String, Duration> pluginCallTimeouts = new LinkedHashMap<>();
        private final Set<String> untrustedAnnotations = new HashSet<>();
        private SessionOptions sessionOptions = SessionOptions.defaults();
        private CallLimits callLimits = CallLimits.defaults();
        private RateLimits rateLimits = RateLimits.none();
        private OutlierDetection outlierDetection = OutlierDetection.defaults();
        private Duration toolGracePeriod = Duration.ofSeconds(60);
        private double leaseEvictionMaxShare = 0.15;
        private Duration leaseEvictionWindow = Duration.ofSeconds(60);
        private Duration storeReconcileInterval = Duration.ofSeconds(5);

        private Builder() {
        }

        /** The default balancing strategy. */
        public Builder loadBalancer(LoadBalancer balancer) {
            this.loadBalancer = balancer;
            return this;
        }

        /** Adds a routing rule after those added before. */
        public Builder routingRule(RoutingRule rule) {
            routingRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** How tools are named for clients. */
        public Builder toolNaming(ToolNaming naming) {
            this.toolNaming = naming;
            return this;
        }

        /** The default timeout of a tool call. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = timeout;
            return this;
        }

        /** How often expired leases are looked for. */
        public Builder leaseCheckInterval(Duration interval) {
            this.leaseCheckInterval = interval;
            return this;
        }

        /**
         * How often the active health checks probe each instance: sets the interval of the default health-check
         * options (whose timeout and recheck interval, unless set, shrink to fit a short interval).
         */
        public Builder healthCheckInterval(Duration interval) {
            healthChecks.interval(interval);
            return this;
        }

        /** How the active health checks probe instances (replacing earlier health-check settings). */
        public Builder healthChecks(HealthCheckOptions options) {
            this.healthChecks = Objects.requireNonNull(options, "options: use HealthCheckOptions.defaults()").toBuilder();
            return this;
        }

        /**
         * How one plugin's instances are probed, replacing the default options for it as a whole (start from
         * {@code HealthCheckOptions.builder()}, e.g. with a deeper {@code HealthProbe.callTool(...)}, or
         * {@link HealthCheckOptions#disabled()}).
         */
        public Builder healthChecks(String plugin, HealthCheckOptions options) {
            pluginHealthChecks.put(Objects.requireNonNull(plugin, "plugin"),
                    Objects.requireNonNull(options, "options: use HealthCheckOptions.disabled() to probe it not at all"));
            return this;
        }

        /** The call timeout of one plugin, overriding the default. */
        public Builder callTimeout(String plugin, Duration timeout) {
            pluginCallTimeouts.put(Objects.requireNonNull(plugin, "plugin"), timeout);
            return this;
        }

        /** The call timeout of one tool of a plugin (its own tool name), overriding the plugin's and the default. */
        public Builder callTimeout(String plugin, String tool, Duration timeout) {
            pluginCallTimeouts.put(Objects.requireNonNull(plugin, "plugin") + "/" + Objects.requireNonNull(tool, "tool"),
                    timeout);
            return this;
        }

        /** How MCP sessions toward plugins behave. */
        public Builder sessionOptions(SessionOptions options) {
            this.sessionOptions = options;
            return this;
        }

        /** How many tool calls may be in flight. */
        public Builder callLimits(CallLimits limits) {
            this.callLimits = limits;
            return this;
        }

        /** How fast clients may call tools, per client and per tool (default {@link RateLimits#none()}). */
        public Builder rateLimits(RateLimits limits) {
            this.rateLimits = limits;
            return this;
        }

        /** When instances are ejected from rotation for failing or lagging calls. */
        public Builder outlierDetection(OutlierDetection options) {
            this.outlierDetection = options;
            return this;
        }

        /** How long the tools of a plugin that is down stay listed; zero unlists them at once. */
        public Builder toolGracePeriod(Duration gracePeriod) {
            this.toolGracePeriod = gracePeriod;
            return this;
        }

        /**
         * The largest share (above 0, at most 1) of leased instances that lease checks remove within one
         * {@link #leaseEvictionWindow}; at least one goes.
         */
        public Builder leaseEvictionMaxShare(double share) {
            this.leaseEvictionMaxShare = share;
            return this;
        }

        /** The sliding window the lease eviction share applies to; at least the lease check interval. */
        public Builder leaseEvictionWindow(Duration window) {
            this.leaseEvictionWindow = window;
            return this;
        }

        /**
         * Distrusts a plugin's tool annotations: a call of its tools whose connection broke is not retried, whatever
         * read-only or idempotent hints they carry (calls that never reached it still are).
         */
        public Builder distrustAnnotations(String plugin) {
            untrustedAnnotations.add(Objects.requireNonNull(plugin, "plugin"));
            return this;
        }

        /** How often the registry store is read back to follow other gateways sharing it (default 5 s). */
        public Builder storeReconcileInterval(Duration interval) {
            this.storeReconcileInterval = interval;
            return this;
        }

        /** The configuration; fails with every problem named if a value is invalid. */
        public GatewayConfig build() {
            return new GatewayConfig(loadBalancer, routingRules, toolNaming, callTimeout, leaseCheckInterval,
                    healthChecks.build(), pluginHealthChecks, pluginCallTimeouts, sessionOptions, callLimits,
                    outlierDetection, toolGracePeriod, leaseEvictionMaxShare, leaseEvictionWindow,
                    untrustedAnnotations, rateLimits, storeReconcileInterval);
        }
    }
}
