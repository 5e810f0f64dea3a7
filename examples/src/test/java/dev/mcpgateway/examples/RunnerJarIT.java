package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.testing.Await;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's first run, for real: the executable jar the build produced is started as a process with no
 * configuration, the official MCP Java SDK client calls a tool of each demo plugin through it, and Ctrl-C (SIGTERM
 * here) stops it with its plugin processes. Runs after {@code package}, in {@code verify}.
 */
class RunnerJarIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<ProcessHandle> started = new ArrayList<>();

    @TempDir
    Path workDir;

    @AfterEach
    void killLeftovers() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void theJarServesTheDemoPluginsAndStopsCleanly() throws Exception {
        Path jar = Path.of(System.getProperty("gateway.jar", "target/mcp-gateway.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "the build did not produce " + jar);
        Files.writeString(workDir.resolve("hello.txt"), "hi\n");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()).directory(workDir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("GATEWAY_PORT", String.valueOf(port));
        Process gateway = builder.start();
        started.add(gateway.toHandle());

        URI endpoint = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && endpoint == null; line = out.readLine()) {
                if (line.contains("MCP endpoint: ")) {
                    endpoint = URI.create(line.substring(line.indexOf("MCP endpoint: ") + 14).trim());
                }
            }
            assertEquals(URI.create("http://127.0.0.1:" + port + "/mcp"), endpoint, "the banner names the endpoint");
            List<ProcessHandle> plugins = gateway.descendants().toList();
            started.addAll(plugins);

            McpSyncClient client = McpClient.sync(SdkClients.streamableHttp(endpoint)).requestTimeout(WAIT).build();
            try {
                client.initialize();
                List<String> tools = SdkClients.toolNames(client);
                assertTrue(tools.containsAll(List.of("clock__add", "files__list_files")), tools::toString);
                CallToolResult sum = client.callTool(CallToolRequest.builder("clock__add")
                        .arguments(Map.of("a", 2, "b", 3)).build());
                assertEquals("5", SdkClients.text(sum));
                CallToolResult listing = client.callTool(CallToolRequest.builder("files__list_files")
                        .arguments(Map.of()).build());
                assertTrue(SdkClients.text(listing).contains("hello.txt"), SdkClients.text(listing));
            } finally {
                client.closeGracefully();
            }

            gateway.toHandle().destroy(); // what Ctrl-C does
            Await.until("the gateway stopped", WAIT, () -> !gateway.isAlive());
            Await.until("its plugin processes stopped", WAIT, () -> plugins.stream().noneMatch(ProcessHandle::isAlive));
            assertFalse(gateway.isAlive());
        }
    }
}
