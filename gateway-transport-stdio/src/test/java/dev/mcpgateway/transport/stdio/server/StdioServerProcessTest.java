package dev.mcpgateway.transport.stdio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.stdio.testserver.JavaMain;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import io.modelcontextprotocol.spec.McpSchema.InitializeResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway served over real stdin/stdout by {@link CalcGatewayMain} in a child JVM, as a desktop client
 * launches it: driven by the official MCP Java SDK client, and by a client that writes its requests, closes stdin
 * and reads everything back (which also shows that stdout carries protocol messages only).
 */
// A separate thread, so that a test stuck reading a pipe still times out; the processes are then destroyed.
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StdioServerProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(10);

    private final Set<Long> before = pids(ProcessHandle.current().descendants().toList());

    @AfterEach
    void noProcessOutlivesItsTest() {
        List<ProcessHandle> started = ProcessHandle.current().descendants()
                .filter(process -> !before.contains(process.pid())).toList();
        try {
            Await.until("every gateway process has exited: " + pids(started), EXIT_WITHIN,
                    () -> started.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void theOfficialSdkClientInitializesListsCallsAndReceivesProgress() {
        ServerParameters parameters = ServerParameters.builder(JavaMain.executable())
                .args(JavaMain.args(CalcGatewayMain.class))
                .build();
        StdioClientTransport transport = new StdioClientTransport(parameters, McpJsonDefaults.getMapper());
        List<String> stderr = new CopyOnWriteArrayList<>();
        transport.setStdErrorHandler(stderr::add);
        List<ProgressNotification> progress = new CopyOnWriteArrayList<>();
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(Implementation.builder("stdio-interop-test", "1.0.0").build())
                .requestTimeout(WAIT)
                .initializationTimeout(WAIT)
                .progressConsumer(progress::add)
                .build();
        try {
            InitializeResult initialized = client.initialize();
            assertEquals("mcp-gateway", initialized.serverInfo().name());
            assertNotNull(initialized.capabilities().tools(), "the gateway offers tools");
            assertNotNull(initialized.protocolVersion());

            List<Tool> tools = client.listTools().tools();
            assertEquals(Set.of("calc__add", "calc__count", "calc__wait"),
                    tools.stream().map(Tool::name).collect(Collectors.toSet()));
            Tool add = tools.stream().filter(tool -> tool.name().equals("calc__add")).findFirst().orElseThrow();
            assertEquals("Adds two numbers", add.description());
            assertEquals(Json.mapper().convertValue(CalcPlugin.ADD_SCHEMA, Map.class), add.inputSchema());

            CallToolResult sum = client.callTool(CallToolRequest.builder("calc__add")
                    .arguments(Map.of("a", 2, "b", 3.5))
                    .build());
            assertEquals("5.5", text(sum));
            assertNotEquals(Boolean.TRUE, sum.isError());

            CallToolResult counted = client.callTool(CallToolRequest.builder("calc__count")
                    .arguments(Map.of("steps", 3))
                    .progressToken("sdk-progress")
                    .build());
            assertEquals("counted 3", text(counted));
            Await.until("three progress notifications reached the client", WAIT, () -> progress.size() == 3);
            // The wire order is checked in StdioServerTest; the SDK may hand notifications over on several threads.
            for (ProgressNotification notification : progress) {
                assertEquals("sdk-progress", notification.progressToken());
                assertEquals(3.0, notification.total());
                assertEquals("step " + notification.progress().intValue(), notification.message());
            }
            assertEquals(Set.of(1.0, 2.0, 3.0),
                    progress.stream().map(ProgressNotification::progress).collect(Collectors.toSet()));
            assertTrue(stderr.contains(CalcGatewayMain.STRAY_PRINT), () -> "the stray print went to stderr: " + stderr);
        } finally {
            // The SDK stops the process with SIGTERM; @AfterEach checks that it is gone.
            assertTrue(client.closeGracefully(), "the SDK client closed");
        }
    }

    @Test
    void answersEverythingSentBeforeStdinEndsThenExits(@TempDir Path directory) throws Exception {
        Path stderr = directory.resolve("stderr.txt");
        List<String> command = new ArrayList<>();
        command.add(JavaMain.executable());
        command.addAll(JavaMain.args(CalcGatewayMain.class));
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();

        // Like `printf '…' | gateway`: everything at once, then the end of input.
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(String.join("\n",
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"pipe\",\"version\":\"1\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"calc__add\","
                            + "\"arguments\":{\"a\":40,\"b\":2}}}",
                    "").getBytes(StandardCharsets.UTF_8));
        }
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(EXIT_WITHIN.toMillis(), TimeUnit.MILLISECONDS), "the gateway exits once stdin ends");
        assertEquals(0, process.exitValue());
        List<JsonNode> messages = new ArrayList<>();
        for (String line : stdout.split("\n", -1)) {
            if (!line.isEmpty()) {
                // Every line decodes as one message: nothing else reached stdout.
                JsonRpcCodec.INSTANCE.decode(line);
                messages.add(Json.mapper().readTree(line));
            }
        }
        assertTrue(stdout.endsWith("\n"), "every message ends its line");
        assertEquals(List.of(1, 2, 3), messages.stream().map(message -> message.path("id").asInt()).toList(),
                stdout);
        assertEquals("mcp-gateway", messages.get(0).path("result").path("serverInfo").path("name").asText());
        assertEquals(3, messages.get(1).path("result").path("tools").size());
        assertEquals("42", messages.get(2).path("result").path("content").path(0).path("text").asText());
        String log = Files.readString(stderr);
        assertTrue(log.contains(CalcGatewayMain.STRAY_PRINT), log);
        assertTrue(log.contains(CalcGatewayMain.STOPPED), log);
        assertFalse(stdout.contains(CalcGatewayMain.STRAY_PRINT));
    }

    private static String text(CallToolResult result) {
        assertEquals(1, result.content().size(), result::toString);
        return ((TextContent) result.content().get(0)).text();
    }

    private static Set<Long> pids(List<ProcessHandle> processes) {
        return processes.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
