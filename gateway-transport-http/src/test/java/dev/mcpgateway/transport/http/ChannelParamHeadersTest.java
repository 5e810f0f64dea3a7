package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.TestServer.json;
import static dev.mcpgateway.transport.http.TestServer.sse;
import static dev.mcpgateway.transport.http.TestServer.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.internal.transport.http.MirroredSchema;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The channel learns each tool's {@code x-mcp-header} annotations from the {@code tools/list} answers it carries and
 * sends the {@code Mcp-Param-*} headers on 2026-07-28 {@code tools/call} requests; tools whose annotations break the
 * spec are left out of the listing it hands up, with a warning. Against a real HTTP server on 127.0.0.1 whose answers
 * each test scripts by method.
 */
@Timeout(20)
class ChannelParamHeadersTest {
    private static final String MODERN = "2026-07-28";
    private static final String QUERY = MirroredSchema.tool("query");

    private static final String BROKEN = """
            {"name":"broken","inputSchema":{"type":"object","properties":{
              "tags":{"type":"array","items":{"type":"string","x-mcp-header":"Tag"}}}}}""";
    private static final String PLAIN = "{\"name\":\"plain\",\"inputSchema\":{\"type\":\"object\"}}";

    /** What the server answers each method with: the JSON text of a result. */
    private final Map<String, String> results = new ConcurrentHashMap<>();
    /** Whether the server answers with an event stream rather than one JSON body. */
    private volatile boolean streams;
    private TestServer server;
    private RecordingReceiver receiver;
    private StreamableHttpChannel channel;
    private long ids;

    @BeforeEach
    void setUp() throws IOException {
        server = new TestServer();
        receiver = new RecordingReceiver();
        server.on("POST", "/mcp", (exchange, seen) -> {
            JsonRpcRequest request = (JsonRpcRequest) JsonRpcCodec.INSTANCE.decode(seen.body());
            String key = request.method() + (request.params().hasNonNull("cursor")
                    ? "#" + request.params().get("cursor").asText() : "");
            String body = "{\"jsonrpc\":\"2.0\",\"id\":" + request.id() + ",\"result\":" + results.getOrDefault(key, "{}")
                    + "}";
            if (streams) {
                OutputStream out = sse(exchange);
                write(out, "data: " + tree(body) + "\n\n"); // one line: the listing's text has line breaks
            } else {
                json(exchange, 200, body);
            }
        });
        channel = new StreamableHttpChannel(server.uri("/mcp"), HttpClientOptions.builder()
                .requestTimeout(Duration.ofSeconds(5)).closeTimeout(Duration.ofMillis(500)).build());
        channel.start(receiver);
    }

    @AfterEach
    void tearDown() {
        channel.close();
        server.close();
    }

    private static JsonNode tree(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String listing(String nextCursor, String... tools) {
        return "{\"tools\":[" + String.join(",", tools) + "]" + (nextCursor == null ? "" : ",\"nextCursor\":\""
                + nextCursor + "\"") + "}";
    }

    /** Sends a request with the params given and the stateless era's {@code _meta}; returns its answer. */
    private JsonRpcResponse modern(String method, String params) throws Exception {
        ObjectNode tree = (ObjectNode) tree(params);
        tree.putObject("_meta").put("io.modelcontextprotocol/protocolVersion", MODERN);
        long id = ++ids;
        channel.send(new JsonRpcRequest(RequestId.of(id), method, tree)).get(5, TimeUnit.SECONDS);
        JsonRpcResponse response = assertInstanceOf(JsonRpcResponse.class, receiver.next());
        assertEquals(RequestId.of(id), response.id());
        return response;
    }

    private static List<String> names(JsonRpcResponse listing) {
        List<String> names = new ArrayList<>();
        listing.result().path("tools").forEach(tool -> names.add(tool.path("name").asText()));
        return names;
    }

    private TestServer.Seen lastPost() {
        List<TestServer.Seen> posts = server.requests("POST");
        return posts.getLast();
    }

    private static String base64(String value) {
        return "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    @Test
    void aCallCarriesTheHeadersItsListedToolAsksFor() throws Exception {
        results.put("tools/list", listing(null, QUERY, PLAIN));
        modern("tools/list", "{}");

        modern("tools/call", """
                {"name":"query","arguments":{"region":"us-west1","shard":42,"dry":false,
                 "target":{"zone":"zürich"},"query":"SELECT 1"}}""");

        TestServer.Seen call = lastPost();
        assertEquals("tools/call", call.header("Mcp-Method"));
        assertEquals("query", call.header("Mcp-Name"));
        assertEquals("us-west1", call.header("Mcp-Param-Region"));
        assertEquals("42", call.header("Mcp-Param-Shard"));
        assertEquals("false", call.header("Mcp-Param-Dry-Run"));
        assertEquals(base64("zürich"), call.header("Mcp-Param-Zone"));
        assertNull(call.header("Mcp-Param-Query"), "unmarked parameters stay in the body");
    }

    @Test
    void absentAndNullArgumentsHaveNoHeaderAndUnannotatedToolsNone() throws Exception {
        results.put("tools/list", listing(null, QUERY, PLAIN));
        modern("tools/list", "{}");

        modern("tools/call", "{\"name\":\"query\",\"arguments\":{\"region\":null,\"shard\":7}}");
        assertNull(lastPost().header("Mcp-Param-Region"));
        assertEquals("7", lastPost().header("Mcp-Param-Shard"));

        modern("tools/call", "{\"name\":\"plain\",\"arguments\":{\"region\":\"x\"}}");
        assertTrue(lastPost().headers().keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("mcp-param-")),
                lastPost().headers().toString());
    }

    @Test
    void aToolWithInvalidAnnotationsIsLeftOutOfTheListingWithAWarning() throws Exception {
        results.put("tools/list", listing(null, PLAIN, BROKEN, QUERY));
        String log;
        JsonRpcResponse listed;
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // slf4j-simple writes each line to whatever System.err is at the time.
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            listed = modern("tools/list", "{}");
        } finally {
            System.setErr(stderr);
            log = captured.toString(StandardCharsets.UTF_8);
        }

        assertEquals(List.of("plain", "query"), names(listed));
        assertTrue(log.contains("WARN") && log.contains("'broken'") && log.contains("left out of tools/list")
                && log.contains("reached from the schema root through 'properties' alone"), log);
    }

    @Test
    void listingsAnsweredWithAnEventStreamAreReadToo() throws Exception {
        results.put("tools/list", listing(null, BROKEN, QUERY));
        streams = true;

        assertEquals(List.of("query"), names(modern("tools/list", "{}")));
        modern("tools/call", "{\"name\":\"query\",\"arguments\":{\"region\":\"eu\"}}");
        assertEquals("eu", lastPost().header("Mcp-Param-Region"));
    }

    @Test
    void pagesAddUpAndANewListingReplacesTheOldOne() throws Exception {
        results.put("tools/list", listing("p2", PLAIN));
        results.put("tools/list#p2", listing(null, QUERY));
        modern("tools/list", "{}");
        modern("tools/list", "{\"cursor\":\"p2\"}");
        modern("tools/call", "{\"name\":\"query\",\"arguments\":{\"region\":\"eu\"}}");
        assertEquals("eu", lastPost().header("Mcp-Param-Region"), "learnt from the second page");

        // The tool changed: its parameter is now mirrored as Area.
        results.put("tools/list", listing(null, QUERY.replace("\"Region\"", "\"Area\"")));
        modern("tools/list", "{}");
        modern("tools/call", "{\"name\":\"query\",\"arguments\":{\"region\":\"eu\"}}");
        assertEquals("eu", lastPost().header("Mcp-Param-Area"));
        assertNull(lastPost().header("Mcp-Param-Region"), "the old listing is gone");
    }

    @Test
    void aSessionOfAnOlderVersionIsLeftAlone() throws Exception {
        results.put("tools/list", listing(null, BROKEN, QUERY));
        channel.protocolVersionNegotiated("2025-06-18");
        channel.send(new JsonRpcRequest(RequestId.of(1), "tools/list", Json.object())).get(5, TimeUnit.SECONDS);
        assertEquals(List.of("broken", "query"), names((JsonRpcResponse) receiver.next()),
                "x-mcp-header is a 2026-07-28 rule");

        channel.send(new JsonRpcRequest(RequestId.of(2), "tools/call", tree("{\"name\":\"query\","
                + "\"arguments\":{\"region\":\"eu\"}}"))).get(5, TimeUnit.SECONDS);
        receiver.next();
        assertNull(lastPost().header("Mcp-Param-Region"));
    }
}
