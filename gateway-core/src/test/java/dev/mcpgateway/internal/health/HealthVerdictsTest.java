package dev.mcpgateway.internal.health;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.health.HealthVerdicts.Source;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Registries;
import dev.mcpgateway.testing.RecordingListener;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthVerdictsTest {
    private final RecordingListener events = new RecordingListener();
    private final InMemoryRegistry registry = Registries.inMemory(new FakeClock());
    private final HealthVerdicts verdicts = new HealthVerdicts(registry);

    HealthVerdictsTest() {
        registry.addListener(verdicts);
        registry.addListener(events);
        registry.register(Registration.of("a", manifest("files", "1.0.0", "read"))).join();
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void anInstanceIsUnhealthyWhileAnySourceFindsItDown() {
        verdicts.connected("a").join();
        assertEquals(Health.HEALTHY, health());

        verdicts.down("a", Source.PROBE, "2 probes timed out");
        verdicts.down("a", Source.OUTLIER, "ejected for 30 s");
        verdicts.up("a", Source.PROBE, "probe answered");
        assertEquals(Health.UNHEALTHY, settledHealth(), "the ejection still holds it out");
        assertTrue(verdicts.isDown("a", Source.OUTLIER));
        assertFalse(verdicts.isDown("a", Source.PROBE));

        verdicts.up("a", Source.OUTLIER, "ejection over");
        assertEquals(Health.HEALTHY, settledHealth());
        List<GatewayEvent.HealthChanged> changes = events.events(GatewayEvent.HealthChanged.class);
        assertEquals(List.of("connected", "2 probes timed out", "ejection over"),
                changes.stream().map(GatewayEvent.HealthChanged::reason).toList());
    }

    @Test
    void repeatedVerdictsReachTheRegistryOnce() {
        for (int i = 0; i < 5; i++) {
            verdicts.down("a", Source.PROBE, "probe " + i + " failed");
        }
        assertEquals(Health.UNHEALTHY, settledHealth());
        assertEquals(1, events.events(GatewayEvent.HealthChanged.class).size());
        assertEquals("probe 0 failed", events.events(GatewayEvent.HealthChanged.class).get(0).reason());
    }

    @Test
    void aNewSessionClearsEveryVerdict() {
        verdicts.down("a", Source.PROBE, "2 probes timed out");
        verdicts.down("a", Source.CONNECTION, "exited with code 1");

        verdicts.connected("a").join();

        assertEquals(Health.HEALTHY, health());
        assertFalse(verdicts.isDown("a", Source.PROBE));
    }

    @Test
    void verdictsDoNotOutliveTheInstance() {
        verdicts.down("a", Source.OUTLIER, "ejected");
        settledHealth();
        registry.deregister("a").join();
        registry.register(Registration.of("a", manifest("files", "1.0.0", "read"))).join();

        assertFalse(verdicts.isDown("a", Source.OUTLIER));
        verdicts.up("a", Source.PROBE, "probe answered");
        assertEquals(Health.HEALTHY, settledHealth());
    }

    private Health health() {
        return registry.instance("a").orElseThrow().health();
    }

    /** The health once every report queued so far is applied (the registry applies changes in order). */
    private Health settledHealth() {
        registry.renew("a").join();
        return health();
    }
}
