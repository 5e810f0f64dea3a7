package dev.mcpgateway.benchmarks.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.LoadBalancer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BalancerBenchmarkTest {

    @ParameterizedTest
    @ValueSource(ints = {3, 100})
    void everyStrategyPicksFromItsEndpoints(int endpoints) {
        for (String name : LoadBalancer.NAMES) {
            BalancerBenchmark benchmark = benchmark(name, endpoints);
            assertEquals(endpoints, benchmark.picker.endpoints().size(), name);
            assertTrue(benchmark.picker.endpoints().contains(benchmark.pick()), name);
            assertTrue(benchmark.picker.endpoints().contains(benchmark.pickFromTwoThreads()), name);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 100})
    void weightedRunsTheSmoothWeightedPickerOverUnequalWeights(int endpoints) {
        BalancerBenchmark benchmark = benchmark("weighted", endpoints);
        int totalWeight = benchmark.picker.endpoints().stream().mapToInt(Endpoint::weight).sum();
        Map<Endpoint, Integer> picks = new HashMap<>();
        for (int i = 0; i < totalWeight; i++) {
            picks.merge(benchmark.pick(), 1, Integer::sum);
        }
        // One cycle of the smooth weighted sequence picks each endpoint exactly its weight times; round-robin would not.
        for (Endpoint endpoint : benchmark.picker.endpoints()) {
            assertEquals(endpoint.weight(), picks.get(endpoint), endpoint.id());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 100})
    void leastConnectionsSeesTheSeededCallsInFlight(int endpoints) {
        BalancerBenchmark benchmark = benchmark("least-connections", endpoints);
        assertTrue(benchmark.picker.endpoints().stream().anyMatch(e -> e.stats().inFlight() > 0));
        assertEquals(0, benchmark.pick().stats().inFlight());
    }

    private static BalancerBenchmark benchmark(String balancer, int endpoints) {
        BalancerBenchmark benchmark = new BalancerBenchmark();
        benchmark.balancer = balancer;
        benchmark.endpoints = endpoints;
        benchmark.buildPicker();
        return benchmark;
    }
}
