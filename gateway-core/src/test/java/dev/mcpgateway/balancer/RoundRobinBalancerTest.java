package dev.mcpgateway.balancer;

import static dev.mcpgateway.balancer.Endpoints.assertShares;
import static dev.mcpgateway.balancer.Endpoints.countPicks;
import static dev.mcpgateway.balancer.Endpoints.named;
import static dev.mcpgateway.balancer.Endpoints.pickConcurrently;
import static dev.mcpgateway.balancer.Endpoints.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {
    private static final Map<String, Double> THIRDS = Map.of("a", 1 / 3.0, "b", 1 / 3.0, "c", 1 / 3.0);

    private final LoadBalancer balancer = LoadBalancer.roundRobin();
    private final List<Endpoint> endpoints = named("a", "b", "c");

    @Test
    void picksEachEndpointInTurn() {
        assertEquals("a b c a b c a", sequence(balancer.newPicker(null, endpoints), 7));
    }

    @Test
    void sharesAreEvenOverManyPicks() {
        Map<String, Integer> counts = countPicks(balancer.newPicker(null, endpoints), 100_000);
        assertShares(counts, THIRDS, 0.01);
        // The rotation is exact, not merely statistically even.
        assertEquals(Map.of("a", 33_334, "b", 33_333, "c", 33_333), counts);
    }

    @Test
    void thePositionSurvivesARebuildWithTheSameEndpoints() {
        Picker picker = balancer.newPicker(null, endpoints);
        assertSame(endpoints.get(0), picker.pick());
        Picker rebuilt = balancer.newPicker(picker, endpoints);
        assertEquals("b c a", sequence(rebuilt, 3));
    }

    @Test
    void rebuildingAfterEveryPickDoesNotBiasTowardTheFirstEndpoint() {
        Picker picker = balancer.newPicker(null, endpoints);
        StringBuilder picks = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            picks.append(picker.pick().id());
            picker = balancer.newPicker(picker, endpoints);
        }
        assertEquals("abc".repeat(10_000), picks.toString());
    }

    @Test
    void aChangedListIsStillCoveredEvenly() {
        Picker picker = balancer.newPicker(null, endpoints);
        sequence(picker, 2);
        Picker grown = balancer.newPicker(picker, named("a", "b", "c", "d"));
        assertEquals(Map.of("a", 1, "b", 1, "c", 1, "d", 1), countPicks(grown, 4));
        Picker shrunk = balancer.newPicker(grown, named("b", "d"));
        assertEquals(Map.of("b", 50, "d", 50), countPicks(shrunk, 100));
    }

    @Test
    void concurrentPicksStayEven() throws Exception {
        Map<String, Long> counts = pickConcurrently(balancer.newPicker(null, endpoints), 4, 100_000);
        assertShares(counts, THIRDS, 0.01);
    }
}
