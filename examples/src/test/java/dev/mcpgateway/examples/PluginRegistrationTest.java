package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.event.GatewayEvent.InstanceDeregistered;
import dev.mcpgateway.event.GatewayEvent.InstanceRegistered;
import dev.mcpgateway.event.GatewayEvent.LeaseExpired;
import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.http.PluginRegistration;
import dev.mcpgateway.transport.http.RegistrationRejectedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PluginRegistration} against a real gateway front door on 127.0.0.1 with its management API: it registers the
 * clock plugin (served over Streamable HTTP beside it), renews the lease, registers again whenever the gateway forgot
 * it, and deregisters on close; a manifest the gateway rejects fails with the gateway's reasons.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PluginRegistrationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration LEASE = Duration.ofSeconds(2);

    private RegistrationFrontDoor door;
    private ClockPlugin clock;
    private PluginRegistration registration;

    @BeforeEach
    void setUp() throws Exception {
        door = RegistrationFrontDoor.start();
        clock = ClockPlugin.start("127.0.0.1", 0);
        PluginManifest manifest = PluginManifest.builder("clock").version("1.0.0")
                .transport(TransportSpec.Http.of(clock.endpoint().toString()))
                .tools(List.copyOf(ClockPlugin.plugin().tools().values()))
                .build();
        registration = PluginRegistration.builder().gateway(door.base()).manifest(manifest).lease(LEASE)
                .heartbeatInterval(Duration.ofMillis(200)).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .build();
    }

    @AfterEach
    void tearDown() {
        Closing.all(registration, clock, door);
    }

    @Test
    void registersRoutableAtOnceRenewsItsLeaseAndDeregistersOnClose() throws Exception {
        assertTrue(registration.start().awaitRegistered(WAIT));
        String id = registration.instanceId();
        assertTrue(id.matches("clock-[0-9a-f]{8}"), id);
        PluginInstance registered = door.instance(id).orElseThrow();
        assertEquals(RegistrationSource.API, registered.source());
        assertEquals(LEASE, registered.lease());
        assertTrue(door.gateway().routingTable().routeByExposedName("clock__add").isRoutable(),
                "its tools are routable when the registration's answer arrives");
        // Calls need the gateway's connection to the plugin, made once the registration is in.
        Await.until("the gateway connected to the plugin", WAIT, () -> door.connected(id));
        assertEquals("5", door.gateway().callTool("clock__add", Json.object().put("a", 2).put("b", 3))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS).firstText());

        Instant firstExpiry = registered.leaseExpiresAt();
        Await.until("a heartbeat moved the lease's expiry forward", WAIT,
                () -> door.instance(id).orElseThrow().leaseExpiresAt().isAfter(firstExpiry));
        Await.until("the instance outlived its first lease", WAIT,
                () -> Instant.now().isAfter(firstExpiry.plusMillis(500)));
        assertTrue(door.instance(id).isPresent(), "still registered past its first lease");
        assertEquals(List.of(), door.events(LeaseExpired.class));
        assertEquals(1, door.events(InstanceRegistered.class).size(), "heartbeats renew; they do not re-register");

        registration.close();
        assertFalse(registration.isRegistered());
        assertTrue(door.instance(id).isEmpty(), "deregistered by the time close returns");
        door.awaitEvent(InstanceDeregistered.class, id, WAIT);
        assertEquals(List.of(), door.ids(LeaseExpired.class));
    }

    @Test
    void whenTheGatewayForgetsTheInstanceItRegistersAgainUnderTheSameId() throws Exception {
        assertTrue(registration.start().awaitRegistered(WAIT));
        String id = registration.instanceId();

        door.gateway().registry().deregister(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        Await.until("registered again after the next heartbeat's 404", WAIT, () -> door.instance(id).isPresent()
                && door.ids(InstanceRegistered.class).equals(List.of(id, id)) && registration.isRegistered());
    }

    @Test
    void whenTheGatewayRestartsOnTheSamePortItRegistersAgain() throws Exception {
        assertTrue(registration.start().awaitRegistered(WAIT));
        String id = registration.instanceId();

        door.restart();

        Await.until("registered with the new gateway", WAIT, () -> door.instance(id).isPresent());
        Await.until("the new gateway connected to the plugin", WAIT, () -> door.connected(id));
        assertEquals("7", door.gateway().callTool("clock__add", Json.object().put("a", 3).put("b", 4))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS).firstText());
    }

    @Test
    void aManifestTheGatewayRejectsFailsWithEveryBadFieldNamed() throws Exception {
        registration = PluginRegistration.builder().gateway(door.base())
                .document(Json.mapper().readTree("""
                        {"name": "clock", "transport": {"type": "http", "url": "ftp://x"}, "weight": 0}"""))
                .build().start();

        RegistrationRejectedException rejected = assertThrows(RegistrationRejectedException.class,
                () -> registration.awaitRegistered(WAIT));
        assertEquals(400, rejected.status());
        assertEquals(List.of("/transport/url", "/weight"),
                rejected.fieldErrors().stream().map(RegistrationRejectedException.FieldError::field).sorted().toList(),
                rejected.getMessage());
        assertTrue(rejected.getMessage().contains("rejected plugin 'clock' (400)"), rejected.getMessage());
        assertTrue(door.gateway().registry().instances().isEmpty());
    }
}
