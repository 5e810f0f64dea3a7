package dev.mcpgateway.routing;

import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.ToolKey;
import java.util.List;
import java.util.Map;

/**
 * An immutable, versioned snapshot of where every tool can be routed. The control loop builds a new table
 * when the registry changes in a way that matters for routing and publishes it with one volatile write;
 * readers never lock.
 */
public interface RoutingTable {
    /** Increases by one with each published table; the empty initial table is version 0. */
    long version();

    /** The route for a tool identity, or null if no instance offers it. */
    ToolRoute route(ToolKey key);

    /** The route for a name as clients see it, or null if the name is unknown. */
    ToolRoute routeByExposedName(String exposedName);

    /**
     * The tools clients see, in exposed-name order: those with at least one routable instance, and those whose
     * instances are all down, for the tool grace period ({@link ToolRoute#isListed()}).
     */
    List<ExposedTool> tools();

    /** Every known tool identity, routable or listed or not, mapped to its route. */
    Map<ToolKey, ToolRoute> routes();

    /** The instances this table was built from, by id. */
    Map<String, PluginInstance> instances();
}
