package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.AccessPolicy;
import dev.mcpgateway.auth.AccessPolicy.Who;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.server.VirtualServer;
import dev.mcpgateway.testing.NodePeer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-tool authorization and virtual servers end to end, with official SDK clients nobody here wrote (the Java SDK
 * and the TypeScript SDK v1 and v2): a client with a narrow token sees only its tools, a call to another is answered
 * as for a tool that does not exist, a virtual server's endpoint shows its curated subset, and the management API's
 * invoke holds a token to the same policy.
 */
@Timeout(120)
class AccessControlInteropTest {
    private static final AccessPolicy POLICY = AccessPolicy.builder()
            .allow("*", Who.grantedByScopes("tools:"))
            .build();
    private SecuredDoor secured;

    @BeforeEach
    void setUp() throws Exception {
        McpGateway gateway = McpGateway.builder().build();
        for (String plugin : List.of("github", "billing")) {
            gateway.registerInProcess(InProcessPlugin.builder(plugin)
                    .tool("status", plugin + " status", (args, ctx) -> CallToolResult.text(plugin + " ok"))
                    .tool("reset", plugin + " reset", (args, ctx) -> CallToolResult.text(plugin + " reset"))
                    .build()).join();
        }
        secured = new SecuredDoor(gateway, ServerOptions.defaults().withAccessPolicy(POLICY)
                .withVirtualServers(List.of(VirtualServer.builder("ops").include("*/status")
                        .override("billing/status", new VirtualServer.ToolOverride("billing", null,
                                "Is billing up?")).build())), options -> options);
    }

    @AfterEach
    void tearDown() {
        secured.close();
    }

    private String token(String scope) {
        return secured.token(scope);
    }

    private URI endpoint(String path) {
        return secured.uri(path);
    }

    private McpSyncClient javaClient(String path, String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + secured.door.address().getPort()).endpoint(path)
                .httpRequestCustomizer((request, method, uri, body, context) ->
                        request.header("Authorization", "Bearer " + token)).build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build();
    }

    private static List<String> names(McpSchema.ListToolsResult tools) {
        return tools.tools().stream().map(McpSchema.Tool::name).sorted().toList();
    }

    @Test
    void theJavaSdkWithANarrowTokenSeesAndCallsOnlyItsTools() {
        McpSyncClient narrow = javaClient("/mcp", token("tools:github/*"));
        McpSyncClient wide = javaClient("/mcp", token("tools:*"));
        try {
            narrow.initialize();
            assertEquals(List.of("github__reset", "github__status"), names(narrow.listTools()));
            McpSchema.CallToolResult ok = narrow.callTool(McpSchema.CallToolRequest.builder().name("github__status")
                    .arguments(Map.of()).build());
            assertEquals("github ok", ((McpSchema.TextContent) ok.content().getFirst()).text());
            McpError forbidden = assertThrows(McpError.class, () -> narrow.callTool(McpSchema.CallToolRequest
                    .builder().name("billing__reset").arguments(Map.of()).build()));
            McpError unknown = assertThrows(McpError.class, () -> narrow.callTool(McpSchema.CallToolRequest
                    .builder().name("nothing__here").arguments(Map.of()).build()));
            assertEquals(unknown.getJsonRpcError().code(), forbidden.getJsonRpcError().code());
            assertEquals(unknown.getMessage().replace("nothing__here", "X"),
                    forbidden.getMessage().replace("billing__reset", "X"), "nothing tells the tool is there");

            wide.initialize();
            assertEquals(List.of("billing__reset", "billing__status", "github__reset", "github__status"),
                    names(wide.listTools()));
        } finally {
            narrow.closeGracefully();
            wide.closeGracefully();
        }
    }

    @Test
    void aVirtualServersEndpointShowsItsSubsetToTheJavaSdk() {
        McpSyncClient ops = javaClient("/mcp/ops", token("tools:*"));
        try {
            ops.initialize();
            McpSchema.ListToolsResult tools = ops.listTools();
            assertEquals(List.of("billing", "github__status"), names(tools));
            assertEquals("Is billing up?", tools.tools().stream().filter(t -> t.name().equals("billing"))
                    .findFirst().orElseThrow().description());
            McpSchema.CallToolResult billing = ops.callTool(McpSchema.CallToolRequest.builder().name("billing")
                    .arguments(Map.of()).build());
            assertEquals("billing ok", ((McpSchema.TextContent) billing.content().getFirst()).text());
            assertThrows(McpError.class, () -> ops.callTool(McpSchema.CallToolRequest.builder()
                    .name("github__reset").arguments(Map.of()).build()), "not in the virtual server");
        } finally {
            ops.closeGracefully();
        }
    }

    private static List<String> toolNames(JsonNode listed) {
        List<String> names = new ArrayList<>();
        listed.path("tools").forEach(tool -> names.add(tool.path("name").asText()));
        return names.stream().sorted().toList();
    }

    @Test
    void theTypeScriptSdksOfBothErasSeeOnlyWhatTheirTokenAllows() {
        for (boolean modern : List.of(false, true)) {
            URI mcp = endpoint("/mcp");
            try (NodePeer client = modern ? NodePeer.v2Client(mcp) : NodePeer.v1Client(mcp)) {
                ObjectNode connect = NodePeer.op("connect").put("url", mcp.toString());
                connect.putObject("headers").put("Authorization", "Bearer " + token("tools:billing/status"));
                client.call(connect);
                JsonNode listed = client.call(NodePeer.op("listTools"));
                assertEquals(List.of("billing__status"), toolNames(listed), modern ? "v2" : "v1");
                if (modern) {
                    assertEquals("private", listed.path("cacheScope").asText(listed.toString()),
                            "a list filtered for its token must not be cached for others");
                }
                JsonNode refused = client.request(NodePeer.op("callTool").put("name", "github__reset"));
                JsonNode unknown = client.request(NodePeer.op("callTool").put("name", "nothing__here"));
                assertTrue(refused.has("error"), refused.toString());
                assertEquals(unknown.path("error").path("code"), refused.path("error").path("code"));
                assertEquals(unknown.path("error").path("message").asText().replace("nothing__here", "X"),
                        refused.path("error").path("message").asText().replace("github__reset", "X"));
            }
        }
    }

    @Test
    void theManagementApiInvokeHoldsATokenToThePolicy() throws Exception {
        String narrow = secured.token("tools:invoke tools:github/*");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> allowed = invoke(http, "github__status", narrow);
            assertEquals(200, allowed.statusCode(), allowed.body());
            HttpResponse<String> forbidden = invoke(http, "billing__status", narrow);
            HttpResponse<String> unknown = invoke(http, "nothing__here", narrow);
            assertEquals(404, forbidden.statusCode());
            assertEquals(unknown.body().replace("nothing__here", "X"), forbidden.body().replace("billing__status", "X"));
        }
    }

    private HttpResponse<String> invoke(HttpClient http, String tool, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint("/api/v1/tools/" + tool + "/invoke"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
