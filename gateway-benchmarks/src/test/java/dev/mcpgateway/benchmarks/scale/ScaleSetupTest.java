package dev.mcpgateway.benchmarks.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.routing.VersionConstraint;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScaleSetupTest {
    private static final ScaleShape SMALL = new ScaleShape(20, 15, 3, ScaleShape.Names.WORDS);

    @ParameterizedTest
    @EnumSource(ScaleShape.Names.class)
    void registersEveryInstanceAndEveryNameRoutesToItsPlugin(ScaleShape.Names names) {
        ScaleShape shape = SMALL.withNames(names);
        try (McpGateway gateway = ScaleBenchmark.stubGateway()) {
            ScaleBenchmark.registerAll(gateway, shape.manifests());

            assertEquals(60, gateway.registry().instances().size());
            List<String> exposed = ScaleBenchmark.shuffledNames(gateway, 1);
            assertEquals(300, exposed.size());
            assertEquals(300, new HashSet<>(exposed).size());
            Set<String> reached = new HashSet<>();
            for (String name : exposed) {
                String plugin = gateway.routingTable().routeByExposedName(name).key().namespace();
                for (int call = 0; call < shape.instancesPerPlugin(); call++) {
                    String instance = gateway.router().route(name, VersionConstraint.ANY).endpoint().id();
                    assertTrue(instance.startsWith(plugin + "-"), name + " routed to " + instance);
                    reached.add(instance);
                }
            }
            assertEquals(60, reached.size(), "round-robin reaches all 3 instances of each plugin");
        }
    }

    @Test
    void changesLeaveTheRegistryAsTheyFoundItAndCountEveryRepetition() {
        try (McpGateway gateway = ScaleBenchmark.stubGateway()) {
            ScaleBenchmark.registerAll(gateway, SMALL.manifests());
            List<String> before = ScaleBenchmark.shuffledNames(gateway, 1);

            ScaleBenchmark.Changes changes = ScaleBenchmark.Changes.measure(gateway, SMALL, 7, 3, true);

            assertEquals(7, changes.extraInstance().getTotalCount());
            assertEquals(7, changes.extraInstanceLeaves().getTotalCount());
            assertEquals(3, changes.newPlugin().getTotalCount());
            assertEquals(3, changes.newPluginLeaves().getTotalCount());
            assertEquals(7, changes.healthFlip().getTotalCount());
            assertEquals(60, gateway.registry().instances().size());
            assertEquals(before, ScaleBenchmark.shuffledNames(gateway, 1));
            assertTrue(gateway.registry().instances().stream().allMatch(i -> i.isRoutable()));
        }
    }

    @Test
    void callLoadCountsItsCallsWhileTheRegistryChanges() {
        try (McpGateway gateway = ScaleBenchmark.stubGateway()) {
            ScaleBenchmark.registerAll(gateway, SMALL.manifests());
            ScaleBenchmark.CallLoad load = new ScaleBenchmark.CallLoad(gateway, ScaleBenchmark.shuffledNames(gateway, 1), 2);
            ScaleBenchmark.Changes.measure(gateway, SMALL, 5, 2, false);
            Measure.sleep(Duration.ofMillis(20));
            load.close();

            assertTrue(load.calls() > 0);
            assertEquals(0, load.failures());
            assertTrue(load.callsPerSecond() > 0);
        }
    }
}
