package dev.mcpgateway.balancer;

import static dev.mcpgateway.balancer.Endpoints.assertShares;
import static dev.mcpgateway.balancer.Endpoints.countPicks;
import static dev.mcpgateway.balancer.Endpoints.endpoint;
import static dev.mcpgateway.balancer.Endpoints.pickConcurrently;
import static dev.mcpgateway.balancer.Endpoints.sequence;
import static dev.mcpgateway.balancer.Endpoints.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmoothWeightedBalancerTest {
    private final LoadBalancer balancer = LoadBalancer.weightedRoundRobin();

    @Test
    void followsNginxSmoothSequence() {
        Picker picker = balancer.newPicker(null, weighted(5, 1, 1));
        assertEquals("a a b a c a a", sequence(picker, 7));
        assertEquals("a a b a c a a", sequence(picker, 7), "the cycle repeats");
    }

    @Test
    void sharesAreProportionalToWeights() {
        Map<String, Integer> counts = countPicks(balancer.newPicker(null, weighted(5, 3, 2)), 100_000);
        assertShares(counts, Map.of("a", 0.5, "b", 0.3, "c", 0.2), 0.01);
        assertEquals(Map.of("a", 50_000, "b", 30_000, "c", 20_000), counts, "exact over whole cycles");
    }

    @Test
    void aSmallWeightStillGetsItsExactShareBesideAHugeOne() {
        Map<String, Integer> counts = countPicks(balancer.newPicker(null, weighted(1, 1, 98)), 100_000);
        assertShares(counts, Map.of("a", 0.01, "b", 0.01, "c", 0.98), 0.01);
        assertEquals(Map.of("a", 1_000, "b", 1_000, "c", 98_000), counts);
    }

    @Test
    void picksAreInterleavedWithinEveryCycle() {
        Picker picker = balancer.newPicker(null, weighted(5, 3, 2));
        for (int cycle = 0; cycle < 100; cycle++) {
            assertEquals(Map.of("a", 5, "b", 3, "c", 2), countPicks(picker, 10), "cycle " + cycle);
        }
        // Smooth, not bursty: the heaviest endpoint never runs more than twice in a row.
        String picks = sequence(picker, 1_000).replace(" ", "");
        assertEquals(-1, picks.indexOf("aaa"), picks);
    }

    @Test
    void rebuildingAfterEveryPickKeepsTheExactSequence() {
        List<Endpoint> endpoints = weighted(5, 3, 2);
        String undisturbed = sequence(balancer.newPicker(null, weighted(5, 3, 2)), 10_000);

        Picker picker = balancer.newPicker(null, endpoints);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            picks.add(picker.pick().id());
            picker = balancer.newPicker(picker, endpoints);
        }

        assertEquals(undisturbed, String.join(" ", picks));
    }

    @Test
    void rebuildingWithNewEndpointInstancesOfTheSameIdsKeepsTheState() {
        Picker picker = balancer.newPicker(null, weighted(5, 1, 1));
        assertEquals("a a b", sequence(picker, 3));
        Picker rebuilt = balancer.newPicker(picker, weighted(5, 1, 1));
        assertEquals("a c a a", sequence(rebuilt, 4));
    }

    @Test
    void aNewEndpointJoinsAtZeroAndSharesFollowTheNewWeights() {
        List<Endpoint> before = weighted(5, 3, 2);
        Picker picker = balancer.newPicker(null, before);
        sequence(picker, 7);
        List<Endpoint> after = new ArrayList<>(before.subList(1, 3)); // a leaves
        after.add(endpoint("d", 5));
        Picker rebuilt = balancer.newPicker(picker, after);

        Map<String, Integer> counts = countPicks(rebuilt, 100_000);

        assertShares(counts, Map.of("b", 0.3, "c", 0.2, "d", 0.5), 0.0001);
    }

    @Test
    void equalWeightsGiveRoundRobin() {
        Picker picker = balancer.newPicker(null, weighted(3, 3, 3));
        assertEquals("a b c a b c a", sequence(picker, 7));
        Picker rebuilt = balancer.newPicker(picker, weighted(3, 3, 3));
        assertEquals("b c a", sequence(rebuilt, 3), "the rotation survives the rebuild");
    }

    @Test
    void aPreviousPickerOfAnotherStrategyStartsAFreshSequence() {
        List<Endpoint> endpoints = weighted(5, 1, 1);
        Picker roundRobin = LoadBalancer.roundRobin().newPicker(null, endpoints);
        sequence(roundRobin, 2);
        assertEquals("a a b a c a a", sequence(balancer.newPicker(roundRobin, endpoints), 7));
    }

    @Test
    void concurrentPicksKeepExactShares() throws Exception {
        Map<String, Long> counts = pickConcurrently(balancer.newPicker(null, weighted(5, 3, 2)), 4, 100_000);
        assertEquals(Map.of("a", 200_000L, "b", 120_000L, "c", 80_000L), counts);
    }
}
