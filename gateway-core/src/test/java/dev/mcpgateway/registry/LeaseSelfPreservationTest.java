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

/**
 * When many leases lapse at once, lease checks evict only a share of the leased instances within any window, longest
 * lapsed first; the rest wait for the window to move on.
 */
class LeaseSelfPreservationTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration WINDOW = Duration.ofSeconds(60);
    /** The gateway's default lease check interval. */
    private static final Duration CHECK = Duration.ofSeconds(1);

    private final FakeClock clock = new FakeClock();
    private final List<InMemoryRegistry> registries = new ArrayList<>();

    @AfterEach
    void close() {
        registries.forEach(InMemoryRegistry::close);
    }

    private InMemoryRegistry registry(double share, Duration window) {
        InMemoryRegistry created = new InMemoryRegistry(clock, new RoutingTableBuilder(LoadBalancer.roundRobin(),
                List.of(), ToolNaming.namespaced(), Duration.ofSeconds(60)), share, window, "lease-control");
        registries.add(created);
        return created;
    }

    private static List<String> ids(List<PluginInstance> instances) {
        return instances.stream().map(PluginInstance::id).toList();
    }

    /** Lease checks every second for as long as given, as the gateway runs them; what they evicted. */
    private List<String> checksFor(InMemoryRegistry registry, Duration duration) {
        List<String> evicted = new ArrayList<>();
        for (Duration passed = Duration.ZERO; passed.compareTo(duration) < 0; passed = passed.plus(CHECK)) {
            clock.advance(CHECK);
            evicted.addAll(ids(registry.evictExpired().join()));
        }
        return evicted;
    }

    @Test
    void aWindowEvictsAtMostTheShareLongestLapsedFirstAndTheRestWaitForItToMoveOn() {
        InMemoryRegistry registry = registry(0.15, WINDOW);
        for (int i = 19; i >= 0; i--) { // registered one second apart, the highest id first: its lease lapses first
            registry.register(Registration.of(String.format("files-%02d", i), manifest("files", "1", "read"))
                    .withLease(LEASE)).join();
            clock.advance(Duration.ofSeconds(1));
        }
        registry.register(Registration.of("forever", manifest("files", "1", "read"))).join();

        clock.advance(LEASE); // every lease has lapsed
        assertEquals(List.of("files-19", "files-18", "files-17"), ids(registry.evictExpired().join()),
                "15 % of 20 leased instances");
        assertEquals(List.of(), checksFor(registry, WINDOW.minus(CHECK.multipliedBy(2))),
                "no more while the window holds those three");
        registry.renew("files-16").join();
        assertEquals(List.of(), checksFor(registry, CHECK), "the window's last second");

        assertEquals(List.of("files-15", "files-14"), checksFor(registry, CHECK),
                "once the window moved on: 15 % of the 17 left, and the one that renewed meanwhile stays");
        assertEquals(List.of(), checksFor(registry, WINDOW.minus(CHECK)));
        assertEquals(List.of("files-13", "files-12"), checksFor(registry, CHECK), "15 % of 15");
        assertTrue(registry.instance("files-16").isPresent());
        assertTrue(registry.instance("forever").isPresent(), "an instance without a lease never expires");
    }

    @Test
    void atLeastOneGoesPerWindow() {
        InMemoryRegistry registry = registry(0.15, WINDOW);
        registry.register(Registration.of("a", manifest("files", "1", "read")).withLease(LEASE)).join();
        registry.register(Registration.of("b", manifest("files", "1", "read")).withLease(LEASE)).join();
        clock.advance(LEASE);

        assertEquals(List.of("a"), ids(registry.evictExpired().join()), "ties by id");
        assertEquals(List.of(), checksFor(registry, WINDOW.minus(CHECK)));
        assertEquals(List.of("b"), checksFor(registry, CHECK));
        assertTrue(registry.instances().isEmpty());
    }

    @Test
    void eachEvictionFreesItsPlaceOneWindowLater() {
        InMemoryRegistry registry = registry(0.1, WINDOW);
        for (int i = 0; i < 20; i++) { // leased for longer than the test: 2 of them and the 4 below may go per window
            registry.register(Registration.of("steady-" + i, manifest("files", "1", "read"))
                    .withLease(Duration.ofHours(1))).join();
        }
        registry.register(Registration.of("a", manifest("files", "1", "read")).withLease(LEASE)).join();
        clock.advance(Duration.ofSeconds(20));
        for (String id : List.of("b", "c", "d")) {
            registry.register(Registration.of(id, manifest("files", "1", "read")).withLease(LEASE)).join();
        }

        assertEquals(List.of("a"), checksFor(registry, Duration.ofSeconds(10)), "at 30 s");
        assertEquals(List.of("b"), checksFor(registry, Duration.ofSeconds(20)), "at 50 s, the window's second");
        assertEquals(List.of(), checksFor(registry, WINDOW.minus(Duration.ofSeconds(20)).minus(CHECK)));
        assertEquals(List.of("c"), checksFor(registry, CHECK), "at 90 s the eviction of 30 s has left the window");
        assertEquals(List.of(), checksFor(registry, Duration.ofSeconds(20).minus(CHECK)));
        assertEquals(List.of("d"), checksFor(registry, CHECK), "at 110 s the eviction of 50 s has left it too");
    }

    @Test
    void aShareOfOneEvictsEveryLapsedLeaseAtOnce() {
        InMemoryRegistry registry = registry(1.0, WINDOW);
        for (int i = 0; i < 5; i++) {
            registry.register(Registration.of("files-" + i, manifest("files", "1", "read")).withLease(LEASE)).join();
        }
        clock.advance(LEASE);

        assertEquals(5, registry.evictExpired().join().size());
    }

    @Test
    void theShareAndTheWindowAreChecked() {
        for (double share : new double[] {0, -0.1, 1.01, Double.NaN}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> registry(share, WINDOW));
            assertEquals("leaseEvictionMaxShare must be above 0 and at most 1, got " + share, error.getMessage());
        }
        for (Duration window : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> registry(0.15, window));
            assertEquals("leaseEvictionWindow must be positive, got " + window, error.getMessage());
        }
        assertEquals("leaseEvictionWindow",
                assertThrows(NullPointerException.class, () -> registry(0.15, null)).getMessage());
    }
}
