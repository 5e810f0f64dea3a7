package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.transport.http.HttpTransport;
import dev.mcpgateway.transport.stdio.StdioTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One embedded gateway with both plugin transports installed, as a host application would set it up: a stdio
 * plugin it launches as a child process and an HTTP plugin (the official SDK's stateless server in Tomcat) it
 * reaches over loopback, both listed and called through the same {@link McpGateway}.
 */
@Timeout(30)
class McpGatewayBothTransportsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path tomcatDir;

    private final McpGateway gateway = McpGateway.builder()
            .config(GatewayConfig.builder().callTimeout(WAIT).build())
            .transport(new StdioTransport())
            .transport(new HttpTransport())
            .build();
    private StatelessSdkHttpPlugin httpPlugin;

    @BeforeEach
    void startHttpPlugin() throws Exception {
        httpPlugin = new StatelessSdkHttpPlugin(tomcatDir);
    }

    @AfterEach
    void tearDown() {
        gateway.close();
        httpPlugin.close();
    }

    private List<PluginInstance> addBoth() throws Exception {
        CompletableFuture<PluginInstance> stdio = gateway.addPlugin(JavaMains.stdioPlugin("local", TinyStdioServer.class));
        CompletableFuture<PluginInstance> http = gateway.addPlugin(httpPlugin.manifest("remote"));
        return List.of(stdio.get(WAIT.toSeconds(), TimeUnit.SECONDS), http.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    private CallToolResult call(String tool, String argument, String value) throws Exception {
        return gateway.callTool(tool, Json.object().put(argument, value)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void oneGatewayListsAndCallsAStdioPluginAndAnHttpPlugin() throws Exception {
        List<PluginInstance> instances = addBoth();

        assertEquals(List.of(InstanceStatus.UP, InstanceStatus.UP), instances.stream().map(PluginInstance::status).toList());
        assertEquals(List.of("stdio", "http"), instances.stream().map(i -> i.manifest().transport().type()).toList());
        assertEquals(List.of("local__count", "local__greet", "remote__shout"),
                gateway.listTools().stream().map(ExposedTool::exposedName).toList());
        assertEquals("Greets someone by name", gateway.routingTable().routeByExposedName("local__greet").tool()
                .toJson().path("description").asText());

        CallToolResult greeting = call("local__greet", "name", "Ada");
        CallToolResult shout = call("remote__shout", "text", "over http");

        assertEquals("Hello, Ada!", greeting.firstText());
        assertFalse(greeting.isError());
        assertEquals("OVER HTTP", shout.firstText());
        assertFalse(shout.isError());
    }

    @Test
    void callsToBothPluginsRunSideBySideAndClosingTheGatewayStopsTheStdioProcess() throws Exception {
        // Only the gateway starts processes in this JVM; the command line is too long to be read back whole.
        List<ProcessHandle> before = ProcessHandle.current().children().toList();
        addBoth();
        List<ProcessHandle> plugins = ProcessHandle.current().children().filter(p -> !before.contains(p)).toList();
        assertEquals(1, plugins.size(), "the gateway launched the stdio plugin once: " + plugins);

        List<CompletableFuture<CallToolResult>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(gateway.callTool("local__greet", Json.object().put("name", "n" + i)));
            calls.add(gateway.callTool("remote__shout", Json.object().put("text", "t" + i)));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals("Hello, n" + i + "!", calls.get(2 * i).get(WAIT.toSeconds(), TimeUnit.SECONDS).firstText());
            assertEquals("T" + i, calls.get(2 * i + 1).get(WAIT.toSeconds(), TimeUnit.SECONDS).firstText());
        }

        gateway.close();

        ProcessHandle plugin = plugins.getFirst();
        plugin.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertFalse(plugin.isAlive(), "closing the gateway ends its stdio plugins");
        assertTrue(gateway.callTool("remote__shout", Json.object().put("text", "late")).isCompletedExceptionally(),
                "a closed gateway takes no calls");
    }
}
