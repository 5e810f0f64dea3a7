package dev.mcpgateway.internal.metrics;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.routing.ToolRoute;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The control plane's meters, fed by its events on the control loop: registrations and deregistrations, health and
 * status transitions (counters), and, from each routing table published, the routing table's version and size and,
 * per plugin, its instances by status and by health and its calls in flight (gauges reading the last snapshot, so
 * a scrape costs no walk over the registry). A plugin's gauges go when its last instance does: plugin names come and
 * go with self-registering plugins, and their series must not pile up.
 */
final class ControlPlaneMeters implements GatewayListener {
    private final MeterRegistry registry;
    private final ToolCallMeters calls;
    /** What the gauges read: each plugin's counts in the last table. Written on the control loop only. */
    private volatile Map<String, PluginState> plugins = Map.of();
    /** Each plugin's gauges. Control loop only. */
    private final Map<String, List<Meter>> gauges = new HashMap<>();

    ControlPlaneMeters(MeterRegistry registry, ToolCallMeters calls, Supplier<RoutingTable> table) {
        this.registry = registry;
        this.calls = calls;
        Gauge.builder("mcp.gateway.routing.table.version", table, t -> t.get().version())
                .description("The version of the routing table in force").strongReference(true).register(registry);
        Gauge.builder("mcp.gateway.routing.table.tools", table, t -> t.get().tools().size())
                .description("The tools the routing table in force lists").strongReference(true)
                .register(registry);
        update(table.get());
    }

    @Override
    public void onEvent(GatewayEvent event) {
        switch (event) {
            case GatewayEvent.InstanceRegistered e -> count("mcp.gateway.registrations", e.instance(), "kind",
                    e.replaced() == null ? "new" : "replaced");
            case GatewayEvent.InstanceDeregistered e -> left(e.instance(), "deregistered");
            case GatewayEvent.LeaseExpired e -> left(e.instance(), "lease_expired");
            case GatewayEvent.HealthChanged e -> count("mcp.gateway.health.transitions", e.instance(), "health",
                    tag(e.instance().health()));
            case GatewayEvent.StatusChanged e -> count("mcp.gateway.status.transitions", e.instance(), "status",
                    tag(e.instance().status()));
            case GatewayEvent.RoutingTableUpdated e -> update(e.table());
            case GatewayEvent.ManifestChanged e -> {
            }
        }
    }

    private void left(PluginInstance instance, String reason) {
        count("mcp.gateway.deregistrations", instance, "reason", reason);
        calls.forgetInstance(instance.id());
    }

    private void count(String name, PluginInstance instance, String key, String value) {
        Counter.builder(name).tags("plugin", instance.pluginName(), key, value).register(registry).increment();
    }

    /** Takes the plugins' counts from a new table, registering the gauges of new plugins and removing gone ones'. */
    private void update(RoutingTable table) {
        Map<String, PluginState> next = new LinkedHashMap<>();
        for (PluginInstance instance : table.instances().values()) {
            PluginState state = next.computeIfAbsent(instance.pluginName(), name -> new PluginState());
            state.byStatus[instance.status().ordinal()]++;
            state.byHealth[instance.health().ordinal()]++;
        }
        Map<String, Boolean> seen = new HashMap<>();
        for (ToolRoute route : table.routes().values()) {
            for (Endpoint endpoint : route.endpoints()) {
                PluginState state = next.get(endpoint.instance().pluginName());
                if (state != null && seen.putIfAbsent(endpoint.id(), Boolean.TRUE) == null) {
                    state.endpoints.add(endpoint);
                }
            }
        }
        plugins = next;
        for (String plugin : next.keySet()) {
            gauges.computeIfAbsent(plugin, this::register);
        }
        gauges.entrySet().removeIf(entry -> {
            if (next.containsKey(entry.getKey())) {
                return false;
            }
            entry.getValue().forEach(registry::remove);
            return true;
        });
    }

    private List<Meter> register(String plugin) {
        List<Meter> meters = new ArrayList<>();
        for (InstanceStatus status : InstanceStatus.values()) {
            meters.add(Gauge.builder("mcp.gateway.instances", this, m -> m.state(plugin).byStatus[status.ordinal()])
                    .description("The plugin's registered instances by administrative status")
                    .tags("plugin", plugin, "status", tag(status)).register(registry));
        }
        for (Health health : Health.values()) {
            meters.add(Gauge.builder("mcp.gateway.instances.health", this,
                            m -> m.state(plugin).byHealth[health.ordinal()])
                    .description("The plugin's registered instances by health")
                    .tags("plugin", plugin, "health", tag(health)).register(registry));
        }
        meters.add(Gauge.builder("mcp.tool.calls.active", this, m -> m.state(plugin).inFlight())
                .description("Tool calls in flight on the plugin's instances").tags("plugin", plugin)
                .register(registry));
        return meters;
    }

    /** The plugin's counts, or none once it left (a gauge read between the table and its removal). */
    private PluginState state(String plugin) {
        return plugins.getOrDefault(plugin, PluginState.NONE);
    }

    /** Calls in flight on a plugin's instances now; the summary reads it too. */
    int inFlight(String plugin) {
        return state(plugin).inFlight();
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** One plugin in one routing table: its instances by status and health, and their endpoints. */
    private static final class PluginState {
        static final PluginState NONE = new PluginState();

        final double[] byStatus = new double[InstanceStatus.values().length];
        final double[] byHealth = new double[Health.values().length];
        final List<Endpoint> endpoints = new ArrayList<>();

        int inFlight() {
            int sum = 0;
            for (Endpoint endpoint : endpoints) {
                sum += endpoint.stats().inFlight();
            }
            return sum;
        }
    }
}
