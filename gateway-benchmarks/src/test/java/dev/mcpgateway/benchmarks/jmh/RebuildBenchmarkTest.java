package dev.mcpgateway.benchmarks.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.plugin.PluginInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RebuildBenchmarkTest {
    private static final int TOOLS = RebuildBenchmark.PLUGINS * RebuildBenchmark.TOOLS_PER_PLUGIN;

    private final RebuildBenchmark benchmark = new RebuildBenchmark();

    @BeforeEach
    void buildRegistry() {
        benchmark.buildRegistry();
    }

    @AfterEach
    void close() {
        benchmark.closeGateway();
    }

    @Test
    void registryHoldsAThousandInstancesOfTwoHundredPlugins() {
        McpGateway gateway = benchmark.gateway;
        assertEquals(1_000, gateway.registry().instances().size());
        assertEquals(TOOLS, gateway.routingTable().routes().size());
        assertEquals(RebuildBenchmark.INSTANCES_PER_PLUGIN,
                gateway.routingTable().routeByExposedName("plugin-0007__operation_03").endpoints().size());
    }

    @Test
    void anotherInstanceOfAnExistingPluginIsRoutableThenRemoved() {
        PluginInstance added = benchmark.registerInstanceOfExistingPlugin();
        assertEquals(1_001, benchmark.gateway.registry().instances().size());
        assertEquals(RebuildBenchmark.INSTANCES_PER_PLUGIN + 1, benchmark.gateway.routingTable()
                .routeByExposedName(added.pluginName() + "__operation_00").endpoints().size());
        benchmark.deregisterAdded();
        assertEquals(1_000, benchmark.gateway.registry().instances().size());
        assertEquals(TOOLS, benchmark.gateway.routingTable().routes().size());
    }

    @Test
    void newPluginAddsItsToolsUntilRemoved() {
        for (int round = 0; round < 2; round++) {
            benchmark.registerNewPlugin();
            assertEquals(TOOLS + RebuildBenchmark.TOOLS_PER_PLUGIN, benchmark.gateway.routingTable().routes().size());
            assertNotNull(benchmark.gateway.routingTable().routeByExposedName("newcomer__operation_09"));
            benchmark.deregisterAdded();
            assertEquals(TOOLS, benchmark.gateway.routingTable().routes().size());
            assertNull(benchmark.gateway.routingTable().routeByExposedName("newcomer__operation_09"));
        }
    }

    @Test
    void renewingALeaseChangesNothingRoutingSees() {
        long version = benchmark.gateway.routingTable().version();
        assertNotNull(benchmark.renewLease());
        benchmark.deregisterAdded();
        assertEquals(version, benchmark.gateway.routingTable().version());
        assertEquals(1_000, benchmark.gateway.registry().instances().size());
    }
}
