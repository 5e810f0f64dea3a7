package dev.mcpgateway.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.persistence.testing.TestPostgres;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two gateways on one PostgreSQL schema: what one registers, the other routes to after its next reconciliation. */
class SharedSchemaTest {
    private static final Duration NEVER = Duration.ofHours(1); // the test runs the passes itself

    private final TestPostgres.Schema schema = TestPostgres.newSchema();
    private final McpGateway a = gateway();
    private final McpGateway b = gateway();

    @AfterEach
    void close() {
        a.close();
        b.close();
        schema.close();
    }

    private McpGateway gateway() {
        return McpGateway.builder().config(GatewayConfig.builder().storeReconcileInterval(NEVER).build())
                .registryStore(PostgresRegistryStore.open(schema.options().build()))
                .transport(new ScriptedTransport(instance -> new ScriptedServer(ScriptedServer.Era.LEGACY)
                        .handle("tools/list", (server, request) -> {
                            ObjectNode result = Json.object();
                            result.putArray("tools").add(ScriptedServer.tool("echo"));
                            return JsonRpcResponse.success(request.id(), result);
                        })))
                .build();
    }

    @Test
    void anInstanceRegisteredOnOneGatewayIsRoutedOnTheOtherAfterItsNextPass() {
        PluginManifest manifest = PluginManifest.builder("files").transport(TransportSpec.Stdio.of("files"))
                .tool(Tool.builder("echo").build()).build();
        long start = System.nanoTime();
        a.register(Registration.of("files-1", manifest).withLease(Duration.ofSeconds(60))
                .withSource(RegistrationSource.API)).join();
        b.reconcileStore().join();
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        System.out.println("Registered on gateway A, routable on gateway B after one reconciliation: " + millis
                + " ms (register + one load from PostgreSQL; the schedule adds up to storeReconcileInterval)");

        assertEquals(List.of("files-1"), b.registry().findByTool(new ToolKey("files", "echo")).stream()
                .map(PluginInstance::id).toList());
        assertEquals(List.of("files__echo"), b.listTools().stream().map(ExposedTool::exposedName).toList());

        a.registry().deregister("files-1").join();
        b.reconcileStore().join();
        assertFalse(b.registry().instance("files-1").isPresent());
    }
}
