package dev.mcpgateway.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcpgateway.testing.NodePeer;
import io.modelcontextprotocol.modern.JsonRpc;
import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.client.transport.McpClientTransport;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequestCustomizer;
import io.modelcontextprotocol.modern.client.transport.McpTransportRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

/**
 * The official MCP Java SDK's 2026-07-28 client ({@code io.modelcontextprotocol.modern.client}, SDK 2.2.0) in front of
 * the gateway, over Streamable HTTP on 127.0.0.1, with one plugin of each era behind it ({@link BothErasGateway}:
 * {@code server-everything} over stdio, legacy; a stateless 2026-07-28 v2 TypeScript SDK server over HTTP). It proves
 * that a second, independent implementation of the stateless revision (besides the TypeScript v2 client of
 * {@link EraInteropTest}) can use the gateway with no {@code initialize} and no session:
 * <ul>
 *   <li>{@code server/discover} and every list (tools, prompts, resources, templates) answer with both plugins'
 *       features and the caching hints the revision requires; prompts and resources, fixed and templated, read back;
 *   <li>tool calls reach both plugins; progress of the modern plugin arrives through the client's progress callback;
 *       the client mirrors {@code region_query}'s {@code x-mcp-header} argument into {@code Mcp-Param-Region}, and the
 *       gateway checks it against the body (a header that disagrees is refused with HTTP 400 / -32020);
 *   <li>elicitation completes as multi-round-trip {@code input_required} both when the gateway bridges a legacy
 *       plugin's {@code elicitation/create} and when the modern plugin asks itself.
 * </ul>
 * Every HTTP request the client sends is recorded by its request customizer (headers as they go out, the mirrored
 * {@code Mcp-*} ones included, and the body), and so is every JSON-RPC message it receives; assertions check those
 * besides the results.
 */
@Timeout(120)
class JavaSdkModernInteropTest {
    private static final String REVISION = "2026-07-28";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = NodePeer.mapper();
    private static BothErasGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        gateway = BothErasGateway.start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** One HTTP POST as it went out: its MCP method, its headers and its JSON body. */
    record Post(String method, HttpHeaders headers, JsonNode body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /**
     * The SDK's own HTTP transport, recording what goes out and what comes back; {@link #tamperRegion}, when set,
     * replaces the value of every {@code Mcp-Param-*} header the client asks the transport to mirror.
     */
    static final class RecordingTransport implements McpClientTransport {
        final List<Post> posts = new CopyOnWriteArrayList<>();
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        volatile String tamperRegion;
        private final HttpClientMcpTransport http;

        RecordingTransport(URI endpoint) {
            http = HttpClientMcpTransport.builder(endpoint).connectTimeout(Duration.ofSeconds(5))
                    .requestCustomizer(McpHttpRequestCustomizer.fromSync((request, headers, context) ->
                            posts.add(new Post(request.mcpMethod(), headers.asHttpHeaders(), tree(request.body())))))
                    .build();
        }

        @Override
        public Flux<JsonRpc.JSONRPCMessage> exchange(McpTransportRequest request) {
            McpTransportRequest sent = request;
            if (tamperRegion != null && !request.paramHeaders().isEmpty()) {
                // The SDK lets no customizer touch its Mcp-Param-* headers, so tamper with what it asks them to be.
                Map<String, String> params = new LinkedHashMap<>(request.paramHeaders());
                params.replaceAll((header, value) -> tamperRegion);
                sent = McpTransportRequest.builder(request.message(), request.protocolVersion()).name(request.name())
                        .paramHeaders(params).roundTimeout(request.roundTimeout()).build();
            }
            return http.exchange(sent).doOnNext(message -> received.add(JSON.valueToTree(message)));
        }

        @Override
        public boolean mirrorsToolParams() {
            return http.mirrorsToolParams();
        }

        List<Post> posts(String method) {
            return posts.stream().filter(p -> method.equals(p.method())).toList();
        }

        private static JsonNode tree(String body) {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static McpSyncClient client(RecordingTransport transport, List<McpSchema.ElicitFormRequest> asked,
            String name) {
        return McpClient.sync(transport)
                .clientInfo(McpSchema.Implementation.builder("java-sdk-modern-interop", "1.0.0").build())
                .roundTimeout(TIMEOUT).callTimeout(TIMEOUT).maxInputRounds(3)
                .formElicitation(request -> {
                    asked.add(request);
                    return McpSchema.ElicitResult.accept(Map.of("name", name));
                })
                .build();
    }

    private static String text(McpSchema.CallToolResult result) {
        return result.content().stream().filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining("\n"));
    }

    /** Every request went out pinned to 2026-07-28, with nothing of the legacy era (no initialize, no session). */
    private static void assertStatelessAtTheRevision(RecordingTransport wire) {
        assertFalse(wire.posts.isEmpty());
        for (Post post : wire.posts) {
            assertEquals(REVISION, post.header("Mcp-Protocol-Version"), post.toString());
            assertEquals(post.body().path("method").asText(), post.header("Mcp-Method"), "Mcp-Method mirrors the body: " + post);
            assertFalse(post.method().equals("initialize") || post.headers().firstValue("Mcp-Session-Id").isPresent(),
                    post.toString());
            assertEquals(REVISION, post.body().path("params").path("_meta")
                    .path("io.modelcontextprotocol/protocolVersion").asText(), post.toString());
        }
    }

    private static List<JsonNode> inputRequiredResults(RecordingTransport wire) {
        return wire.received.stream().filter(m -> "input_required".equals(m.path("result").path("resultType").asText()))
                .toList();
    }

    @Test
    void discoversAndListsToolsPromptsResourcesAndTemplatesOfBothPlugins() {
        RecordingTransport wire = new RecordingTransport(gateway.endpoint());
        McpSyncClient client = client(wire, new CopyOnWriteArrayList<>(), "unused");

        McpSchema.DiscoverResult discovered = client.discover();
        assertTrue(discovered.supportedVersions().contains(REVISION), discovered.toString());
        assertNotNull(discovered.capabilities().tools(), discovered.toString());
        assertNotNull(discovered.capabilities().prompts(), discovered.toString());
        assertNotNull(discovered.capabilities().resources(), discovered.toString());

        McpSchema.ListToolsResult tools = client.listTools().skipCache().list();
        List<String> toolNames = tools.tools().stream().map(McpSchema.Tool::name).toList();
        assertTrue(toolNames.containsAll(List.of("everything__echo", "everything__trigger-elicitation-request",
                "modern__echo", "modern__count", "modern__ask_name", "modern__region_query")), toolNames.toString());
        assertNotNull(tools.ttlMs(), "2026-07-28 list results carry caching hints");
        assertNotNull(tools.cacheScope());
        McpSchema.Tool region = tools.tools().stream().filter(t -> t.name().equals("modern__region_query")).findFirst()
                .orElseThrow();
        assertTrue(JSON.valueToTree(region.inputSchema()).path("properties").path("region").path("x-mcp-header")
                .asText().equals("Region"), "the annotation reaches the client: " + region.inputSchema());

        McpSchema.ListPromptsResult prompts = client.prompts().list();
        List<String> promptNames = prompts.prompts().stream().map(McpSchema.Prompt::name).toList();
        assertTrue(promptNames.contains("modern__greeting")
                && promptNames.stream().anyMatch(p -> p.startsWith("everything__")), promptNames.toString());
        assertNotNull(prompts.ttlMs());
        McpSchema.GetPromptResult greeting = client.prompt("modern__greeting").arguments(Map.of("name", "Ada")).get();
        assertTrue(JSON.valueToTree(greeting.messages()).toString().contains("Please greet Ada."), greeting.toString());

        McpSchema.ListResourcesResult resources = client.resources().list();
        List<String> uris = resources.resources().stream().map(McpSchema.Resource::uri).toList();
        assertTrue(uris.contains("memo://readme") && uris.size() > 1, uris.toString());
        assertNotNull(resources.ttlMs());
        McpSchema.ReadResourceResult readme = client.resource("memo://readme").read();
        assertEquals("interop readme", ((McpSchema.TextResourceContents) readme.contents().get(0)).text());
        assertEquals(5_000L, readme.ttlMs(), "the modern plugin's own hint passes through");

        McpSchema.ListResourceTemplatesResult templates = client.resourceTemplates().list();
        assertTrue(templates.resourceTemplates().stream().anyMatch(t -> t.uriTemplate().equals("memo://notes/{id}")),
                templates.toString());
        assertNotNull(templates.ttlMs());
        McpSchema.ReadResourceResult note = client.resource("memo://notes/7").read();
        assertEquals("note 7", ((McpSchema.TextResourceContents) note.contents().get(0)).text());

        assertStatelessAtTheRevision(wire);
        assertEquals(1, wire.posts("server/discover").size(), wire.posts.toString());
        Post read = wire.posts("resources/read").get(0);
        assertEquals("memo://readme", read.header("Mcp-Name"), "Mcp-Name of a read is its URI: " + read);
    }

    @Test
    void callsToolsOnTheLegacyStdioPluginAndTheModernHttpPluginWithProgressAndAMirroredHeader() {
        RecordingTransport wire = new RecordingTransport(gateway.endpoint());
        McpSyncClient client = client(wire, new CopyOnWriteArrayList<>(), "unused");

        McpSchema.CallToolResult echo = client.tool("everything__echo").arguments(Map.of("message", "over stdio")).call();
        assertEquals("Echo: over stdio", text(echo), echo.toString());
        assertFalse(Boolean.TRUE.equals(echo.isError()));

        List<McpSchema.ProgressParams> progress = new CopyOnWriteArrayList<>();
        McpSchema.CallToolResult counted = client.tool("modern__count").arguments(Map.of("n", 3))
                .progress(progress::add).call();
        assertEquals("counted to 3", text(counted), counted.toString());
        assertEquals(List.of(1.0, 2.0, 3.0), progress.stream().map(McpSchema.ProgressParams::progress).toList(),
                progress.toString());
        assertTrue(progress.stream().allMatch(p -> Double.valueOf(3).equals(p.total())), progress.toString());
        assertEquals("step 2", progress.get(1).message());

        McpSchema.CallToolResult regional = client.tool("modern__region_query")
                .arguments(Map.of("region", "us-west1", "query", "select 1")).call();
        assertEquals("us-west1: select 1", text(regional), regional.toString());

        assertStatelessAtTheRevision(wire);
        List<Post> calls = wire.posts("tools/call");
        Post regionCall = calls.stream().filter(p -> "modern__region_query".equals(p.header("Mcp-Name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no region_query call: " + calls));
        assertEquals("us-west1", regionCall.header("Mcp-Param-Region"), "the client mirrored x-mcp-header: " + regionCall);
        assertEquals(1, calls.stream().filter(p -> "modern__region_query".equals(p.header("Mcp-Name"))).count(),
                "accepted at once, no header-mismatch retry: " + calls);
        assertTrue(calls.stream().filter(p -> !"modern__region_query".equals(p.header("Mcp-Name")))
                .noneMatch(p -> p.headers().map().keySet().stream().anyMatch(h -> h.toLowerCase().startsWith("mcp-param-"))),
                "only the annotated tool gets Mcp-Param headers: " + calls);
    }

    @Test
    void theGatewayRefusesAMirroredHeaderThatDisagreesWithTheBody() throws IOException, InterruptedException {
        RecordingTransport wire = new RecordingTransport(gateway.endpoint());
        McpSyncClient client = client(wire, new CopyOnWriteArrayList<>(), "unused");
        wire.tamperRegion = "eu-north1";

        McpException refused = assertThrows(McpException.class, () -> client.tool("modern__region_query")
                .arguments(Map.of("region", "us-west1", "query", "select 1")).call());
        assertEquals(-32020, refused.error().code(), "HeaderMismatch: " + refused.error());

        List<Post> calls = wire.posts("tools/call");
        assertFalse(calls.isEmpty());
        assertTrue(calls.stream().allMatch(p -> "eu-north1".equals(p.header("Mcp-Param-Region"))
                && "us-west1".equals(p.body().path("params").path("arguments").path("region").asText())), calls.toString());
        assertTrue(wire.received.stream().noneMatch(m -> m.path("result").toString().contains("select 1")),
                "nothing reached the plugin: " + wire.received);

        // The SDK does not show the HTTP status of a JSON-RPC error; the same request again, byte for byte: 400.
        Post tampered = calls.get(0);
        HttpRequest.Builder replay = HttpRequest.newBuilder(gateway.endpoint()).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(tampered.body().toString()));
        tampered.headers().map().forEach((name, values) -> values.forEach(value -> replay.header(name, value)));
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = http.send(replay.build(), HttpResponse.BodyHandlers.ofString());
        }
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(-32020, JSON.readTree(response.body()).path("error").path("code").asInt(), response.body());
    }

    @Test
    void completesAnElicitationTheGatewayBridgesFromTheLegacyPluginIntoInputRequired() {
        RecordingTransport wire = new RecordingTransport(gateway.endpoint());
        List<McpSchema.ElicitFormRequest> asked = new CopyOnWriteArrayList<>();
        McpSyncClient client = client(wire, asked, "Ada Lovelace");

        McpSchema.CallToolResult result = client.tool("everything__trigger-elicitation-request").call();
        assertFalse(Boolean.TRUE.equals(result.isError()), result.toString());
        assertTrue(text(result).contains("- Name: Ada Lovelace"), result.toString());
        assertTrue(text(result).contains("\"action\": \"accept\""), "the plugin saw the acceptance: " + result);

        assertEquals(1, asked.size(), asked.toString());
        assertEquals("Please provide inputs for the following fields:", asked.get(0).message());
        assertTrue(JSON.valueToTree(asked.get(0).requestedSchema()).path("properties").has("name"), asked.toString());

        assertStatelessAtTheRevision(wire);
        assertRoundTrip(wire, "Ada Lovelace");
    }

    @Test
    void completesTheModernPluginsOwnInputRequiredPassedThroughTheGateway() {
        RecordingTransport wire = new RecordingTransport(gateway.endpoint());
        List<McpSchema.ElicitFormRequest> asked = new CopyOnWriteArrayList<>();
        McpSyncClient client = client(wire, asked, "Grace");

        McpSchema.CallToolResult result = client.tool("modern__ask_name").call();
        assertEquals("Hello, Grace", text(result), result.toString());
        assertEquals(1, asked.size(), asked.toString());
        assertEquals("What is your name?", asked.get(0).message());

        assertStatelessAtTheRevision(wire);
        assertRoundTrip(wire, "Grace");
    }

    /**
     * One input_required round: the first tools/call answered {@code input_required} with one elicitation input
     * request; the retry carried the answer under the same key and the {@code requestState} it was given.
     */
    private static void assertRoundTrip(RecordingTransport wire, String name) {
        List<JsonNode> inputRequired = inputRequiredResults(wire);
        assertEquals(1, inputRequired.size(), wire.received.toString());
        JsonNode round = inputRequired.get(0).path("result");
        assertEquals(1, round.path("inputRequests").size(), round.toString());
        String key = round.path("inputRequests").fieldNames().next();
        assertEquals("elicitation/create", round.path("inputRequests").path(key).path("method").asText(), round.toString());

        List<Post> calls = wire.posts("tools/call");
        assertEquals(2, calls.size(), calls.toString());
        assertFalse(calls.get(0).body().path("params").has("inputResponses"), calls.get(0).toString());
        JsonNode retry = calls.get(1).body().path("params");
        assertEquals("accept", retry.path("inputResponses").path(key).path("action").asText(), retry.toString());
        assertEquals(name, retry.path("inputResponses").path(key).path("content").path("name").asText(), retry.toString());
        if (round.has("requestState")) {
            assertEquals(round.path("requestState").asText(), retry.path("requestState").asText(), retry.toString());
        }
    }
}
