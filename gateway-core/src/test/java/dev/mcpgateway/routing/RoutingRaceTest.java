package dev.mcpgateway.routing;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.internal.routing.DefaultRouter;
import dev.mcpgateway.internal.routing.RoutingTableBuilder;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Registries;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Routers on several threads while the control loop registers, re-weighs health and removes instances:
 * nothing throws except the documented routing errors, and once a removal's future completed no call
 * started afterwards is routed to the removed instance.
 */
class RoutingRaceTest {
    private static final int ROUTERS = 4;
    private static final int CHANGES = 2_000;

    @ParameterizedTest
    @ValueSource(strings = {"round-robin", "least-connections", "weighted", "p2c"})
    void routingStaysCorrectWhileInstancesComeAndGo(String balancer) throws Exception {
        InMemoryRegistry registry = Registries.inMemory(new FakeClock(), new RoutingTableBuilder(
                LoadBalancer.byName(balancer), List.of(), ToolNaming.namespaced(), Duration.ofSeconds(60)));
        DefaultRouter router = new DefaultRouter(registry::table);
        Set<String> removed = ConcurrentHashMap.newKeySet();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong routed = new AtomicLong();
        CountDownLatch started = new CountDownLatch(ROUTERS);
        registry.register(Registration.of("p-0", manifest("p", "1.0.0", "t"))).join();

        List<Thread> routers = new ArrayList<>();
        for (int r = 0; r < ROUTERS; r++) {
            routers.add(Thread.ofPlatform().name("router-" + r).start(() -> {
                started.countDown();
                while (!done.get()) {
                    // Read what was already removed BEFORE routing: those instances left an earlier table.
                    Set<String> goneBefore = Set.copyOf(removed);
                    try {
                        String id = router.route("p__t", VersionConstraint.ANY).endpoint().id();
                        routed.incrementAndGet();
                        if (goneBefore.contains(id)) {
                            violations.add(id);
                        }
                    } catch (RoutingException e) {
                        if (e.code() != ErrorCodes.NO_HEALTHY_INSTANCE && e.code() != ErrorCodes.INVALID_PARAMS) {
                            unexpected.add(e);
                        }
                    } catch (Throwable t) {
                        unexpected.add(t);
                    }
                }
            }));
        }
        started.await();

        Random random = new Random(42);
        Deque<String> live = new ArrayDeque<>(List.of("p-0"));
        for (int i = 1; i <= CHANGES; i++) {
            String id = "p-" + i;
            registry.register(Registration.of(id, manifest("p", "1.0." + (i % 3), "t"))).join();
            live.addLast(id);
            if (live.size() > 4) {
                String leaving = live.removeFirst();
                registry.deregister(leaving).join();
                removed.add(leaving);
            }
            if (random.nextInt(4) == 0) {
                String target = new ArrayList<>(live).get(random.nextInt(live.size()));
                registry.reportHealth(target, random.nextBoolean() ? Health.UNHEALTHY : Health.HEALTHY, "race").join();
            }
        }
        done.set(true);
        for (Thread thread : routers) {
            thread.join();
        }
        registry.close();

        assertEquals(List.of(), unexpected);
        assertEquals(List.of(), violations, "calls routed to instances that had already left");
        assertTrue(routed.get() > 0, "routers made no successful pick");
        assertEquals(CHANGES + 1 - 4, removed.size(), "every instance but the last four left");
    }
}
