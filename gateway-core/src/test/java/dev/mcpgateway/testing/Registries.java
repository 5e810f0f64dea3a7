package dev.mcpgateway.testing;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.internal.routing.RoutingTableBuilder;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.registry.RegistryStore;
import java.time.Clock;
import java.util.List;

/** Registries for tests that need the real control loop without a whole gateway. */
public final class Registries {
    private Registries() {
    }

    /** An in-memory registry with the default config's balancing, naming, grace period and lease eviction. */
    public static InMemoryRegistry inMemory(Clock clock) {
        return inMemory(clock, defaultBuilder());
    }

    /** An in-memory registry building tables with the given builder, and the default config's lease eviction. */
    public static InMemoryRegistry inMemory(Clock clock, RoutingTableBuilder builder) {
        return inMemory(clock, builder, RegistryStore.none());
    }

    /** An in-memory registry as {@link #inMemory(Clock)}, keeping API-registered instances in {@code store}. */
    public static InMemoryRegistry inMemory(Clock clock, RegistryStore store) {
        return inMemory(clock, defaultBuilder(), store);
    }

    private static InMemoryRegistry inMemory(Clock clock, RoutingTableBuilder builder, RegistryStore store) {
        GatewayConfig defaults = GatewayConfig.defaults();
        return new InMemoryRegistry(clock, builder, defaults.leaseEvictionMaxShare(), defaults.leaseEvictionWindow(),
                store, "test-control");
    }

    private static RoutingTableBuilder defaultBuilder() {
        return new RoutingTableBuilder(LoadBalancer.roundRobin(), List.of(), ToolNaming.namespaced(),
                GatewayConfig.defaults().toolGracePeriod());
    }
}
