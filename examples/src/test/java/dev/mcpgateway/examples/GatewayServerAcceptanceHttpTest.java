package dev.mcpgateway.examples;

import static dev.mcpgateway.examples.SdkClients.callText;
import static dev.mcpgateway.examples.SdkClients.toolNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.http.HttpTransport;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import dev.mcpgateway.transport.stdio.StdioTransport;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
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
 * Acceptance of "the gateway as an MCP server" over Streamable HTTP: one gateway aggregating a stdio plugin (a child
 * process) and an HTTP plugin (the official SDK's server in Tomcat), served by {@link McpHttpServer} on an ephemeral
 * loopback port, and used by the official MCP Java SDK client as any MCP server would be: it lists both plugins'
 * tools, calls them, receives progress, hears of tools added at runtime, and keeps working when a plugin dies.
 */
// A separate thread, so that a test stuck on a socket still times out; @AfterEach then stops everything.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GatewayServerAcceptanceHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final List<String> BOTH_PLUGINS = List.of("local__count", "local__greet", "remote__shout");

    @TempDir
    Path tomcatDir;

    private final ChildProcesses processes = new ChildProcesses();
    private final BlockingQueue<List<String>> toolLists = new LinkedBlockingQueue<>();
    private final List<ProgressNotification> progress = new CopyOnWriteArrayList<>();
    private StatelessSdkHttpPlugin httpPlugin;
    private McpGateway gateway;
    private McpServer server;
    private McpHttpServer door;
    private McpSyncClient client;
    private PluginInstance local;

    @BeforeEach
    void setUp() throws Exception {
        httpPlugin = new StatelessSdkHttpPlugin(tomcatDir);
        gateway = McpGateway.builder()
                .config(GatewayConfig.builder().callTimeout(WAIT).build())
                .transport(new StdioTransport())
                .transport(new HttpTransport())
                .build();
        local = gateway.addPlugin(JavaMains.stdioPlugin("local", TinyStdioServer.class)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        gateway.addPlugin(httpPlugin.manifest("remote")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        server = McpServer.create(gateway);
        door = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(0).build());
        client = McpClient.sync(SdkClients.streamableHttp(door.endpoint()))
                .clientInfo(McpSchema.Implementation.builder("acceptance-http", "1.0.0").build())
                .requestTimeout(WAIT)
                .initializationTimeout(WAIT)
                .toolsChangeConsumer(tools -> toolLists.add(SdkClients.names(tools)))
                .progressConsumer(progress::add)
                .build();
    }

    @AfterEach
    void tearDown() {
        try {
            Closing.all(client == null ? null : (AutoCloseable) client::closeGracefully, door, server, gateway,
                    httpPlugin);
        } finally {
            processes.assertAllExitWithin(WAIT);
        }
    }

    @Test
    void theSdkClientUsesBothPluginsThroughOneEndpointAndHearsOfToolsAddedAtRuntime() throws Exception {
        McpSchema.InitializeResult initialized = client.initialize();
        assertEquals("mcp-gateway", initialized.serverInfo().name());
        assertTrue(initialized.capabilities().tools().listChanged(), "the gateway announces list changes");
        assertEquals("127.0.0.1", door.address().getAddress().getHostAddress(), "the endpoint is loopback only");

        List<McpSchema.Tool> tools = client.listTools().tools();
        assertEquals(BOTH_PLUGINS, SdkClients.names(tools));
        assertEquals("Greets someone by name", tools.get(1).description());
        assertEquals("Answers its text in upper case", tools.get(2).description());
        assertEquals(List.of("text"), tools.get(2).inputSchema().get("required"));

        assertEquals("Hello, Ada!", callText(client, "local__greet", Map.of("name", "Ada")));
        assertEquals("OVER HTTP", callText(client, "remote__shout", Map.of("text", "over http")));

        McpSchema.CallToolResult counted = client.callTool(McpSchema.CallToolRequest.builder("local__count")
                .arguments(Map.of("steps", 3)).progressToken("acceptance-progress").build());
        assertEquals("counted 3", SdkClients.text(counted));
        Await.until("three progress notifications reached the client", WAIT, () -> progress.size() == 3);
        for (ProgressNotification notification : progress) {
            // The client's own token, whatever the gateway used toward the plugin.
            assertEquals("acceptance-progress", notification.progressToken());
            assertEquals(3.0, notification.total());
            assertEquals("step " + notification.progress().intValue(), notification.message());
        }
        assertEquals(Set.of(1.0, 2.0, 3.0),
                progress.stream().map(ProgressNotification::progress).collect(Collectors.toSet()));

        gateway.registerInProcess(InProcessPlugin.builder("late")
                .tool("echo", "Registered while the client was connected",
                        (args, ctx) -> CallToolResult.text("echo: " + args.path("text").asText()))
                .build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        List<String> withLate = List.of("late__echo", "local__count", "local__greet", "remote__shout");
        assertEquals(withLate, toolLists.poll(WAIT.toSeconds(), TimeUnit.SECONDS),
                "the client heard tools/list_changed and listed again");
        assertEquals(withLate, toolNames(client));
        assertEquals("echo: hi", callText(client, "late__echo", Map.of("text", "hi")));
        assertEquals("Hello, Bo!", callText(client, "local__greet", Map.of("name", "Bo")));
    }

    @Test
    void whenTheStdioPluginIsKilledTheOtherPluginKeepsServingAndTheGatewayRestartsIt() throws Exception {
        client.initialize();
        assertEquals(BOTH_PLUGINS, toolNames(client));
        List<ProcessHandle> running = processes.started();
        assertEquals(1, running.size(), "the gateway runs the stdio plugin as one child process: " + running);
        ProcessHandle killed = running.getFirst();

        killed.destroyForcibly();
        killed.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // Whatever the gateway knows of the crash yet, the HTTP plugin is listed and answers.
        assertTrue(toolNames(client).contains("remote__shout"));
        assertEquals("STILL HERE", callText(client, "remote__shout", Map.of("text", "still here")));

        // A blip: its tools stay listed (the grace period), and once the gateway restarted it they answer again.
        Await.until("the restarted stdio plugin answers", WAIT, () -> {
            assertEquals(BOTH_PLUGINS, toolNames(client), "the tools of a plugin that is down stay listed");
            try {
                return !Boolean.TRUE.equals(client.callTool(McpSchema.CallToolRequest.builder("local__greet")
                        .arguments(Map.of("name", "again")).build()).isError());
            } catch (McpError unavailable) {
                assertTrue(unavailable.getMessage().contains("local"), "the error names the plugin: " + unavailable);
                return false; // fails fast while the plugin restarts
            }
        });
        assertEquals("Hello, again!", callText(client, "local__greet", Map.of("name", "again")));
        assertEquals("SHOUT", callText(client, "remote__shout", Map.of("text", "shout")));
        assertTrue(toolLists.isEmpty(), "the tools never left the list, so the client was told of no change: " + toolLists);
        List<ProcessHandle> now = processes.started();
        assertEquals(1, now.size(), "exactly one stdio plugin process runs, a new one: " + now);
        assertNotEquals(killed.pid(), now.getFirst().pid());
    }

    @Test
    void deregisteringTheStdioPluginTellsTheClientStopsItsProcessAndLeavesTheOtherPluginServing() throws Exception {
        client.initialize();
        assertEquals(BOTH_PLUGINS, toolNames(client));
        List<ProcessHandle> running = processes.started();
        assertEquals(1, running.size(), "the gateway runs the stdio plugin as one child process: " + running);

        gateway.registry().deregister(local.id()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertEquals(List.of("remote__shout"), toolLists.poll(WAIT.toSeconds(), TimeUnit.SECONDS),
                "the client heard tools/list_changed and listed again");
        running.getFirst().onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("STILL HERE", callText(client, "remote__shout", Map.of("text", "still here")));
        McpError gone = assertThrows(McpError.class, () -> client.callTool(
                McpSchema.CallToolRequest.builder("local__greet").arguments(Map.of("name", "nobody")).build()));
        assertTrue(gone.getMessage().contains("local__greet"), gone.getMessage());
    }
}
