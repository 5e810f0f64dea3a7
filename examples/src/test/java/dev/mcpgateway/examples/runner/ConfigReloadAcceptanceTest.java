package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.examples.demo.FilesPlugin;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.testing.Await;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance: a runner started from a file serves a client whose session stays open and keeps calling a
 * tool while the file is edited to remove one plugin and add another. The new plugin's tools become callable, the
 * removed one's disappear, not one call fails, and the kept plugin's instance is the same one throughout.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConfigReloadAcceptanceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ClockPlugin clock;
    private GatewayRunner runner;

    @AfterEach
    void tearDown() {
        if (runner != null) {
            runner.close();
        }
        if (clock != null) {
            clock.close();
        }
    }

    @Test
    void anEditAddsAPluginAndRemovesAnotherWhileASessionKeepsCalling() throws Exception {
        clock = ClockPlugin.start("127.0.0.1", 0);
        Files.writeString(dir.resolve("hello.txt"), "one\ntwo\nthree\n");
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, yaml("files"));
        runner = GatewayRunner.start(config, Map.of(), new GatewayRunner.Options(false, WAIT, List.of()));
        assertTrue(runner.tools().contains("files__count_lines"), runner.tools().toString());
        String clockInstance = onlyInstance("clock").id();

        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
                        .builder("http://" + runner.endpoint().getAuthority()).endpoint(runner.endpoint().getPath()).build())
                .requestTimeout(WAIT).initializationTimeout(WAIT).build();
        AtomicBoolean calling = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Thread caller = Thread.ofPlatform().name("acceptance-caller").start(() -> {
            for (int i = 0; calling.get(); i++) {
                try {
                    McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder("clock__add")
                            .arguments(Map.of("a", i, "b", 1)).build());
                    String text = ((McpSchema.TextContent) result.content().getFirst()).text();
                    if (Boolean.TRUE.equals(result.isError()) || !text.equals(String.valueOf(i + 1))) {
                        failures.add("call " + i + ": " + text);
                    }
                } catch (RuntimeException e) {
                    failures.add("call " + i + ": " + e);
                }
                calls.incrementAndGet();
            }
        });
        try {
            client.initialize();
            Await.until("five calls made", WAIT, () -> calls.get() >= 5);

            // An editor's atomic save: the new text is written beside the file and renamed over it.
            Path saved = Files.writeString(dir.resolve(".gateway.yaml.swp"), yaml("docs"));
            Files.move(saved, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            Await.until("the edit applied", WAIT, () -> runner.tools().contains("docs__count_lines")
                    && runner.tools().stream().noneMatch(tool -> tool.startsWith("files__"))
                    && runner.plugins().stream().map(PluginStatus::name).toList().equals(List.of("clock", "docs")));
            int atReload = calls.get();
            List<String> seen = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            assertTrue(seen.contains("docs__count_lines") && seen.contains("clock__add"), seen.toString());
            assertTrue(seen.stream().noneMatch(tool -> tool.startsWith("files__")), seen.toString());
            McpSchema.CallToolResult lines = client.callTool(McpSchema.CallToolRequest.builder("docs__count_lines")
                    .arguments(Map.of("path", "hello.txt")).build());
            assertTrue(((McpSchema.TextContent) lines.content().getFirst()).text().contains("3"), lines.toString());
            RuntimeException gone = assertThrows(RuntimeException.class, () -> client.callTool(McpSchema.CallToolRequest
                    .builder("files__count_lines").arguments(Map.of("path", "hello.txt")).build()));
            assertTrue(gone.getMessage().contains("Unknown tool: files__count_lines"), gone.toString());
            Await.until("five more calls made", WAIT, () -> calls.get() >= atReload + 5);
        } finally {
            calling.set(false);
            caller.join(WAIT.toMillis());
            client.closeGracefully();
        }

        assertEquals(List.of(), List.copyOf(failures), "no call of the open session failed");
        assertTrue(calls.get() >= 10, calls.get() + " calls");
        assertEquals(clockInstance, onlyInstance("clock").id(), "the kept plugin was not restarted");
        assertFalse(runner.gateway().registry().instances().stream()
                .anyMatch(instance -> instance.pluginName().equals("files")), "the removed plugin is deregistered");
    }

    private PluginInstance onlyInstance(String plugin) {
        List<PluginInstance> instances = runner.gateway().registry().instances().stream()
                .filter(instance -> instance.pluginName().equals(plugin)).toList();
        assertEquals(1, instances.size(), instances.toString());
        return instances.getFirst();
    }

    /** The clock over HTTP and the files demo plugin over stdio under {@code filesName}, rooted in the temp dir. */
    private String yaml(String filesName) throws IOException {
        return """
                server: { host: 127.0.0.1, port: 0 }
                plugins:
                  - { name: clock, transport: http, url: "%s" }
                  - name: %s
                    transport: stdio
                    command: "%s"
                    args: [-cp, "%s", %s]
                    env: { ROOT: "%s" }
                """.formatted(clock.endpoint(), filesName, yamlText(javaBin()),
                yamlText(System.getProperty("java.class.path")), FilesPlugin.class.getName(), yamlText(dir.toString()));
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String yamlText(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
