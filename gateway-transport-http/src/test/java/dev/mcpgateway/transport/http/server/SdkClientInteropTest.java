package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.McpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official MCP Java SDK's Streamable HTTP client, which shares no code with the gateway, against the gateway's
 * endpoint on the JDK server: handshake, listing, calls with progress, and list changes over the GET stream.
 */
@Timeout(30)
class SdkClientInteropTest {
    private final BlockingQueue<List<String>> toolLists = new LinkedBlockingQueue<>();
    private final BlockingQueue<McpSchema.ProgressNotification> progress = new LinkedBlockingQueue<>();
    private McpGateway gateway;
    private McpServer server;
    private McpHttpServer door;
    private McpSyncClient client;

    @BeforeEach
    void setUp() throws Exception {
        gateway = McpGateway.builder().build();
        gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds a and b", (args, ctx) ->
                        CallToolResult.text(Integer.toString(args.path("a").asInt() + args.path("b").asInt())))
                .tool("steps", "Reports progress", (args, ctx) -> {
                    ctx.progress(1, 2.0, "first");
                    ctx.progress(2, 2.0, "second");
                    return CallToolResult.text("done");
                })
                .build()).join();
        server = McpServer.create(gateway);
        door = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(0).build());
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + door.address().getPort()).endpoint("/mcp").build();
        client = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(10))
                .toolsChangeConsumer(tools -> toolLists.add(tools.stream().map(McpSchema.Tool::name).toList()))
                .progressConsumer(progress::add)
                .build();
    }

    @AfterEach
    void tearDown() {
        try {
            client.closeGracefully();
        } finally {
            door.close();
            server.close();
            gateway.close();
        }
    }

    @Test
    void theSdkClientTalksToTheGateway() throws Exception {
        McpSchema.InitializeResult init = client.initialize();
        assertEquals("mcp-gateway", init.serverInfo().name());
        assertTrue(init.capabilities().tools().listChanged());

        List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        assertEquals(List.of("calc__add", "calc__steps"), names);

        McpSchema.CallToolResult sum = client.callTool(McpSchema.CallToolRequest.builder("calc__add")
                .arguments(Map.of("a", 2, "b", 3)).build());
        assertFalse(Boolean.TRUE.equals(sum.isError()));
        assertEquals("5", ((McpSchema.TextContent) sum.content().getFirst()).text());

        McpSchema.CallToolResult steps = client.callTool(McpSchema.CallToolRequest.builder("calc__steps")
                .arguments(Map.of()).progressToken("sdk-1").build());
        assertEquals("done", ((McpSchema.TextContent) steps.content().getFirst()).text());
        // The gateway writes them in order on the call's event stream; the SDK hands each to the consumer on its own
        // scheduler, so under load they may arrive swapped here (seen once on a busy machine).
        List<McpSchema.ProgressNotification> both = new ArrayList<>(List.of(
                progress.poll(10, TimeUnit.SECONDS), progress.poll(10, TimeUnit.SECONDS)));
        both.sort(Comparator.comparingDouble(McpSchema.ProgressNotification::progress));
        McpSchema.ProgressNotification first = both.get(0);
        McpSchema.ProgressNotification second = both.get(1);
        assertEquals("sdk-1", String.valueOf(first.progressToken()));
        assertEquals("sdk-1", String.valueOf(second.progressToken()));
        assertEquals(1.0, first.progress());
        assertEquals("first", first.message());
        assertEquals(2.0, second.progress());
        assertEquals("second", second.message());
    }

    @Test
    void theSdkClientHearsOfNewToolsOverItsGetStream() throws Exception {
        client.initialize();
        client.listTools();

        gateway.registerInProcess(InProcessPlugin.builder("late")
                .tool("echo", "Registered at runtime", (args, ctx) -> CallToolResult.text("echo")).build()).join();

        List<String> names = toolLists.poll(10, TimeUnit.SECONDS);
        assertEquals(List.of("calc__add", "calc__steps", "late__echo"), names);
    }
}
