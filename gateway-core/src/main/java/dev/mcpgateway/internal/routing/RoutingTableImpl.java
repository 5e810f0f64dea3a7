package dev.mcpgateway.internal.routing;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.routing.ToolRoute;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The immutable routing table the control loop publishes. Lookups by tool identity and by exposed name are
 * two hash lookups; the tool listing and the instance map are derived on first use, since a change must be
 * routable at once but is listed only when a client asks.
 */
public final class RoutingTableImpl implements RoutingTable {
    /** The table before anything registered. */
    public static final RoutingTableImpl EMPTY =
            new RoutingTableImpl(0, SnapshotMap.empty(), SnapshotMap.empty(), SnapshotMap.empty());

    private final long version;
    private final SnapshotMap<ToolKey, ToolRouteImpl> routes;
    private final SnapshotMap<String, ToolRouteImpl> byExposedName;
    private final SnapshotMap<String, Endpoint> endpoints;
    private volatile List<ExposedTool> tools;
    private volatile Map<String, PluginInstance> instances;

    RoutingTableImpl(long version, SnapshotMap<ToolKey, ToolRouteImpl> routes,
                     SnapshotMap<String, ToolRouteImpl> byExposedName, SnapshotMap<String, Endpoint> endpoints) {
        this.version = version;
        this.routes = routes;
        this.byExposedName = byExposedName;
        this.endpoints = endpoints;
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

    @Override
    public List<ExposedTool> tools() {
        List<ExposedTool> listed = tools;
        if (listed == null) {
            List<ExposedTool> all = new ArrayList<>(routes.size());
            for (ToolRouteImpl route : routes.values()) {
                if (route.isListed()) {
                    all.add(route.tool());
                }
            }
            all.sort(Comparator.comparing(ExposedTool::exposedName));
            tools = listed = List.copyOf(all);
        }
        return listed;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<ToolKey, ToolRoute> routes() {
        return (Map<ToolKey, ToolRoute>) (Map<ToolKey, ? extends ToolRoute>) routes.toMap();
    }

    @Override
    public Map<String, PluginInstance> instances() {
        Map<String, PluginInstance> byId = instances;
        if (byId == null) {
            Map<String, PluginInstance> sorted = new TreeMap<>();
            for (Endpoint endpoint : endpoints.values()) {
                sorted.put(endpoint.id(), endpoint.instance());
            }
            instances = byId = Collections.unmodifiableMap(sorted);
        }
        return byId;
    }

    /** The routing view of an instance (its snapshot and live load figures), or null if it is not in this table. */
    public Endpoint endpoint(String instanceId) {
        return endpoints.get(instanceId);
    }

    ToolRouteImpl routeImpl(ToolKey key) {
        return routes.get(key);
    }

    ToolRouteImpl routeImplByExposedName(String exposedName) {
        return byExposedName.get(exposedName);
    }

    SnapshotMap<ToolKey, ToolRouteImpl> routeMap() {
        return routes;
    }

    SnapshotMap<String, ToolRouteImpl> exposedNameMap() {
        return byExposedName;
    }

    SnapshotMap<String, Endpoint> endpointMap() {
        return endpoints;
    }

    @Override
    public String toString() {
        return "RoutingTable[v" + version + ", " + routes.size() + " tools, " + endpoints.size() + " instances]";
    }
}
