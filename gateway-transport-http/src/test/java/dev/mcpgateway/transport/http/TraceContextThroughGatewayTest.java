package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.TestServer.json;
import static dev.mcpgateway.transport.http.TestServer.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.pipeline.AccessLogOptions;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.testing.Stderr;
import dev.mcpgateway.trace.TraceContext;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * W3C trace context end to end over real HTTP on loopback: an MCP client at the gateway's front door, and a recording
 * HTTP plugin. The plugin sees the client's trace-id under a new parent-id (the gateway's span), in the
 * {@code traceparent} header and in {@code _meta}, whether the client sent it as a header or in {@code _meta}; a
 * malformed {@code traceparent} is ignored and the call starts a trace of its own; the access log has one line per
 * call naming that trace, and no argument.
 */
@Timeout(60)
class TraceContextThroughGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CLIENT_TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String SECRET_ARGUMENT = "s3cret-argument-value";

    private final AtomicReference<String> traceparentHeader = new AtomicReference<>();
    private TestServer plugin;
    private McpGateway gateway;
    private McpServer server;
    private McpHttpServer door;
    private McpSyncClient client;

    @BeforeEach
    void setUp() throws Exception {
        plugin = new TestServer();
        plugin.on("POST", "/mcp", (exchange, seen) -> {
            JsonRpcMessage message = JsonRpcCodec.INSTANCE.decode(seen.body());
            String result = !(message instanceof JsonRpcRequest request) ? null : switch (request.method()) {
                case "initialize" -> "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},"
                        + "\"serverInfo\":{\"name\":\"traced\",\"version\":\"1\"}}";
                case "tools/list" -> "{\"tools\":[{\"name\":\"lookup\",\"inputSchema\":{\"type\":\"object\"}}]}";
                case "tools/call" -> "{\"content\":[{\"type\":\"text\",\"text\":\"found\"}]}";
                case "ping" -> "{}";
                default -> null;
            };
            if (result == null) {
                status(exchange, message instanceof JsonRpcRequest ? 400 : 202); // server/discover: a legacy plugin
            } else {
                json(exchange, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + ((JsonRpcRequest) message).id()
                        + ",\"result\":" + result + "}");
            }
        });
        gateway = McpGateway.builder()
                .config(GatewayConfig.builder().callTimeout(WAIT).build())
                .transport(new HttpTransport(HttpClientOptions.builder().requestTimeout(WAIT)
                        .closeTimeout(Duration.ofMillis(500)).build()))
                .accessLog(AccessLogOptions.everyCall())
                .build();
        gateway.addPlugin(PluginManifest.builder("traced").version("1.0.0")
                .transport(new TransportSpec.Http(plugin.uri("/mcp"), Map.of(), null)).build())
                .get(10, TimeUnit.SECONDS);
        server = McpServer.create(gateway);
        door = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(0).build());
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + door.address().getPort()).endpoint("/mcp")
                .addHttpRequestCustomizer((request, method, uri, body, context) -> {
                    String header = traceparentHeader.get();
                    if (header != null) {
                        request.header("traceparent", header).header("tracestate", "congo=t61rcWkgMzE");
                    }
                })
                .build();
        client = McpClient.sync(transport).requestTimeout(WAIT).build();
        client.initialize();
    }

    @AfterEach
    void tearDown() {
        // Gracefully: close() ends the session in the background, which may find the front door closed already and
        // log its ConnectException with a stack trace.
        client.closeGracefully();
        door.close();
        server.close();
        gateway.close();
        plugin.close();
    }

    @Test
    void aClientsTraceparentHeaderReachesThePluginUnderTheGatewaysSpan() throws Exception {
        traceparentHeader.set(CLIENT_TRACE);
        TraceContext sent = TraceContext.parse(CLIENT_TRACE, null);

        String log = Stderr.of(() -> call(Map.of()));

        TraceContext seen = seenByPlugin();
        assertEquals(sent.traceId(), seen.traceId(), "the client's trace");
        assertNotEquals(sent.parentId(), seen.parentId(), "a new parent-id: the gateway's span");
        assertEquals("congo=t61rcWkgMzE", seen.tracestate(), "the tracestate passed on");
        List<String> lines = log.lines().filter(line -> line.contains(AccessLogOptions.LOGGER)).toList();
        assertEquals(1, lines.size(), log);
        String line = lines.getFirst();
        for (String field : List.of("tool=traced__lookup", "plugin=traced", "instance=", "client=",
                "session=", "outcome=success", "duration_ms=", "trace_id=" + sent.traceId())) {
            assertTrue(line.contains(field), () -> field + " in " + line);
        }
        assertFalse(log.contains(SECRET_ARGUMENT), "no argument in any log line");
        Stderr.assertNoStackTrace(log);
    }

    @Test
    void aTraceparentInMetaWinsOverNoneAndReachesThePlugin() throws Exception {
        String inMeta = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        client.callTool(McpSchema.CallToolRequest.builder().name("traced__lookup").arguments(Map.of())
                .meta(Map.of("traceparent", inMeta)).build());

        TraceContext seen = seenByPlugin();
        assertEquals("0af7651916cd43dd8448eb211c80319c", seen.traceId());
        assertNotEquals("b7ad6b7169203331", seen.parentId());
    }

    @Test
    void aMalformedTraceparentIsIgnoredAndTheCallStartsItsOwnTrace() throws Exception {
        traceparentHeader.set("00-00000000000000000000000000000000-00f067aa0ba902b7-01");

        McpSchema.CallToolResult result = call(Map.of());

        assertFalse(Boolean.TRUE.equals(result.isError()), "not an error to the client");
        TraceContext seen = seenByPlugin();
        assertNotEquals("00000000000000000000000000000000", seen.traceId());
        assertEquals(null, seen.tracestate(), "the state of a trace that was refused is not passed on");
    }

    @Test
    void theRestInvokeRouteTakesTheTraceparentHeaderToo() throws Exception {
        HttpResponse<String> invoked = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + door.address().getPort()
                                + "/api/v1/tools/traced__lookup/invoke"))
                        .header("Content-Type", "application/json").header("traceparent", CLIENT_TRACE)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"arguments\":{}}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, invoked.statusCode(), invoked.body());
        TraceContext seen = seenByPlugin();
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", seen.traceId(), "the caller's trace");
        assertNotEquals("00f067aa0ba902b7", seen.parentId(), "under the gateway's span");
    }

    private McpSchema.CallToolResult call(Map<String, Object> extra) {
        return client.callTool(McpSchema.CallToolRequest.builder().name("traced__lookup")
                .arguments(Map.of("query", SECRET_ARGUMENT)).meta(extra).build());
    }

    /** The trace context of the plugin's last tools/call: the header and {@code _meta} carry the same one. */
    private TraceContext seenByPlugin() {
        List<TestServer.Seen> calls = plugin.requests("POST").stream()
                .filter(seen -> seen.body().contains("\"tools/call\"")).toList();
        TestServer.Seen last = calls.getLast();
        TraceContext inHeader = TraceContext.parse(last.header("traceparent"), last.header("tracestate"));
        assertNotNull(inHeader, () -> "a valid traceparent header: " + last.headers());
        JsonRpcRequest request = (JsonRpcRequest) JsonRpcCodec.INSTANCE.decode(last.body());
        TraceContext inMeta = TraceContext.fromMeta(request.params().get("_meta"));
        assertEquals(inHeader, inMeta, "the header and _meta agree");
        return inHeader;
    }
}
