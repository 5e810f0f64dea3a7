package dev.mcpgateway.benchmarks.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.routing.Router;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingBenchmarkTest {

    @Test
    void fiftyThousandToolTableRoutesEveryNameAndSplitsTrafficNinetyTen() {
        RoutingBenchmark benchmark = new RoutingBenchmark();
        benchmark.tools = 50_000;
        benchmark.rule = "canary";
        benchmark.buildTable();
        try {
            assertEquals(50_000, benchmark.names.length);
            assertEquals(1_000 * RoutingBenchmark.INSTANCES_PER_PLUGIN,
                    benchmark.gateway.routingTable().instances().size());
            Set<String> routed = new HashSet<>();
            Map<String, Integer> byVersion = new HashMap<>();
            for (int i = 0; i < benchmark.names.length; i++) {
                Router.Routed decision = benchmark.route();
                routed.add(decision.route().tool().exposedName());
                assertEquals(3, decision.route().endpoints().size());
                byVersion.merge(decision.endpoint().instance().manifest().version(), 1, Integer::sum);
            }
            assertEquals(Set.of(benchmark.names), routed, "one rotation routes every name once");
            // 10% of 50,000 picks: the binomial spread is ±67, so these bounds never fail by chance.
            int canary = byVersion.get(RoutingBenchmark.CANARY_VERSION);
            assertTrue(canary > 4_000 && canary < 6_000, "canary share " + canary + " of 50000");
        } finally {
            benchmark.closeGateway();
        }
    }

    @Test
    void plainTableOfTenToolsHasOnePluginOfThreeInstancesAndNoRule() {
        RoutingBenchmark benchmark = new RoutingBenchmark();
        benchmark.tools = 10;
        benchmark.rule = "none";
        benchmark.buildTable();
        try {
            assertEquals(10, benchmark.names.length);
            assertEquals(3, benchmark.gateway.routingTable().instances().size());
            Set<String> instances = new HashSet<>();
            for (int i = 0; i < 3 * benchmark.names.length; i++) {
                Router.Routed decision = benchmark.route();
                assertNull(decision.route().rule());
                instances.add(decision.endpoint().id());
            }
            assertEquals(3, instances.size(), "three rotations reach all three instances");
        } finally {
            benchmark.closeGateway();
        }
    }
}
