package dev.mcpgateway.gateway;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.internal.gateway.TransitionLog;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.InstanceTransition;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Registries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the gateway remembers of each instance for operators: who registered it and how its state moved. */
class TransitionsTest {
    private final FakeClock clock = new FakeClock();
    /** The log on a bare registry: no connections, so only the changes the tests make are recorded. */
    private final TransitionLog log = new TransitionLog(clock);
    private final InMemoryRegistry registry = Registries.inMemory(clock);

    TransitionsTest() {
        registry.addListener(log);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    private void register(String id) {
        registry.register(Registration.of(id, manifest("files", "1.0.0", "read"))).join();
    }

    @Test
    void statusAndHealthChangesAreKeptWithWhenAndWhy() {
        Instant registeredAt = clock.instant();
        register("f1");
        clock.advance(Duration.ofSeconds(5));
        registry.reportHealth("f1", Health.UNHEALTHY, "2 probes timed out").join();
        clock.advance(Duration.ofSeconds(5));
        registry.setStatus("f1", InstanceStatus.OUT_OF_SERVICE).join();

        assertEquals(List.of(
                new InstanceTransition(registeredAt, InstanceStatus.UP, Health.UNKNOWN, "registered"),
                new InstanceTransition(registeredAt.plusSeconds(5), InstanceStatus.UP, Health.UNHEALTHY,
                        "2 probes timed out"),
                new InstanceTransition(registeredAt.plusSeconds(10), InstanceStatus.OUT_OF_SERVICE, Health.UNHEALTHY,
                        "status UP -> OUT_OF_SERVICE")), log.of("f1"));
    }

    @Test
    void onlyTheLastTransitionsAreKeptAndLeavingForgetsThem() {
        register("f1");
        for (int i = 0; i < TransitionLog.KEPT; i++) {
            registry.reportHealth("f1", i % 2 == 0 ? Health.UNHEALTHY : Health.HEALTHY, "flap " + i).join();
        }
        List<InstanceTransition> kept = log.of("f1");
        assertEquals(TransitionLog.KEPT, kept.size());
        assertEquals("flap 0", kept.get(0).reason(), "the registration fell off the front");
        assertEquals("flap " + (TransitionLog.KEPT - 1), kept.get(kept.size() - 1).reason());

        registry.deregister("f1").join();
        assertTrue(log.of("f1").isEmpty());
        assertTrue(log.of("never-registered").isEmpty());
    }

    @Test
    void registeringAgainStartsTheHistoryOver() {
        register("f1");
        registry.reportHealth("f1", Health.UNHEALTHY, "down").join();
        register("f1");

        assertEquals(List.of("registered again"),
                log.of("f1").stream().map(InstanceTransition::reason).toList());
    }

    @Test
    void theGatewayKeepsTheLogOfItsInstances() {
        try (McpGateway gateway = McpGateway.builder().clock(clock)
                .config(GatewayConfig.builder().healthChecks(HealthCheckOptions.disabled()).build()).build()) {
            String id = gateway.registerInProcess(InProcessPlugin.builder("clock")
                    .tool("now", "The time", (args, context) -> CallToolResult.text("noon")).build()).join().id();
            Await.until("connected", Duration.ofSeconds(5),
                    () -> gateway.transitions(id).stream().anyMatch(t -> t.health() == Health.HEALTHY));
            gateway.drain(id).join();

            List<InstanceTransition> transitions = gateway.transitions(id);
            assertEquals(List.of("registered", "connected", "status UP -> OUT_OF_SERVICE"),
                    transitions.stream().map(InstanceTransition::reason).toList());
            assertEquals(InstanceStatus.OUT_OF_SERVICE, transitions.get(2).status());
        }
    }

    @Test
    void anInstanceSaysWhoRegisteredIt() {
        register("by-host");
        registry.register(Registration.of("by-api", manifest("files", "1.0.0", "read"))
                .withSource(RegistrationSource.API)).join();

        assertEquals(RegistrationSource.HOST, registry.instance("by-host").orElseThrow().source());
        assertEquals(RegistrationSource.API, registry.instance("by-api").orElseThrow().source());
        assertEquals(RegistrationSource.API, registry.instance("by-api").orElseThrow()
                .withStatus(InstanceStatus.DOWN).source(), "kept through changes");
    }
}
