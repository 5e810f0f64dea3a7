package dev.mcpgateway.gateway;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.event.GatewayEventRecord;
import dev.mcpgateway.event.GatewayEventRecord.Kind;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.gateway.RecentEvents;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Registries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway's feed of recent control-plane events: what each change records, newest first, bounded. */
class RecentEventsTest {
    private final FakeClock clock = new FakeClock();
    private final InMemoryRegistry registry = Registries.inMemory(clock);

    @AfterEach
    void close() {
        registry.close();
    }

    private RecentEvents listening(int capacity) {
        RecentEvents events = new RecentEvents(clock, capacity);
        registry.addListener(events);
        return events;
    }

    private void register(String id) {
        registry.register(Registration.of(id, manifest("files", "1.0.0", "read"))).join();
    }

    @Test
    void eachChangeIsRecordedNewestFirstWithWhenFromAndTo() {
        RecentEvents events = listening(RecentEvents.KEPT);
        Instant start = clock.instant();
        register("f1");
        clock.advance(Duration.ofSeconds(1));
        registry.setStatus("f1", InstanceStatus.OUT_OF_SERVICE).join();
        clock.advance(Duration.ofSeconds(1));
        registry.reportHealth("f1", Health.UNHEALTHY, "2 probes timed out").join();
        register("f1");
        events.rulesReplaced(List.of());
        registry.deregister("f1").join();

        List<GatewayEventRecord> recent = events.newestFirst();
        assertEquals(List.of(Kind.DEREGISTERED, Kind.RULES_REPLACED, Kind.REPLACED, Kind.HEALTH, Kind.STATUS,
                Kind.REGISTERED), recent.stream().map(GatewayEventRecord::kind).toList());
        assertEquals(new GatewayEventRecord(start.plusSeconds(2), Kind.HEALTH, "f1", "files", "UNKNOWN", "UNHEALTHY",
                "2 probes timed out"), recent.get(3));
        assertEquals(new GatewayEventRecord(start.plusSeconds(1), Kind.STATUS, "f1", "files", "UP", "OUT_OF_SERVICE",
                null), recent.get(4));
        assertEquals(new GatewayEventRecord(start, Kind.REGISTERED, "f1", "files", null, null,
                "1.0.0, 1 tools, by HOST"), recent.get(5));
        assertNull(recent.get(1).instanceId());
        assertEquals("no rules", recent.get(1).reason());
        assertEquals("lease-expired", Kind.LEASE_EXPIRED.label());
    }

    @Test
    void onlyTheLastEventsAreKept() {
        RecentEvents events = listening(3);
        register("f1");
        for (int i = 0; i < 5; i++) {
            registry.reportHealth("f1", i % 2 == 0 ? Health.UNHEALTHY : Health.HEALTHY, "flap " + i).join();
        }
        assertEquals(List.of("flap 4", "flap 3", "flap 2"),
                events.newestFirst().stream().map(GatewayEventRecord::reason).toList());
    }

    @Test
    void theGatewayRecordsRuleReplacements() {
        try (McpGateway gateway = McpGateway.builder().clock(clock).build()) {
            gateway.replaceRoutingRules(List.of(RoutingRule.forTools("*").name("all").target(RouteTarget.all()).build())).join();
            GatewayEventRecord newest = gateway.recentEvents().get(0);
            assertEquals(Kind.RULES_REPLACED, newest.kind());
            assertEquals("rules all", newest.reason());
        }
    }
}
