package dev.mcpgateway.routing;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.internal.routing.DefaultRouter;
import dev.mcpgateway.internal.routing.RoutingTableBuilder;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Registries;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routing rules replaced while the gateway runs: one new table, every tool re-routed, names unchanged. */
class LiveRulesTest {
    private static final ToolKey GITHUB = new ToolKey("github", "create_issue");
    private static final ToolKey FILES = new ToolKey("files", "read");

    /** Targets are picked at random by weight: enough picks that the share is within the tolerance. */
    private static final int N = 50_000;
    private static final double TOLERANCE = 0.015;

    private final InMemoryRegistry registry = Registries.inMemory(new FakeClock(),
            new RoutingTableBuilder(LoadBalancer.roundRobin(), List.of(canary(90, 10)), ToolNaming.namespaced(),
                    Duration.ofSeconds(60)));
    private final DefaultRouter router = new DefaultRouter(registry::table);

    @AfterEach
    void close() {
        registry.close();
    }

    private static RoutingRule canary(int stable, int canary) {
        return RoutingRule.forTools("github/*").name("canary")
                .target(RouteTarget.versions("1.x").weight(stable))
                .target(RouteTarget.versions("2.x").weight(canary))
                .build();
    }

    private void registerAll() {
        registry.register(Registration.of("stable", manifest("github", "1.9.0", "create_issue"))).join();
        registry.register(Registration.of("canary", manifest("github", "2.0.0", "create_issue"))).join();
        registry.register(Registration.of("files-1", manifest("files", "1.0.0", "read"))).join();
    }

    private static double share(String instance, Map<String, Integer> counts) {
        return counts.getOrDefault(instance, 0) / (double) counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private Map<String, Integer> picks(int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(router.route(GITHUB, VersionConstraint.ANY).endpoint().id(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void aCanaryBecomesFiftyFiftyInTheNextTable() {
        registerAll();
        assertEquals(0.10, share("canary", picks(N)), TOLERANCE);
        RoutingTable before = registry.table();

        RoutingTable after = registry.replaceRules(List.of(canary(50, 50))).join();

        assertSame(after, registry.table(), "the future completes once the new table is published");
        assertEquals(before.version() + 1, after.version(), "one table applies the whole change");
        assertEquals(0.50, share("canary", picks(N)), TOLERANCE);
        assertEquals(before.tools().stream().map(ExposedTool::exposedName).toList(),
                after.tools().stream().map(ExposedTool::exposedName).toList(), "rules never move exposed names");
        assertEquals(List.of(canary(50, 50).name()), registry.rules().stream().map(RoutingRule::name).toList());
    }

    @Test
    void everyToolIsReRoutedByTheNewRulesAndToolsTheyNoLongerGovernFallBackToTheDefault() {
        registerAll();
        assertNull(registry.table().route(FILES).rule());

        RoutingRule filesOnly = RoutingRule.forTools("files/*").name("files").target(RouteTarget.all()).build();
        registry.replaceRules(List.of(filesOnly)).join();

        assertEquals("files", registry.table().route(FILES).rule().name());
        assertNull(registry.table().route(GITHUB).rule(), "the canary rule is gone");
        assertEquals(Map.of("stable", 500, "canary", 500), picks(1000), "round-robin over both versions, no rule");
    }

    @Test
    void emptyingTheRulesKeepsEveryToolRoutable() {
        registerAll();
        ToolRoute before = registry.table().route(FILES);

        registry.replaceRules(List.of()).join();

        assertTrue(registry.table().route(GITHUB).isRoutable());
        assertNotSame(before, registry.table().route(FILES), "routes are rebuilt, not patched");
        assertEquals(2, registry.table().tools().size(), "both tools still listed");
    }

    @Test
    void rulesWithTheSameNameAreRefusedAndTheOldOnesStay() {
        registerAll();
        RoutingTable before = registry.table();
        RoutingRule a = RoutingRule.forTools("github/*").name("same").target(RouteTarget.all()).build();
        RoutingRule b = RoutingRule.forTools("files/*").name("same").target(RouteTarget.all()).build();

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> registry.replaceRules(List.of(a, b)));

        assertEquals("two routing rules are named 'same'; give each rule a distinct name", error.getMessage());
        assertSame(before, registry.table());
        assertEquals("canary", registry.rules().get(0).name());
    }

    @Test
    void rulesReplacedBeforeAnyPluginApplyToThoseThatCome() {
        registry.replaceRules(List.of(canary(0, 1))).join();
        registerAll();

        assertEquals(Map.of("canary", 100), picks(100));
    }

    @Test
    void aRuleChangeAndARegistrationInOneBatchBothApply() {
        registerAll();
        // Queued together, they are applied in one batch and one rebuild.
        var rules = registry.replaceRules(List.of(canary(50, 50)));
        var joined = registry.register(Registration.of("canary-b", manifest("github", "2.1.0", "create_issue")));
        rules.join();
        joined.join();

        Map<String, Integer> counts = picks(N);
        assertEquals(0.50, share("stable", counts), TOLERANCE);
        assertTrue(counts.get("canary-b") > 0, "the new instance takes part in the canary: " + counts);
    }

    @Test
    void aClosedRegistryRefusesRuleChanges() {
        registry.close();
        CompletionException error = assertThrows(CompletionException.class,
                () -> registry.replaceRules(List.of()).join());
        assertTrue(error.getCause() instanceof IllegalStateException, error.toString());
    }
}
