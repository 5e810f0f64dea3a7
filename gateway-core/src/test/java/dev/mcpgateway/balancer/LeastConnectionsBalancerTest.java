package dev.mcpgateway.balancer;

import static dev.mcpgateway.balancer.Endpoints.countPicks;
import static dev.mcpgateway.balancer.Endpoints.named;
import static dev.mcpgateway.balancer.Endpoints.sequence;
import static dev.mcpgateway.balancer.Endpoints.startCalls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LeastConnectionsBalancerTest {
    private final LoadBalancer balancer = LoadBalancer.leastConnections();

    @Test
    void picksTheOnlyIdleEndpoint() {
        List<Endpoint> endpoints = named("a", "b", "c", "d");
        startCalls(endpoints.get(0), 3);
        startCalls(endpoints.get(1), 1);
        startCalls(endpoints.get(3), 2);
        Picker picker = balancer.newPicker(null, endpoints);
        for (int i = 0; i < 1_000; i++) {
            assertSame(endpoints.get(2), picker.pick());
        }
    }

    @Test
    void neverPicksABusierEndpointUnderRandomLoad() {
        Random random = new Random(20_240_601L);
        List<Endpoint> endpoints = named("a", "b", "c", "d", "e", "f", "g");
        Picker picker = balancer.newPicker(null, endpoints);
        for (int step = 0; step < 100_000; step++) {
            // Random traffic: calls start on random endpoints and random calls finish.
            Endpoint other = endpoints.get(random.nextInt(endpoints.size()));
            if (random.nextBoolean()) {
                other.stats().callStarted();
            } else if (other.stats().inFlight() > 0) {
                other.stats().callFinished(1_000, true);
            }
            int fewest = endpoints.stream().mapToInt(e -> e.stats().inFlight()).min().orElseThrow();

            Endpoint picked = picker.pick();

            int atStep = step;
            assertEquals(fewest, picked.stats().inFlight(), () -> "step " + atStep + " picked " + picked.id()
                    + " with " + picked.stats().inFlight() + " in flight while another had " + fewest);
            if (random.nextInt(4) == 0) {
                picked.stats().callStarted(); // sometimes the pick turns into a call, as in real use
            }
            if (random.nextInt(1_000) == 0) {
                picker = balancer.newPicker(picker, endpoints);
            }
        }
    }

    @Test
    void followsTheLoadAsCallsStartOnThePickedEndpoint() {
        List<Endpoint> endpoints = named("a", "b", "c");
        startCalls(endpoints.get(0), 2);
        Picker picker = balancer.newPicker(null, endpoints);
        for (int i = 0; i < 30; i++) {
            picker.pick().stats().callStarted();
        }
        // 32 calls spread as evenly as possible once the head start of a is absorbed.
        for (Endpoint endpoint : endpoints) {
            int inFlight = endpoint.stats().inFlight();
            assertTrue(inFlight == 10 || inFlight == 11, endpoint.id() + " has " + inFlight + " in flight");
        }
    }

    @Test
    void equallyIdleEndpointsTakeTurns() {
        Picker picker = balancer.newPicker(null, named("a", "b", "c", "d"));
        assertEquals("a b c d a b c d", sequence(picker, 8));
    }

    @Test
    void equallyLoadedEndpointsShareEvenlyBesideBusierOnes() {
        List<Endpoint> endpoints = named("a", "b", "c", "d");
        startCalls(endpoints.get(0), 2);
        startCalls(endpoints.get(1), 5);
        startCalls(endpoints.get(2), 2);
        startCalls(endpoints.get(3), 5);
        Picker picker = balancer.newPicker(null, endpoints);
        assertEquals(Map.of("a", 2_000, "b", 0, "c", 2_000, "d", 0), countPicks(picker, 4_000));
    }
}
