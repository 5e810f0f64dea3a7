package dev.mcpgateway.internal.routing;

import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.routing.ToolRoute;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The immutable routing table the control loop publishes. */
public final class RoutingTableImpl implements RoutingTable {
    /** The table before anything registered. */
    public static final RoutingTableImpl EMPTY =
            new RoutingTableImpl(0, Map.of(), Map.of(), List.of(), Map.of(), Collections.emptySortedMap());

    private final long version;
    private final Map<ToolKey, ToolRouteImpl> routes;
    private final Map<String, ToolRouteImpl> byExposedName;
    private final List<ExposedTool> tools;
    private final Map<String, PluginInstance> instances;
    private final SortedMap<String, ToolKey> names;

    RoutingTableImpl(long version, Map<ToolKey, ToolRouteImpl> routes, Map<String, ToolRouteImpl> byExposedName,
                     List<ExposedTool> tools, Map<String, PluginInstance> instances, SortedMap<String, ToolKey> names) {
        this.version = version;
        this.routes = Collections.unmodifiableMap(routes);
        this.byExposedName = byExposedName;
        this.tools = List.copyOf(tools);
        this.instances = Collections.unmodifiableMap(instances);
        this.names = Collections.unmodifiableSortedMap(new TreeMap<>(names));
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public ToolRoute route(ToolKey key) {
        return routes.get(key);
    }

    @Override
    public ToolRoute routeByExposedName(String exposedName) {
        return byExposedName.get(exposedName);
    }

    ToolRouteImpl routeImpl(ToolKey key) {
        return routes.get(key);
    }

    ToolRouteImpl routeImplByExposedName(String exposedName) {
        return byExposedName.get(exposedName);
    }

    @Override
    public List<ExposedTool> tools() {
        return tools;
    }

    @Override
    public Map<ToolKey, ToolRoute> routes() {
        return Collections.unmodifiableMap(routes);
    }

    @Override
    public Map<String, PluginInstance> instances() {
        return instances;
    }

    Map<ToolKey, ToolRouteImpl> routeImpls() {
        return routes;
    }

    SortedMap<String, ToolKey> names() {
        return names;
    }

    @Override
    public String toString() {
        return "RoutingTable[v" + version + ", " + routes.size() + " tools, " + instances.size() + " instances]";
    }
}
