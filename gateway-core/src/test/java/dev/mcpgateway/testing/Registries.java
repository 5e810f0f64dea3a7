package dev.mcpgateway.testing;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.internal.routing.RoutingTableBuilder;
import dev.mcpgateway.naming.ToolNaming;
import java.time.Clock;
import java.util.List;

/** Registries for tests that need the real control loop without a whole gateway. */
public final class Registries {
    private Registries() {
    }

    /** An in-memory registry with the default config's balancing, naming, grace period and lease eviction. */
    public static InMemoryRegistry inMemory(Clock clock) {
        return inMemory(clock, new RoutingTableBuilder(LoadBalancer.roundRobin(), List.of(), ToolNaming.namespaced(),
                GatewayConfig.defaults().toolGracePeriod()));
    }

    /** An in-memory registry building tables with the given builder, and the default config's lease eviction. */
    public static InMemoryRegistry inMemory(Clock clock, RoutingTableBuilder builder) {
        GatewayConfig defaults = GatewayConfig.defaults();
        return new InMemoryRegistry(clock, builder, defaults.leaseEvictionMaxShare(), defaults.leaseEvictionWindow(),
                "test-control");
    }
}
