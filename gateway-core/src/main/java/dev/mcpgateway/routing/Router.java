package dev.mcpgateway.routing;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.plugin.ToolKey;
import java.util.Objects;

/**
 * Places one call: finds the tool's route in the current {@link RoutingTable} (without locking) and picks an
 * instance through the route's rule and load balancer, honouring an optional version constraint.
 */
public interface Router {

    /** The table calls are routed with right now. */
    RoutingTable table();

    /**
     * Routes a call by the name clients see.
     *
     * @param exposedName the tool's exposed name
     * @param versions    which plugin versions may serve it; {@link VersionConstraint#ANY} for the rule's choice
     * @throws RoutingException when the tool is unknown or no instance can take the call
     */
    Routed route(String exposedName, VersionConstraint versions);

    /** Routes a call by tool identity; otherwise as {@link #route(String, VersionConstraint)}. */
    Routed route(ToolKey key, VersionConstraint versions);

    /**
     * Where a call goes.
     *
     * @param route    the tool's route
     * @param endpoint the instance chosen
     */
    record Routed(ToolRoute route, Endpoint endpoint) {
        public Routed {
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }
}
