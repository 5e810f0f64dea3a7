package dev.mcpgateway.registry;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.internal.routing.RoutingTableBuilder;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When many leases lapse at once, a pass evicts only a share of the leased instances, longest lapsed first. */
class LeaseSelfPreservationTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final FakeClock clock = new FakeClock();
    private final List<InMemoryRegistry> registries = new ArrayList<>();

    @AfterEach
    void close() {
        registries.forEach(InMemoryRegistry::close);
    }

    private InMemoryRegistry registry(double share) {
        InMemoryRegistry created = new InMemoryRegistry(clock, new RoutingTableBuilder(LoadBalancer.roundRobin(),
                List.of(), ToolNaming.namespaced(), Duration.ofSeconds(60)), share, "lease-control");
        registries.add(created);
        return created;
    }

    private static List<String> ids(List<PluginInstance> instances) {
        return instances.stream().map(PluginInstance::id).toList();
    }

    @Test
    void aPassEvictsAtMostTheShareLongestLapsedFirstAndTheRestWait() {
        InMemoryRegistry registry = registry(0.15);
        for (int i = 19; i >= 0; i--) { // registered one second apart, the highest id first: its lease lapses first
            registry.register(Registration.of(String.format("files-%02d", i), manifest("files", "1", "read"))
                    .withLease(LEASE)).join();
            clock.advance(Duration.ofSeconds(1));
        }
        registry.register(Registration.of("forever", manifest("files", "1", "read"))).join();

        clock.advance(LEASE);
        assertEquals(List.of("files-19", "files-18", "files-17"), ids(registry.evictExpired().join()),
                "15 % of 20 leased instances");
        registry.renew("files-16").join();
        assertEquals(List.of("files-15", "files-14"), ids(registry.evictExpired().join()),
                "15 % of the 17 left, and the one that renewed meanwhile stays");

        List<String> evicted = new ArrayList<>();
        for (int pass = 0; pass < 20; pass++) {
            evicted.addAll(ids(registry.evictExpired().join()));
        }
        assertEquals(14, evicted.size(), "later passes take the rest");
        assertEquals(List.of("files-16", "forever"), ids(registry.instances()));
    }

    @Test
    void atLeastOneGoesPerPass() {
        InMemoryRegistry registry = registry(0.15);
        registry.register(Registration.of("a", manifest("files", "1", "read")).withLease(LEASE)).join();
        registry.register(Registration.of("b", manifest("files", "1", "read")).withLease(LEASE)).join();

        clock.advance(LEASE);

        assertEquals(List.of("a"), ids(registry.evictExpired().join()), "ties by id");
        assertEquals(List.of("b"), ids(registry.evictExpired().join()));
        assertTrue(registry.instances().isEmpty());
    }

    @Test
    void aShareOfOneEvictsEveryLapsedLeaseAtOnce() {
        InMemoryRegistry registry = registry(1.0);
        for (int i = 0; i < 5; i++) {
            registry.register(Registration.of("files-" + i, manifest("files", "1", "read")).withLease(LEASE)).join();
        }
        clock.advance(LEASE);

        assertEquals(5, registry.evictExpired().join().size());
    }

    @Test
    void theShareMustBeAboveZeroAndAtMostOne() {
        for (double share : new double[] {0, -0.1, 1.01, Double.NaN}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> registry(share));
            assertEquals("leaseEvictionMaxShare must be above 0 and at most 1, got " + share, error.getMessage());
        }
    }
}
