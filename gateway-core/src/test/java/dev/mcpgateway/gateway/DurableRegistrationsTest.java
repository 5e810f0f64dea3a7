package dev.mcpgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Gateways;
import dev.mcpgateway.testing.MemoryRegistryStore;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A gateway built on a registry store serves the instances registered over the API before an earlier gateway closed,
 * from the moment {@code build()} returns, with their leases as they were; one that cannot read the store does not
 * start.
 */
class DurableRegistrationsTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private final FakeClock clock = new FakeClock();
    private final MemoryRegistryStore store = new MemoryRegistryStore();
    @AutoClose
    private final Gateways gateways = new Gateways();

    private McpGateway gateway() {
        McpGateway gateway = McpGateway.builder().clock(clock).registryStore(store)
                .transport(new ScriptedTransport(instance -> ScriptedServer.listing("echo"))).build();
        gateways.add(gateway);
        return gateway;
    }

    private static Registration api(String id, String plugin) {
        PluginManifest manifest = PluginManifest.builder(plugin).transport(TransportSpec.Stdio.of(plugin))
                .tool(Tool.builder("echo").build()).label("region", "eu").build();
        return Registration.of(id, manifest).withLease(LEASE).withSource(RegistrationSource.API);
    }

    @Test
    void aRestartedGatewayServesTheApiInstancesWithTheirLeasesBeforeBuildReturns() {
        McpGateway first = gateway();
        assertFalse(store.isClosed());
        first.register(api("files-1", "files")).join();
        first.register(api("notes-1", "notes")).join();
        clock.advance(Duration.ofSeconds(20));
        PluginInstance renewed = first.registry().renew("files-1").join();
        first.registry().register(Registration.of("host-1", api("x", "hosted").manifest())).join();
        first.close();
        assertTrue(store.isClosed(), "the gateway closes its store");

        McpGateway second = gateway();
        assertEquals(List.of("files-1", "notes-1"),
                second.registry().instances().stream().map(PluginInstance::id).toList(), "host instances are not kept");
        PluginInstance files = second.registry().instance("files-1").orElseThrow();
        assertEquals(renewed.leaseExpiresAt(), files.leaseExpiresAt());
        assertEquals(RegistrationSource.API, files.source());
        assertEquals(api("files-1", "files").manifest().transport(), files.manifest().transport());
        assertEquals(api("files-1", "files").manifest().labels(), files.manifest().labels());
        assertEquals(List.of("files__echo", "notes__echo"),
                second.listTools().stream().map(ExposedTool::exposedName).toList());

        // notes-1 was not renewed: its lease lapsed at 30 s, files-1's runs to 50 s.
        clock.advance(Duration.ofSeconds(15));
        assertEquals(List.of("notes-1"),
                second.registry().evictExpired().join().stream().map(PluginInstance::id).toList());
        assertEquals(List.of("files-1"), List.copyOf(store.kept().keySet()));
    }

    @Test
    void aStoreThatCannotBeReadAtStartFailsTheBuildAndStaysOpen() {
        gateway().register(api("files-1", "files")).join();
        store.down(true);
        IllegalStateException failed = assertThrows(IllegalStateException.class, this::gateway);
        assertTrue(failed.getMessage().contains("could not be read at start"), failed.getMessage());
        assertFalse(store.isClosed(), "a gateway that did not start leaves the store to its caller");

        store.down(false);
        McpGateway recovered = gateway();
        assertTrue(recovered.registry().instance("files-1").isPresent());
    }

    @Test
    void aKeptInstanceThisGatewayCannotServeFailsTheBuildNamingIt() {
        gateway().register(api("files-1", "files")).join();
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> McpGateway.builder().clock(clock).registryStore(store).build());
        assertTrue(failed.getMessage().contains("'files-1'") && failed.getMessage().contains("'stdio'"),
                failed.getMessage());
        store.put(new RegistryStore.Stored("broken-1", "broken", null, "{\"format\":9}"));
        store.remove("files-1");
        IllegalStateException unreadable = assertThrows(IllegalStateException.class, this::gateway);
        assertTrue(unreadable.getMessage().contains("'broken-1'") && unreadable.getMessage().contains("format 9"),
                unreadable.getMessage());
        assertFalse(unreadable.getMessage().contains("{"), "the kept text is not quoted");
    }
}
