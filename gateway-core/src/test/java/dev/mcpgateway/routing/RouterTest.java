package dev.mcpgateway.routing;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.internal.routing.DefaultRouter;
import dev.mcpgateway.internal.routing.RoutingTableBuilder;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Registries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final List<InMemoryRegistry> registries = new ArrayList<>();

    @AfterEach
    void close() {
        registries.forEach(InMemoryRegistry::close);
    }

    private DefaultRouter router(InMemoryRegistry registry) {
        return new DefaultRouter(registry::table);
    }

    private InMemoryRegistry registry(RoutingRule... rules) {
        InMemoryRegistry registry = Registries.inMemory(new FakeClock(),
                new RoutingTableBuilder(LoadBalancer.roundRobin(), List.of(rules), ToolNaming.namespaced(),
                        Duration.ofSeconds(60)));
        registries.add(registry);
        return registry;
    }

    private static void register(InMemoryRegistry registry, String id, PluginManifest manifest) {
        registry.register(Registration.of(id, manifest)).join();
    }

    private static Map<String, Integer> picks(DefaultRouter router, String tool, VersionConstraint versions, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(router.route(tool, versions).endpoint().id(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void unknownToolIsInvalidParams() {
        DefaultRouter router = router(registry());
        RoutingException error = assertThrows(RoutingException.class, () -> router.route("nope", VersionConstraint.ANY));
        assertEquals(ErrorCodes.INVALID_PARAMS, error.code());
        assertEquals("Unknown tool: nope", error.getMessage());
        assertThrows(RoutingException.class, () -> router.route(new ToolKey("files", "read"), VersionConstraint.ANY));
    }

    @Test
    void roundRobinsOverInstancesOfATool() {
        InMemoryRegistry registry = registry();
        register(registry, "f1", manifest("files", "1.0.0", "read"));
        register(registry, "f2", manifest("files", "1.0.0", "read"));
        assertEquals(Map.of("f1", 500, "f2", 500), picks(router(registry), "files__read", VersionConstraint.ANY, 1000));
    }

    @Test
    void noHealthyInstanceNamesEveryInstanceAndItsState() {
        InMemoryRegistry registry = registry();
        register(registry, "f1", manifest("files", "1.0.0", "read"));
        register(registry, "f2", manifest("files", "1.2.0", "read"));
        registry.setStatus("f1", InstanceStatus.DOWN).join();
        registry.reportHealth("f2", Health.UNHEALTHY, "probe failed").join();

        RoutingException error = assertThrows(RoutingException.class,
                () -> router(registry).route("files__read", VersionConstraint.ANY));
        assertEquals(ErrorCodes.NO_HEALTHY_INSTANCE, error.code());
        assertEquals("No healthy instance for tool 'files/read'; instances: f1 (files 1.0.0, DOWN/UNKNOWN), "
                + "f2 (files 1.2.0, UP/UNHEALTHY)", error.getMessage());
    }

    @Test
    void versionConstraintPicksTheNewestMatchingVersionWithAHealthyInstance() {
        InMemoryRegistry registry = registry();
        register(registry, "old", manifest("github", "1.4.0", "create_issue"));
        register(registry, "new", manifest("github", "2.1.0", "create_issue"));
        register(registry, "mid", manifest("github", "2.0.3", "create_issue"));
        DefaultRouter router = router(registry);

        assertEquals(Map.of("new", 100), picks(router, "github__create_issue", VersionConstraint.parse(">=2.0.0 <3"), 100));
        assertEquals(Map.of("old", 100), picks(router, "github__create_issue", VersionConstraint.parse("^1"), 100));

        registry.setStatus("new", InstanceStatus.OUT_OF_SERVICE).join();
        assertEquals(Map.of("mid", 100), picks(router, "github__create_issue", VersionConstraint.parse(">=2.0.0 <3"), 100));

        RoutingException none = assertThrows(RoutingException.class,
                () -> router.route("github__create_issue", VersionConstraint.parse(">=3")));
        assertEquals(ErrorCodes.NO_MATCHING_INSTANCE, none.code());
        assertEquals("No instance of tool 'github/create_issue' has a version matching '>=3'; available: "
                + "2.1.0 (1 instance), 2.0.3 (1 instance), 1.4.0 (1 instance)", none.getMessage());

        registry.setStatus("mid", InstanceStatus.DOWN).join();
        RoutingException unhealthy = assertThrows(RoutingException.class,
                () -> router.route("github__create_issue", VersionConstraint.parse(">=2")));
        assertEquals(ErrorCodes.NO_HEALTHY_INSTANCE, unhealthy.code());
        assertTrue(unhealthy.getMessage().contains("with version '>=2'"), unhealthy.getMessage());
    }

    @Test
    void canarySplitsTrafficByWeightWithinOnePercent() {
        InMemoryRegistry registry = registry(RoutingRule.forTools("github/*").name("canary")
                .target(RouteTarget.versions("1.x").weight(90))
                .target(RouteTarget.versions(">=2.0.0 <3").weight(10))
                .build());
        register(registry, "stable-1", manifest("github", "1.9.0", "create_issue"));
        register(registry, "stable-2", manifest("github", "1.9.0", "create_issue"));
        register(registry, "canary-1", manifest("github", "2.0.0-rc.1", "create_issue"));
        register(registry, "canary-2", manifest("github", "2.0.0", "create_issue"));

        int n = 100_000;
        Map<String, Integer> counts = picks(router(registry), "github__create_issue", VersionConstraint.ANY, n);
        double canary = counts.getOrDefault("canary-2", 0) / (double) n;
        assertEquals(0.10, canary, 0.01, "canary share " + counts);
        assertEquals(0, counts.getOrDefault("canary-1", 0), "a pre-release does not satisfy >=2.0.0 <3");
        double stable = (counts.get("stable-1") + counts.get("stable-2")) / (double) n;
        assertEquals(0.90, stable, 0.01, "stable share " + counts);
    }

    @Test
    void aTargetWithNoHealthyInstanceFailsOverToTheOthers() {
        InMemoryRegistry registry = registry(RoutingRule.forTools("github/*")
                .target(RouteTarget.versions("1.x").weight(90))
                .target(RouteTarget.versions("2.x").weight(10))
                .build());
        register(registry, "stable", manifest("github", "1.9.0", "create_issue"));
        register(registry, "canary", manifest("github", "2.0.0", "create_issue"));
        registry.setStatus("canary", InstanceStatus.DOWN).join();

        assertEquals(Map.of("stable", 1000), picks(router(registry), "github__create_issue", VersionConstraint.ANY, 1000));
    }

    @Test
    void rulesSelectInstancesByLabelAndOnlyGovernMatchingTools() {
        InMemoryRegistry registry = registry(RoutingRule.forTools("filesystem/*").name("files-cluster")
                .target(RouteTarget.labels("cluster=files")).build());
        register(registry, "in-cluster", manifest("filesystem", "1.0.0", "read").toBuilder()
                .label("cluster", "files").build());
        register(registry, "stray", manifest("filesystem", "1.0.0", "read").toBuilder().label("cluster", "misc").build());
        register(registry, "other", manifest("browser", "1.0.0", "open"));
        register(registry, "other-2", manifest("browser", "1.0.0", "open"));
        DefaultRouter router = router(registry);

        assertEquals(Map.of("in-cluster", 100), picks(router, "filesystem__read", VersionConstraint.ANY, 100));
        assertEquals(Map.of("other", 50, "other-2", 50), picks(router, "browser__open", VersionConstraint.ANY, 100));
        assertEquals("files-cluster", router.table().route(new ToolKey("filesystem", "read")).rule().name());
        assertEquals(null, router.table().route(new ToolKey("browser", "open")).rule());
    }

    @Test
    void ruleThatAdmitsNoInstanceSaysSo() {
        InMemoryRegistry registry = registry(RoutingRule.forTools("github/create_*").name("v5-only")
                .target(RouteTarget.versions(">=5")).build());
        register(registry, "g", manifest("github", "1.0.0", "create_issue", "list_issues"));
        DefaultRouter router = router(registry);

        RoutingException error = assertThrows(RoutingException.class,
                () -> router.route("github__create_issue", VersionConstraint.ANY));
        assertEquals(ErrorCodes.NO_MATCHING_INSTANCE, error.code());
        assertTrue(error.getMessage().startsWith("No instance of tool 'github/create_issue' matches routing rule 'v5-only'"),
                error.getMessage());
        assertEquals("g", router.route("github__list_issues", VersionConstraint.ANY).endpoint().id(),
                "the rule does not govern tools its pattern does not match");
    }

    @Test
    void unrelatedChangesKeepRoutesAndTheirPickerState() {
        InMemoryRegistry registry = registry();
        register(registry, "f1", manifest("files", "1.0.0", "read"));
        register(registry, "f2", manifest("files", "1.0.0", "read"));
        DefaultRouter router = router(registry);
        ToolRoute before = router.table().route(new ToolKey("files", "read"));

        List<String> sequence = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sequence.add(router.route("files__read", VersionConstraint.ANY).endpoint().id());
            register(registry, "web-" + i, manifest("web", "1.0.0", "get"));
        }

        assertSame(before, router.table().route(new ToolKey("files", "read")));
        assertEquals(List.of("f1", "f2", "f1", "f2", "f1", "f2", "f1", "f2", "f1", "f2"), sequence);
    }

    @Test
    void listingUsesTheNewestDefinitionAndExposedNamesInOrder() {
        InMemoryRegistry registry = registry();
        register(registry, "a", manifest("zeta", "1.0.0", "b_tool", "a_tool"));
        register(registry, "old", PluginManifest.builder("alpha").version("1.0.0")
                .transport(dev.mcpgateway.plugin.TransportSpec.Stdio.of("true"))
                .tool(dev.mcpgateway.mcp.Tool.builder("run").description("old").build()).build());
        register(registry, "new", PluginManifest.builder("alpha").version("1.10.0")
                .transport(dev.mcpgateway.plugin.TransportSpec.Stdio.of("true"))
                .tool(dev.mcpgateway.mcp.Tool.builder("run").description("new").build()).build());

        List<ExposedTool> tools = registry.table().tools();
        assertEquals(List.of("alpha__run", "zeta__a_tool", "zeta__b_tool"), tools.stream().map(ExposedTool::exposedName).toList());
        assertEquals("new", tools.get(0).definition().description(), "1.10.0 is newer than 1.0.0 (not by text)");
        assertEquals("alpha__run", tools.get(0).toJson().get("name").asText());
    }
}
