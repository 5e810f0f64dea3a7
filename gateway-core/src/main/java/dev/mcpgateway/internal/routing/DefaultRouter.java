package dev.mcpgateway.internal.routing;

import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.routing.Router;
import dev.mcpgateway.routing.RoutingException;
import dev.mcpgateway.routing.VersionConstraint;
import java.util.function.Supplier;

/** Routes calls against whatever table the control loop published last; never locks. */
public final class DefaultRouter implements Router {
    private final Supplier<RoutingTableImpl> tables;

    /** @param tables reads the current table (a volatile read) */
    public DefaultRouter(Supplier<RoutingTableImpl> tables) {
        this.tables = tables;
    }

    @Override
    public RoutingTableImpl table() {
        return tables.get();
    }

    @Override
    public Routed route(String exposedName, VersionConstraint versions) {
        ToolRouteImpl route = tables.get().routeImplByExposedName(exposedName);
        if (route == null) {
            throw RoutingException.unknownTool(exposedName);
        }
        return new Routed(route, route.pick(versions));
    }

    @Override
    public Routed route(ToolKey key, VersionConstraint versions) {
        ToolRouteImpl route = tables.get().routeImpl(key);
        if (route == null) {
            throw RoutingException.unknownTool(key.toString());
        }
        return new Routed(route, route.pick(versions));
    }
}
