package dev.mcpgateway.routing;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.plugin.ToolKey;
import java.util.List;

/**
 * Everything the router needs to place a call to one tool: its identity, exposed name, the instances that
 * offer it (in any state, for error messages and dashboards), and the pre-built pickers of the routing rule
 * that applies. Immutable; part of one {@link RoutingTable} version.
 */
public interface ToolRoute {
    /** The tool's identity. */
    ToolKey key();

    /** The tool as clients see it. */
    ExposedTool tool();

    /** Every instance offering the tool, whatever its status or health, sorted by id. */
    List<Endpoint> endpoints();

    /** Whether at least one instance can take a call now. */
    boolean isRoutable();

    /**
     * Whether clients see the tool in {@link RoutingTable#tools()}: when it is routable, and, when all its instances
     * are down (in service but unhealthy), for the tool grace period after the last of them went down, so a blip does
     * not make it vanish; calls to it fail fast meanwhile.
     */
    boolean isListed();

    /** The routing rule that applies, or null when the tool is balanced over all its instances. */
    RoutingRule rule();
}
