package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.TestServer.json;
import static dev.mcpgateway.transport.http.TestServer.sse;
import static dev.mcpgateway.transport.http.TestServer.status;
import static dev.mcpgateway.transport.http.TestServer.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.McpSessions;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.SessionOptions;
import dev.mcpgateway.transport.UpstreamListener;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/** The gateway's MCP client session running on the channel, against servers of the two older HTTP transports. */
@Timeout(20)
class McpSessionOverHttpTest {
    private static final CallOptions CALL = CallOptions.timeout(Duration.ofSeconds(5));

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private TestServer server;
    private PluginConnection connection;

    @BeforeEach
    void setUp() throws IOException {
        server = new TestServer();
    }

    @AfterEach
    void tearDown() {
        if (connection != null) {
            connection.close();
        }
        server.close();
        scheduler.shutdownNow();
    }

    private void connect(String path) throws Exception {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        UpstreamListener listener = new UpstreamListener() {
            @Override
            public void onConnected() {
                connected.complete(null);
            }
        };
        ConnectionContext context = new ConnectionContext("p-1", listener, scheduler,
                SessionOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(5)));
        HttpClientOptions options = HttpClientOptions.builder().requestTimeout(Duration.ofSeconds(5)).build();
        connection = McpSessions.supervised(() -> new StreamableHttpChannel(server.uri(path), options), "plugin 'p'", context);
        connected.get(10, TimeUnit.SECONDS);
    }

    private static String result(JsonRpcRequest request, String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + request.id() + ",\"result\":" + result + "}";
    }

    /** How servers in the field say they lost a session: the spec's 404, and the 400s of SDKs. */
    enum SessionLost {
        NOT_FOUND(404, ""),
        TYPESCRIPT_SDK(400, "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"Bad Request: No valid session ID"
                + " provided\"},\"id\":null}"),
        PLAIN_TEXT(400, "Session not found");

        final int status;
        final String body;

        SessionLost(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    @ParameterizedTest
    @EnumSource(SessionLost.class)
    void aStreamableHttpServerIsInitializedAndReinitializedWhenItDropsTheSession(SessionLost lost) throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        server.on("POST", "/mcp", (exchange, seen) -> {
            if (!(JsonRpcCodec.INSTANCE.decode(seen.body()) instanceof JsonRpcRequest request)) {
                status(exchange, 202);
                return;
            }
            switch (request.method()) {
                case "server/discover" -> status(exchange, 400);
                case "initialize" -> json(exchange, 200, result(request, "{\"protocolVersion\":\"2025-06-18\","
                                + "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"s\",\"version\":\"1\"}}"),
                        "Mcp-Session-Id", "sess-" + sessions.incrementAndGet());
                default -> {
                    if (calls.incrementAndGet() == 2) {
                        TestServer.respond(exchange, lost.status, lost.body.startsWith("{") ? "application/json"
                                : "text/plain", lost.body);
                        return;
                    }
                    OutputStream out = sse(exchange);
                    write(out, "data: " + result(request, "{\"session\":\"" + seen.header("Mcp-Session-Id") + "\"}") + "\n\n");
                }
            }
        });
        connect("/mcp");

        JsonNode first = connection.request("tools/list", Json.object(), CALL).get(5, TimeUnit.SECONDS);
        JsonNode second = connection.request("tools/list", Json.object(), CALL).get(5, TimeUnit.SECONDS);

        assertEquals("2025-06-18", connection.protocolVersion());
        assertEquals("sess-1", first.path("session").asText());
        assertEquals("sess-2", second.path("session").asText(), "the session was initialized again after " + lost);
        List<String> methods = server.requests("POST").stream()
                .map(seen -> JsonRpcCodec.INSTANCE.decode(seen.body()))
                .map(McpSessionOverHttpTest::method).toList();
        assertEquals(List.of("server/discover", "initialize", "notifications/initialized", "tools/list", "tools/list",
                "initialize", "notifications/initialized", "tools/list"), methods);
    }

    @Test
    void aLegacyHttpSseServerIsReachedThroughTheFallback() throws Exception {
        BlockingQueue<String> outgoing = new LinkedBlockingQueue<>();
        server.on("GET", "/sse", (exchange, seen) -> {
            OutputStream out = sse(exchange);
            write(out, "event: endpoint\ndata: /messages?sessionId=abc\n\n");
            String next;
            while ((next = outgoing.poll(10, TimeUnit.SECONDS)) != null) {
                write(out, next);
            }
        });
        server.on("POST", "/messages", (exchange, seen) -> {
            if (JsonRpcCodec.INSTANCE.decode(seen.body()) instanceof JsonRpcRequest request) {
                String answer = switch (request.method()) {
                    case "initialize" -> result(request, "{\"protocolVersion\":\"2024-11-05\",\"capabilities\":{},"
                            + "\"serverInfo\":{\"name\":\"old\",\"version\":\"0\"}}");
                    case "tools/list" -> result(request, "{\"tools\":[]}");
                    default -> "{\"jsonrpc\":\"2.0\",\"id\":" + request.id()
                            + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}";
                };
                outgoing.add("event: message\ndata: " + answer + "\n\n");
            }
            status(exchange, 202);
        });
        connect("/sse");

        JsonNode tools = connection.request("tools/list", Json.object(), CALL).get(5, TimeUnit.SECONDS);

        assertEquals("2024-11-05", connection.protocolVersion());
        assertEquals(0, tools.path("tools").size());
        assertEquals("old", connection.serverInfo().name());
        assertNull(server.requests("POST").getLast().header("MCP-Protocol-Version"));
        assertEquals("/messages", server.requests("POST").getLast().path());
    }

    private static String method(JsonRpcMessage message) {
        return switch (message) {
            case JsonRpcRequest request -> request.method();
            case JsonRpcNotification notification -> notification.method();
            case JsonRpcResponse response -> "response";
        };
    }
}
