package dev.mcpgateway.examples;

import static dev.mcpgateway.examples.SdkClients.callText;
import static dev.mcpgateway.examples.SdkClients.toolNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.testing.Await;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance of "the gateway as an MCP server" over stdio: the official MCP Java SDK client launches
 * {@link StdioGatewayMain} as a desktop client would, and through it uses a stdio plugin (the gateway's own child
 * process) and an HTTP plugin (the SDK's server in Tomcat, in this JVM): listing, calling, progress, and a tool
 * list that changes while the client is connected.
 */
// A separate thread, so that a test stuck reading a pipe still times out; @AfterEach then stops everything.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GatewayServerAcceptanceStdioTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tomcatDir;

    private final ChildProcesses processes = new ChildProcesses();
    private final BlockingQueue<List<String>> toolLists = new LinkedBlockingQueue<>();
    private final List<ProgressNotification> progress = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private StatelessSdkHttpPlugin httpPlugin;
    private McpSyncClient client;

    @BeforeEach
    void setUp() throws Exception {
        httpPlugin = new StatelessSdkHttpPlugin(tomcatDir);
        List<String> command = StdioGatewayMain.command(httpPlugin.uri());
        StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(command.getFirst())
                .args(command.subList(1, command.size())).build(), McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(stderr::add);
        client = McpClient.sync(transport)
                .clientInfo(McpSchema.Implementation.builder("acceptance-stdio", "1.0.0").build())
                .requestTimeout(WAIT)
                .initializationTimeout(WAIT)
                .toolsChangeConsumer(tools -> toolLists.add(SdkClients.names(tools)))
                .progressConsumer(progress::add)
                .build();
    }

    @AfterEach
    void tearDown() {
        try {
            // The SDK closes the gateway's stdin, then stops the process; the gateway stops its own plugin.
            Closing.all(client == null ? null : (AutoCloseable) client::closeGracefully, httpPlugin);
        } finally {
            processes.assertAllExitWithin(WAIT);
        }
    }

    @Test
    void theSdkClientLaunchesTheGatewayAndUsesBothPluginsThroughIt() throws Exception {
        McpSchema.InitializeResult initialized = client.initialize();
        assertEquals("mcp-gateway", initialized.serverInfo().name());
        assertTrue(initialized.capabilities().tools().listChanged(), "the gateway announces list changes");
        List<ProcessHandle> running = processes.started();
        assertEquals(2, running.size(), "the gateway and its stdio plugin run: " + running);

        assertEquals(List.of("admin__add_plugin", "local__count", "local__greet", "remote__shout"), toolNames(client));
        assertEquals("Hello, Ada!", callText(client, "local__greet", Map.of("name", "Ada")));
        assertEquals("OVER STDIO", callText(client, "remote__shout", Map.of("text", "over stdio")));

        McpSchema.CallToolResult counted = client.callTool(McpSchema.CallToolRequest.builder("local__count")
                .arguments(Map.of("steps", 4)).progressToken("stdio-progress").build());
        assertEquals("counted 4", SdkClients.text(counted));
        Await.until("four progress notifications reached the client", WAIT, () -> progress.size() == 4);
        for (ProgressNotification notification : progress) {
            assertEquals("stdio-progress", notification.progressToken());
            assertEquals(4.0, notification.total());
            assertEquals("step " + notification.progress().intValue(), notification.message());
        }
        assertEquals(Set.of(1.0, 2.0, 3.0, 4.0),
                progress.stream().map(ProgressNotification::progress).collect(Collectors.toSet()));

        assertEquals("added late", callText(client, "admin__add_plugin", Map.of()));
        List<String> withLate = List.of("admin__add_plugin", "late__echo", "local__count", "local__greet",
                "remote__shout");
        assertEquals(withLate, toolLists.poll(WAIT.toSeconds(), TimeUnit.SECONDS),
                "the client heard tools/list_changed on stdout and listed again");
        assertEquals("echo: late", callText(client, "late__echo", Map.of("text", "late")));
        assertEquals("LAST", callText(client, "remote__shout", Map.of("text", "last")));

        // Every log line went to stderr: the SDK parsed stdout as protocol messages throughout.
        Await.until("the gateway logged that it serves, on stderr", WAIT,
                () -> stderr.stream().anyMatch(line -> line.contains(StdioGatewayMain.SERVING)));
    }
}
