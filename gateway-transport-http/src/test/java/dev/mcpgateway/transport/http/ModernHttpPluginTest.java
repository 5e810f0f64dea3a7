package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.internal.transport.http.MirroredSchema;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.testing.Await;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A strict 2026-07-28 plugin over HTTP, through the whole gateway: it answers a {@code tools/call} only when the
 * {@code Mcp-Method}, {@code Mcp-Name} and {@code Mcp-Param-*} headers match the body, and 400 with -32020 otherwise,
 * as the spec has servers do. Its checks are written out here by hand, not with the gateway's own code. One of its
 * tools carries an annotation the spec forbids; the gateway must not offer it.
 */
@Timeout(30)
class ModernHttpPluginTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TOOLS = "{\"tools\":[" + MirroredSchema.tool("query") + ",{\"name\":\"broken\","
            + "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"ratio\":{\"type\":\"number\",\"x-mcp-header\":\"Ratio\"}}}},"
            + "{\"name\":\"plain\",\"inputSchema\":{\"type\":\"object\"}}]}";

    /** The plugin's mirrored parameters: header name to the argument's path. */
    private static final Map<String, List<String>> MIRRORED = Map.of("Mcp-Param-Region", List.of("region"),
            "Mcp-Param-Shard", List.of("shard"), "Mcp-Param-Dry-Run", List.of("dry"),
            "Mcp-Param-Zone", List.of("target", "zone"));

    private final McpGateway gateway = McpGateway.builder()
            .config(GatewayConfig.builder().callTimeout(WAIT).build())
            .transport(new HttpTransport(HttpClientOptions.builder().requestTimeout(WAIT)
                    .closeTimeout(Duration.ofMillis(500)).build()))
            .build();
    private TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = new TestServer();
        server.on("POST", "/mcp", plugin(() -> TOOLS));
        gateway.addPlugin(PluginManifest.builder("geo").version("1.0.0")
                .transport(new TransportSpec.Http(server.uri("/mcp"), Map.of())).build()).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() {
        gateway.close();
        server.close();
    }

    /** The strict plugin, listing the given tools. */
    private static TestServer.Handler plugin(Supplier<String> tools) {
        return (exchange, seen) -> {
            JsonRpcRequest request = (JsonRpcRequest) JsonRpcCodec.INSTANCE.decode(seen.body());
            String refusal = refusal(request, seen);
            if (refusal != null) {
                json(exchange, 400, "{\"jsonrpc\":\"2.0\",\"id\":" + request.id() + ",\"error\":{\"code\":-32020,"
                        + "\"message\":" + Json.mapper().writeValueAsString(refusal) + "}}");
                return;
            }
            String result = switch (request.method()) {
                case "server/discover" -> "{\"supportedVersions\":[\"2026-07-28\"],\"capabilities\":{\"tools\":{}},"
                        + "\"_meta\":{\"io.modelcontextprotocol/serverInfo\":{\"name\":\"geo\",\"version\":\"1\"}}}";
                case "tools/list" -> tools.get();
                case "tools/call" -> "{\"content\":[{\"type\":\"text\",\"text\":"
                        + Json.mapper().writeValueAsString("ran in " + request.params().path("arguments")
                        .path("region").asText("nowhere")) + "}]}";
                default -> null;
            };
            json(exchange, 200, result == null
                    ? "{\"jsonrpc\":\"2.0\",\"id\":" + request.id() + ",\"error\":{\"code\":-32601,\"message\":\"no\"}}"
                    : "{\"jsonrpc\":\"2.0\",\"id\":" + request.id() + ",\"result\":" + result + "}");
        };
    }

    /** Why the plugin refuses the request's headers, or null when they match its body. */
    private static String refusal(JsonRpcRequest request, TestServer.Seen seen) {
        if (!"2026-07-28".equals(seen.header("MCP-Protocol-Version"))) {
            return "MCP-Protocol-Version is missing";
        }
        if (!request.method().equals(seen.header("Mcp-Method"))) {
            return "Mcp-Method is missing or wrong";
        }
        if (!request.method().equals("tools/call")) {
            return null;
        }
        if (!request.params().path("name").asText().equals(seen.header("Mcp-Name"))) {
            return "Mcp-Name is missing or wrong";
        }
        if (!request.params().path("name").asText().equals("query")) {
            return null;
        }
        for (Map.Entry<String, List<String>> mirrored : MIRRORED.entrySet()) {
            JsonNode value = request.params().path("arguments");
            for (String key : mirrored.getValue()) {
                value = value.path(key);
            }
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            String expected = value.isTextual() ? encoded(value.textValue()) : value.asText();
            String header = seen.header(mirrored.getKey());
            if (header == null) {
                return mirrored.getKey() + " is missing";
            }
            if (!header.equals(expected)) {
                return mirrored.getKey() + " is '" + header + "', not '" + expected + "'";
            }
        }
        return null;
    }

    /** The spec's encoding of a string value, written out independently of the gateway's. */
    private static String encoded(String value) {
        boolean plain = value.chars().allMatch(c -> c >= 0x20 && c <= 0x7E) && !value.startsWith(" ")
                && !value.endsWith(" ") && !(value.startsWith("=?base64?") && value.endsWith("?="));
        return plain ? value
                : "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    @Test
    void theStrictPluginRefusesACallWithoutItsParamHeaders() throws Exception {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"query\","
                + "\"arguments\":{\"region\":\"eu\"},\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}}";
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(server.uri("/mcp"))
                    .header("Content-Type", "application/json").header("MCP-Protocol-Version", "2026-07-28")
                    .header("Mcp-Method", "tools/call").header("Mcp-Name", "query")
                    .POST(HttpRequest.BodyPublishers.ofString(call)).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(400, refused.statusCode());
            assertTrue(refused.body().contains("-32020") && refused.body().contains("Mcp-Param-Region is missing"),
                    refused.body());
        }
    }

    @Test
    void callsThroughTheGatewayCarryTheHeadersThePluginDemands() throws Exception {
        String text = gateway.callTool("geo__query", Json.mapper().readTree("""
                {"region":"Hello, 世界","shard":42,"dry":true,"target":{"zone":"b"}}"""))
                .get(10, TimeUnit.SECONDS).firstText();

        assertEquals("ran in Hello, 世界", text);
        TestServer.Seen call = server.requests("POST").getLast();
        assertEquals("tools/call", call.header("Mcp-Method"));
        assertEquals("query", call.header("Mcp-Name"));
        assertEquals(encoded("Hello, 世界"), call.header("Mcp-Param-Region"));
        assertEquals("42", call.header("Mcp-Param-Shard"));
        assertEquals("true", call.header("Mcp-Param-Dry-Run"));
        assertEquals("b", call.header("Mcp-Param-Zone"));

        assertEquals("ran in nowhere", gateway.callTool("geo__query", Json.object().put("shard", 1))
                .get(10, TimeUnit.SECONDS).firstText(), "a parameter left out needs no header");
        assertNull(server.requests("POST").getLast().header("Mcp-Param-Region"));
    }

    @Test
    void aToolWithAnInvalidAnnotationIsNotDiscovered() {
        assertEquals(List.of("geo__plain", "geo__query"),
                gateway.listTools().stream().map(ExposedTool::exposedName).sorted().toList());
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> gateway.callTool("geo__broken", Json.object().put("ratio", 0.5)).get(10, TimeUnit.SECONDS));
        assertTrue(assertInstanceOf(JsonRpcException.class, refused.getCause()).getMessage().contains("Unknown tool"),
                refused.getCause().getMessage());
        assertTrue(server.requests("POST").stream().noneMatch(s -> s.body().contains("\"broken\"")
                && s.body().contains("tools/call")), "the gateway never called it");
    }

    @Test
    void everyRequestTheGatewaySendsCarriesItsMethodHeader() {
        assertTrue(server.requests("POST").stream().allMatch(s -> s.header("Mcp-Method") != null),
                "discovery included: " + server.requests("POST"));
        assertTrue(server.requests("POST").stream().anyMatch(s -> "tools/list".equals(s.header("Mcp-Method"))));
    }

    @Test
    void aCallRefusedForItsHeadersIsRetriedOnceAfterListingTheToolsAgain() throws Exception {
        // The plugin changed its schema without telling anyone: the gateway's copy asks for no headers.
        AtomicReference<String> listing = new AtomicReference<>("{\"tools\":[{\"name\":\"query\","
                + "\"inputSchema\":{\"type\":\"object\"}}]}");
        server.on("POST", "/stale", plugin(listing::get));
        gateway.addPlugin(PluginManifest.builder("stale").transport(new TransportSpec.Http(server.uri("/stale"),
                Map.of())).build()).get(10, TimeUnit.SECONDS);
        listing.set(TOOLS);

        assertEquals("ran in eu", gateway.callTool("stale__query", Json.object().put("region", "eu"))
                .get(10, TimeUnit.SECONDS).firstText());
        List<TestServer.Seen> seen = server.requests("POST").stream().filter(s -> s.path().equals("/stale")).toList();
        List<String> methods = seen.stream().map(s -> s.header("Mcp-Method")).toList();
        int refused = methods.indexOf("tools/call");
        int retried = methods.lastIndexOf("tools/call");
        assertTrue(refused < retried && methods.subList(refused, retried).contains("tools/list"),
                "refused, listed again, retried: " + methods);
        assertNull(seen.get(refused).header("Mcp-Param-Region"));
        assertEquals("eu", seen.get(retried).header("Mcp-Param-Region"));
        Await.until("the gateway's catalog has the new schema", WAIT, () -> gateway.listTools().stream()
                .anyMatch(t -> t.exposedName().equals("stale__query")
                        && t.definition().inputSchema().toString().contains("x-mcp-header")));
    }
}
