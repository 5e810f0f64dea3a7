package dev.mcpgateway.balancer;

import static dev.mcpgateway.balancer.Endpoints.assertShares;
import static dev.mcpgateway.balancer.Endpoints.countPicks;
import static dev.mcpgateway.balancer.Endpoints.named;
import static dev.mcpgateway.balancer.Endpoints.recordLatency;
import static dev.mcpgateway.balancer.Endpoints.startCalls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesBalancerTest {
    private static final long MILLI = 1_000_000L;

    private final LoadBalancer balancer = LoadBalancer.powerOfTwoChoices();

    @Test
    void aHeavilyLoadedEndpointIsPickedFarLessOften() {
        List<Endpoint> endpoints = named("a", "b", "c", "d");
        endpoints.forEach(e -> recordLatency(e, 5 * MILLI));
        startCalls(endpoints.get(0), 50);
        for (int i = 1; i < endpoints.size(); i++) {
            startCalls(endpoints.get(i), i); // 1, 2, 3: all far below a's 50
        }

        Map<String, Integer> counts = countPicks(balancer.newPicker(null, endpoints), 100_000);

        // The most loaded endpoint loses every pair it is drawn into, so it is never chosen.
        assertEquals(0, counts.get("a"), counts::toString);
        // The least loaded one wins every pair it is in: drawn into half of all pairs.
        assertEquals(0.5, counts.get("b") / 100_000.0, 0.02, counts::toString);
    }

    @Test
    void aSlowEndpointIsAvoidedLikeABusyOne() {
        List<Endpoint> endpoints = named("a", "b", "c");
        recordLatency(endpoints.get(0), 200 * MILLI);
        recordLatency(endpoints.get(1), 10 * MILLI);
        recordLatency(endpoints.get(2), 10 * MILLI);
        startCalls(endpoints.get(1), 3);
        startCalls(endpoints.get(2), 3);

        Map<String, Integer> counts = countPicks(balancer.newPicker(null, endpoints), 10_000);

        // (0 + 1) × 200 ms outweighs (3 + 1) × 10 ms.
        assertEquals(0, counts.get("a"), counts::toString);
    }

    @Test
    void ofTwoEndpointsNeverPicksTheMoreLoadedOne() {
        Random random = new Random(7L);
        for (int round = 0; round < 2_000; round++) {
            List<Endpoint> endpoints = named("a", "b");
            Endpoint a = endpoints.get(0);
            Endpoint b = endpoints.get(1);
            if (random.nextInt(5) != 0) { // now and then one or both have no latency sample yet
                recordLatency(a, 1 + random.nextInt(100) * MILLI);
            }
            if (random.nextInt(5) != 0) {
                recordLatency(b, 1 + random.nextInt(100) * MILLI);
            }
            startCalls(a, random.nextInt(10));
            startCalls(b, random.nextInt(10));
            Endpoint lighter = lighterOf(a, b);
            if (lighter == null) {
                continue; // equal loads: either is right
            }
            Picker picker = balancer.newPicker(null, endpoints);
            for (int i = 0; i < 20; i++) {
                assertSame(lighter, picker.pick(), () -> "a: " + describe(a) + ", b: " + describe(b));
            }
        }
    }

    @Test
    void equallyLoadedEndpointsShareUniformly() {
        List<Endpoint> endpoints = named("a", "b", "c", "d");
        endpoints.forEach(e -> {
            recordLatency(e, 3 * MILLI);
            startCalls(e, 2);
        });

        Map<String, Integer> counts = countPicks(balancer.newPicker(null, endpoints), 100_000);

        // Expected 25,000 each with a standard deviation of about 140: 2,000 off is beyond any plausible run.
        assertShares(counts, Map.of("a", 0.25, "b", 0.25, "c", 0.25, "d", 0.25), 0.02);
    }

    @Test
    void aNewEndpointWithoutLatencyIsTriedButNotFlooded() {
        List<Endpoint> endpoints = named("known", "new");
        recordLatency(endpoints.get(0), 10 * MILLI);
        Picker picker = balancer.newPicker(null, endpoints);

        for (int call = 1; call <= 20; call++) {
            picker.pick().stats().callStarted();
            int known = endpoints.get(0).stats().inFlight();
            int fresh = endpoints.get(1).stats().inFlight();
            // Without a sample the comparison falls back to calls in flight: the two stay within one call.
            assertTrue(Math.abs(known - fresh) <= 1, "after " + call + " calls: known " + known + ", new " + fresh);
        }
        assertEquals(10, endpoints.get(1).stats().inFlight());
    }

    /** The endpoint with the lower load score, or null when they are equal. */
    private static Endpoint lighterOf(Endpoint a, Endpoint b) {
        double latencyA = a.stats().latencyEwmaNanos();
        double latencyB = b.stats().latencyEwmaNanos();
        if (latencyA == 0 || latencyB == 0) { // no sample: compared by calls in flight alone
            latencyA = 1;
            latencyB = 1;
        }
        double scoreA = (a.stats().inFlight() + 1) * latencyA;
        double scoreB = (b.stats().inFlight() + 1) * latencyB;
        return scoreA < scoreB ? a : scoreB < scoreA ? b : null;
    }

    private static String describe(Endpoint endpoint) {
        return endpoint.stats().inFlight() + " in flight, " + endpoint.stats().latencyEwmaNanos() + " ns";
    }
}
