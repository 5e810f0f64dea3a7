package dev.mcpgateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.internal.routing.RoutingTableBuilder;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Registries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The control loop builds tables incrementally; after any sequence of changes, and of time passing (tools leave the
 * listing when their grace period runs out), the result must be exactly what a build from scratch over the same
 * instances at the same instant gives.
 */
class IncrementalRebuildTest {
    private static final List<RoutingRule> RULES = List.of(
            RoutingRule.forTools("ns0/*").target(RouteTarget.versions("1.x").weight(3))
                    .target(RouteTarget.versions(">=2").weight(1)).build(),
            RoutingRule.forTools("ns1/t*").target(RouteTarget.labels("zone=a")).build());
    private static final Duration GRACE = Duration.ofSeconds(60);

    @ParameterizedTest
    @ValueSource(strings = {"namespaced", "prefix-on-conflict", "unprefixed"})
    void incrementalTablesEqualTablesBuiltFromScratch(String naming) {
        Random random = new Random(naming.hashCode());
        FakeClock clock = new FakeClock();
        InMemoryRegistry registry = Registries.inMemory(clock,
                new RoutingTableBuilder(LoadBalancer.roundRobin(), RULES, ToolNaming.byName(naming), GRACE));
        try {
            for (int step = 0; step < 600; step++) {
                change(registry, random);
                if (random.nextInt(4) == 0) {
                    clock.advance(Duration.ofSeconds(random.nextInt(45)));
                    registry.evictExpired().join(); // the periodic pass: withdraws the tools whose grace ran out
                }
                RoutingTable incremental = registry.table();
                RoutingTableBuilder fresh = new RoutingTableBuilder(LoadBalancer.roundRobin(), RULES,
                        ToolNaming.byName(naming), GRACE);
                Map<String, Endpoint> all = new LinkedHashMap<>();
                for (PluginInstance instance : incremental.instances().values()) {
                    all.put(instance.id(), new Endpoint(instance, new dev.mcpgateway.balancer.EndpointStats()));
                }
                RoutingTable scratch = fresh.apply(all, clock.instant());
                assertEquals(describe(scratch), describe(incremental), "after step " + step);
            }
        } finally {
            registry.close();
        }
    }

    private static void change(InMemoryRegistry registry, Random random) {
        List<PluginInstance> instances = registry.instances();
        int op = instances.isEmpty() ? 0 : random.nextInt(6);
        String id = instances.isEmpty() ? null : instances.get(random.nextInt(instances.size())).id();
        switch (op) {
            case 0, 1 -> {
                // An id belongs to one plugin: registering it again replaces that plugin's instance.
                PluginManifest manifest = randomManifest(random);
                registry.register(Registration.of(manifest.name() + "-" + random.nextInt(8), manifest)).join();
            }
            case 2 -> registry.deregister(id).join();
            case 3 -> registry.setStatus(id, InstanceStatus.values()[random.nextInt(4)]).join();
            case 4 -> registry.reportHealth(id, Health.values()[random.nextInt(3)], "test").join();
            default -> registry.updateManifest(id,
                    registry.instance(id).orElseThrow().manifest().withTools(randomTools(random))).join();
        }
    }

    private static PluginManifest randomManifest(Random random) {
        // Few namespaces and tool names, some differing only in characters the naming maps alike: collisions.
        String plugin = "ns" + random.nextInt(4);
        return PluginManifest.builder(plugin).version(random.nextInt(3) + "." + random.nextInt(2) + ".0")
                .transport(TransportSpec.Stdio.of("true")).label("zone", random.nextBoolean() ? "a" : "b")
                .tools(randomTools(random)).build();
    }

    private static List<Tool> randomTools(Random random) {
        String[] names = {"t1", "t2", "t.3", "t_3", "read", "ns1__t1", "x"};
        List<Tool> tools = new ArrayList<>();
        for (String name : names) {
            if (random.nextInt(3) == 0) {
                tools.add(Tool.builder(name).description(name + random.nextInt(2)).build());
            }
        }
        return tools;
    }

    /** Everything observable about a table except its version and picker state. */
    private static String describe(RoutingTable table) {
        Map<String, String> routes = new TreeMap<>();
        for (Map.Entry<ToolKey, ToolRoute> entry : table.routes().entrySet()) {
            ToolRoute route = entry.getValue();
            assertEquals(route, table.routeByExposedName(route.tool().exposedName()));
            routes.put(entry.getKey().toString(), route.tool().exposedName() + " " + route.isRoutable() + " "
                    + route.isListed() + " "
                    + route.tool().definition().json() + " " + (route.rule() == null ? "-" : route.rule().name()) + " "
                    + route.endpoints().stream().map(e -> e.instance().describe()).toList());
        }
        return routes + "\n" + table.tools().stream().map(ExposedTool::exposedName).toList() + "\n"
                + table.instances().keySet();
    }
}
