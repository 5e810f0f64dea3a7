package dev.mcpgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Gateways;
import dev.mcpgateway.testing.MemoryRegistryStore;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Gateways sharing one registry store share more than registrations: the routing rules replaced at run time (one
 * versioned set; a gateway never goes back to an older one), drains, and the health transitions they see.
 */
class SharedRulesAndDrainsTest {
    private static final Duration NEVER = Duration.ofHours(1);
    private static final RoutingRule EU_ONLY = RoutingRule.forTools("files/*").name("eu-only")
            .target(RouteTarget.labels("region=eu")).build();
    private static final RoutingRule CANARY = RoutingRule.forTools("files/*").name("canary")
            .target(RouteTarget.labels("region=eu").weight(90)).target(RouteTarget.labels("region=us").weight(10))
            .build();
    private final FakeClock clock = new FakeClock();
    private final MemoryRegistryStore store = new MemoryRegistryStore();
    @AutoClose
    private final Gateways gateways = new Gateways();

    private McpGateway gateway(List<RoutingRule> configured) {
        GatewayConfig.Builder config = GatewayConfig.builder().leaseCheckInterval(NEVER).leaseEvictionWindow(NEVER)
                .storeReconcileInterval(NEVER);
        configured.forEach(config::routingRule);
        McpGateway gateway = McpGateway.builder().clock(clock).config(config.build()).registryStore(store)
                .transport(new ScriptedTransport(instance -> ScriptedServer.listing("echo"))).build();
        gateways.add(gateway);
        return gateway;
    }

    private static Registration api(String id) {
        PluginManifest manifest = PluginManifest.builder("files").transport(TransportSpec.Stdio.of("files"))
                .tool(Tool.builder("echo").build()).label("region", "eu").build();
        return Registration.of(id, manifest).withSource(RegistrationSource.API);
    }

    private static InstanceStatus status(McpGateway gateway, String id) {
        return gateway.registry().instance(id).orElseThrow().status();
    }

    @Test
    void rulesReplacedOnOneGatewayAreKeptAsOneVersionedSetAndAdoptedByTheOtherAtItsNextPass() {
        McpGateway a = gateway(List.of());
        McpGateway b = gateway(List.of());
        a.replaceRoutingRules(List.of(EU_ONLY)).join();
        assertEquals(1, store.rules().orElseThrow().version());
        assertEquals(List.of(), b.routingRules(), "b read the store before a replaced them");

        b.reconcileStore().join();
        assertEquals(List.of(EU_ONLY), b.routingRules());

        b.replaceRoutingRules(List.of(CANARY)).join();
        assertEquals(2, store.rules().orElseThrow().version());
        a.reconcileStore().join();
        assertEquals(List.of(CANARY), a.routingRules());
        a.reconcileStore().join(); // the same version again: nothing to adopt
        assertEquals(List.of(CANARY), a.routingRules());
    }

    @Test
    void anOlderRuleSetNeverUndoesANewerOne() {
        McpGateway a = gateway(List.of());
        a.replaceRoutingRules(List.of(EU_ONLY)).join();
        a.replaceRoutingRules(List.of(CANARY)).join();
        InMemoryRegistry registry = (InMemoryRegistry) a.registry();

        // What a pass that loaded before the second replacement (or a late event) would bring.
        assertFalse(registry.adoptRules(1, List.of(EU_ONLY)).join());
        assertEquals(List.of(CANARY), a.routingRules());
        assertTrue(registry.adoptRules(3, List.of(EU_ONLY)).join());
        assertEquals(List.of(EU_ONLY), a.routingRules());
    }

    @Test
    void aRestartedGatewayStartsWithTheKeptRulesRatherThanItsConfiguration() {
        gateway(List.of()).replaceRoutingRules(List.of(CANARY)).join();

        McpGateway restarted = gateway(List.of(EU_ONLY));
        assertEquals(List.of(CANARY), restarted.routingRules(), "kept at run time, after the configuration");
        assertEquals(List.of(EU_ONLY), restarted.config().routingRules(), "the configuration is left as it says");
    }

    @Test
    void rulesTheStoreCannotKeepAreNotApplied() {
        McpGateway a = gateway(List.of(EU_ONLY));
        store.down(true);
        CompletionException failed = assertThrows(CompletionException.class,
                () -> a.replaceRoutingRules(List.of(CANARY)).join());
        assertInstanceOf(RegistryStoreUnavailableException.class, failed.getCause());
        assertEquals(List.of(EU_ONLY), a.routingRules());
        store.down(false);
        assertTrue(store.rules().isEmpty());
    }

    @Test
    void aDrainIsKeptAndFollowedByTheOtherGatewayUntilUndrainedOrRegisteredAgain() {
        McpGateway a = gateway(List.of());
        McpGateway b = gateway(List.of());
        a.register(api("files-1")).join();
        b.reconcileStore().join();

        a.drain("files-1").join();
        assertTrue(store.kept().get("files-1").drained());
        b.reconcileStore().join();
        assertEquals(InstanceStatus.OUT_OF_SERVICE, status(b, "files-1"), "b does not wait for a's calls");
        assertEquals(InstanceStatus.OUT_OF_SERVICE, status(gateway(List.of()), "files-1"), "a restart starts drained");

        a.registry().setStatus("files-1", InstanceStatus.UP).join();
        assertFalse(store.kept().get("files-1").drained());
        b.reconcileStore().join();
        assertEquals(InstanceStatus.UP, status(b, "files-1"));

        b.drain("files-1").join();
        a.reconcileStore().join();
        assertEquals(InstanceStatus.OUT_OF_SERVICE, status(a, "files-1"));
        a.register(api("files-1")).join(); // registered again: in service, everywhere
        assertFalse(store.kept().get("files-1").drained());
        b.reconcileStore().join();
        assertEquals(InstanceStatus.UP, status(b, "files-1"));
        assertTrue(store.calls().containsAll(List.of("drain files-1", "undrain files-1")), store.calls().toString());
    }

    @Test
    void aDrainTheStoreCannotKeepIsNotApplied() {
        McpGateway a = gateway(List.of());
        a.register(api("files-1")).join();
        store.down(true);
        CompletionException failed = assertThrows(CompletionException.class, () -> a.drain("files-1").join());
        assertInstanceOf(RegistryStoreUnavailableException.class, failed.getCause());
        assertEquals(InstanceStatus.UP, status(a, "files-1"));
    }

    @Test
    void healthTransitionsAreRecordedOffTheControlLoop() {
        McpGateway a = gateway(List.of());
        a.register(api("files-1")).join();
        a.registry().reportHealth("files-1", Health.UNHEALTHY, "probe timed out").join();

        // The scripted plugin connects meanwhile, so UNKNOWN -> HEALTHY ("connected") may be recorded first.
        Await.until("the transition is recorded", Duration.ofSeconds(5),
                () -> store.health().stream().anyMatch(t -> t.to() == Health.UNHEALTHY));
        RegistryStore.HealthTransition recorded = store.health().stream()
                .filter(t -> t.to() == Health.UNHEALTHY).findFirst().orElseThrow();
        assertEquals("files-1", recorded.instanceId());
        assertTrue(recorded.from() == Health.UNKNOWN || recorded.from() == Health.HEALTHY, recorded.toString());
        assertEquals("probe timed out", recorded.reason());
    }

    @Test
    void anInstanceAPeerSawGoUnhealthyIsProbedHereAtOnceAndThisGatewaysOwnProbeDecides() {
        List<ScriptedServer> started = new CopyOnWriteArrayList<>();
        McpGateway a = gateways.add(McpGateway.builder().clock(clock).registryStore(store)
                .config(GatewayConfig.builder().leaseCheckInterval(NEVER).leaseEvictionWindow(NEVER)
                        .storeReconcileInterval(NEVER)
                        .healthChecks(HealthCheckOptions.builder().interval(NEVER).build()).build())
                .transport(new ScriptedTransport(instance -> {
                    ScriptedServer server = ScriptedServer.listing("echo")
                            .handle("ping", (s, request) -> JsonRpcResponse.success(request.id(), Json.object()));
                    started.add(server);
                    return server;
                })).build());
        a.register(api("files-1")).join();
        // Its tools asked for: its session is established, so a probe can reach it.
        Await.until("the instance is connected", Duration.ofSeconds(5),
                () -> !started.isEmpty() && !started.getFirst().requests("tools/list").isEmpty());
        int pingsBefore = started.getFirst().requests("ping").size();

        store.unhealthyElsewhere("files-1"); // as Redis brings a peer's verdict
        Await.until("this gateway probes it now, not an hour from now", Duration.ofSeconds(5),
                () -> started.getFirst().requests("ping").size() > pingsBefore);
        assertNotEquals(Health.UNHEALTHY, a.registry().instance("files-1").orElseThrow().health(),
                "the instance answered this gateway's probe: the peer's verdict is not copied");
    }
}
