package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.SessionOptions;
import dev.mcpgateway.transport.http.HttpTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two gateways in a row: the edge gateway reaches the inner one's endpoint through its own Streamable HTTP client
 * transport, as it would any HTTP plugin, so both halves of this module talk to each other, in either era.
 */
@Timeout(30)
class GatewayChainTest {
    private McpGateway inner;
    private McpServer innerServer;
    private McpHttpServer door;
    private McpGateway edge;

    @BeforeEach
    void setUp() throws Exception {
        inner = McpGateway.builder().build();
        inner.registerInProcess(InProcessPlugin.builder("calc").tool("add", "Adds a and b", (args, ctx) ->
                CallToolResult.text(Integer.toString(args.path("a").asInt() + args.path("b").asInt()))).build()).join();
        innerServer = McpServer.create(inner);
        door = McpHttpServer.start(innerServer, HttpFrontDoorOptions.builder().port(0).build());
    }

    /** Starts the edge gateway and adds the inner one as its plugin; returns the exposed name of calc__add. */
    private String connectEdge(boolean probeModern) throws Exception {
        edge = McpGateway.builder().config(GatewayConfig.builder().callTimeout(Duration.ofSeconds(10))
                        .sessionOptions(SessionOptions.defaults().withProbeModern(probeModern)).build())
                .transport(new HttpTransport()).build();
        edge.addPlugin(PluginManifest.builder("inner").version("1.0.0")
                .transport(new TransportSpec.Http(door.endpoint(), Map.of())).build())
                .get(10, TimeUnit.SECONDS);
        List<String> names = edge.listTools().stream().map(ExposedTool::exposedName).toList();
        assertEquals(1, names.size(), names.toString());
        assertTrue(names.getFirst().endsWith("calc__add"), names.toString());
        return names.getFirst();
    }

    @AfterEach
    void tearDown() {
        try {
            if (edge != null) {
                edge.close();
            }
        } finally {
            door.close();
            innerServer.close();
            inner.close();
        }
    }

    @Test
    void aModernEdgeCallsToolsOfTheInnerGatewayStatelessly() throws Exception {
        String add = connectEdge(true);

        CallToolResult sum = edge.callTool(add, Json.object().put("a", 19).put("b", 23)).get(10, TimeUnit.SECONDS);
        assertEquals("42", sum.firstText());

        // Stateless hops announce list changes only on a subscriptions/listen stream, which the edge opened.
        inner.registerInProcess(InProcessPlugin.builder("late")
                .tool("echo", "Registered at runtime", (args, ctx) -> CallToolResult.text("echo")).build()).join();
        Await.until("the edge gateway lists the inner gateway's new tool", Duration.ofSeconds(10),
                () -> edge.listTools().stream().anyMatch(tool -> tool.exposedName().endsWith("late__echo")));
    }

    @Test
    void aLegacyEdgeHearsOfTheInnerGatewaysNewToolsOverTheGetStream() throws Exception {
        String add = connectEdge(false);

        CallToolResult sum = edge.callTool(add, Json.object().put("a", 1).put("b", 2)).get(10, TimeUnit.SECONDS);
        assertEquals("3", sum.firstText());

        inner.registerInProcess(InProcessPlugin.builder("late")
                .tool("echo", "Registered at runtime", (args, ctx) -> CallToolResult.text("echo")).build()).join();
        Await.until("the edge gateway lists the inner gateway's new tool", Duration.ofSeconds(10),
                () -> edge.listTools().stream().anyMatch(tool -> tool.exposedName().endsWith("late__echo")));
    }
}
