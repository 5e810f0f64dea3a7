package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.TestServer.json;
import static dev.mcpgateway.transport.http.TestServer.respond;
import static dev.mcpgateway.transport.http.TestServer.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcError;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.server.MessageSink;
import dev.mcpgateway.server.ServerSession;
import dev.mcpgateway.transport.SessionOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the gateway's MCP clients are told when an HTTP plugin fails, in both eras: the plugin's name, what happened
 * and an error id, never its address or its error body; a plugin's own JSON-RPC error passes as it is. The Java
 * API keeps the detail for its hosts.
 */
@Timeout(30)
class ClientFacingErrorsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SECRET_BODY = "<html>upstream db 10.9.8.7 password=hunter2</html>";

    private final TestServer weather;
    private final McpGateway gateway = McpGateway.builder()
            .config(GatewayConfig.builder().callTimeout(WAIT).callTimeout("weather", "slow", Duration.ofMillis(200))
                    .sessionOptions(SessionOptions.defaults()
                    .withHandshakeTimeout(WAIT)).build())
            .transport(new HttpTransport(HttpClientOptions.builder().connectTimeout(Duration.ofSeconds(2))
                    .requestTimeout(WAIT).closeTimeout(Duration.ofMillis(500)).build()))
            .build();
    private McpServer server;

    ClientFacingErrorsTest() throws IOException {
        weather = new TestServer();
    }

    /**
     * A legacy plugin without sessions: {@code forecast} fails with HTTP 502 and a body no client may see,
     * {@code strict} answers its own invalid-params error.
     */
    @BeforeEach
    void setUp() throws Exception {
        weather.on("POST", "/mcp", (exchange, seen) -> {
            JsonRpcMessage message = JsonRpcCodec.INSTANCE.decode(seen.body());
            if (!(message instanceof JsonRpcRequest request)) {
                status(exchange, 202);
                return;
            }
            switch (request.method()) {
                case "server/discover" -> status(exchange, 400);
                case "initialize" -> json(exchange, 200, result(request, "{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"weather\",\"version\":\"1\"}}"));
                case "tools/list" -> json(exchange, 200, result(request, "{\"tools\":["
                        + "{\"name\":\"forecast\",\"inputSchema\":{\"type\":\"object\"}},"
                        + "{\"name\":\"strict\",\"inputSchema\":{\"type\":\"object\"}},"
                        + "{\"name\":\"slow\",\"inputSchema\":{\"type\":\"object\"}}]}"));
                case "tools/call" -> {
                    String tool = request.params().path("name").asText();
                    if ("slow".equals(tool)) {
                        status(exchange, 202); // the answer would come on a stream the plugin never opens
                    } else if ("strict".equals(tool)) {
                        json(exchange, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + request.id() + ",\"error\":{\"code\":"
                                + "-32602,\"message\":\"city must be a string\",\"data\":{\"field\":\"city\"}}}");
                    } else {
                        respond(exchange, 502, "text/html", SECRET_BODY);
                    }
                }
                default -> json(exchange, 200, result(request, "{}"));
            }
        });
        gateway.addPlugin(PluginManifest.builder("weather").version("1.0.0")
                .transport(new TransportSpec.Http(weather.uri("/mcp"), Map.of())).build()).get(10, TimeUnit.SECONDS);
        server = McpServer.create(gateway);
    }

    @AfterEach
    void tearDown() {
        try {
            server.close();
            gateway.close();
        } finally {
            weather.close();
        }
    }

    private static String result(JsonRpcRequest request, String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + request.id() + ",\"result\":" + result + "}";
    }

    @Test
    void aLegacyClientIsToldWhichPluginAnsweredWhatWithAnErrorIdAndNothingOfItsInternals() throws Exception {
        ServerSession session = legacySession();

        JsonRpcError error = call(session, "weather__forecast", null).error();
        assertEquals(ErrorCodes.UPSTREAM_UNAVAILABLE, error.code());
        assertSanitized(error, "plugin 'weather' answered HTTP 502");
    }

    @Test
    void aStatelessClientIsToldTheSame() throws Exception {
        ServerSession session = server.statelessSession();
        try {
            JsonRpcError error = call(session, "weather__forecast", modernMeta()).error();
            assertEquals(ErrorCodes.UPSTREAM_UNAVAILABLE, error.code());
            assertSanitized(error, "plugin 'weather' answered HTTP 502");
        } finally {
            session.close();
        }
    }

    @Test
    void aPluginThatCannotBeReachedIsNamedAsUnreachable() throws Exception {
        ServerSession session = legacySession();
        weather.close();

        JsonRpcError error = call(session, "weather__forecast", null).error();
        assertEquals(ErrorCodes.UPSTREAM_UNAVAILABLE, error.code(), error.message());
        assertSanitized(error, "plugin 'weather' is unreachable");
    }

    @Test
    void aPluginThatDoesNotAnswerInTimeIsNamed() throws Exception {
        ServerSession session = legacySession();

        JsonRpcError error = call(session, "weather__slow", null).error();
        assertEquals(ErrorCodes.UPSTREAM_TIMEOUT, error.code(), error.message());
        assertSanitized(error, "plugin 'weather' did not answer in time; the request was cancelled");
    }

    @Test
    void aPluginsOwnErrorPassesAsItIs() throws Exception {
        ServerSession session = legacySession();

        JsonRpcError error = call(session, "weather__strict", null).error();
        assertEquals(ErrorCodes.INVALID_PARAMS, error.code());
        assertEquals("city must be a string", error.message());
        assertEquals(Json.object().put("field", "city"), error.data());
    }

    @Test
    void theJavaApiKeepsTheDetailForItsHosts() {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> gateway.callTool("weather__forecast", Json.object()).get(10, TimeUnit.SECONDS));
        JsonRpcException cause = assertInstanceOf(JsonRpcException.class, failed.getCause());
        assertTrue(cause.getMessage().contains("HTTP 502") && cause.getMessage().contains("127.0.0.1:" + weather.port()),
                cause.getMessage());
    }

    private static void assertSanitized(JsonRpcError error, String what) {
        String message = error.message();
        String errorId = error.data().path("errorId").asText();
        assertTrue(errorId.matches("[0-9a-f]{16}"), error.data().toString());
        assertEquals("weather", error.data().path("plugin").asText(), error.data().toString());
        assertEquals(what + " (error id " + errorId + "; the gateway's log has the details)", message);
        for (String secret : new String[] {"127.0.0.1", "http://", "/mcp", "hunter2", "10.9.8.7", "html"}) {
            assertFalse(message.contains(secret) || error.data().toString().contains(secret), secret + ": " + error);
        }
    }

    private ServerSession legacySession() throws Exception {
        ServerSession session = server.newSession();
        ObjectNode params = Json.object().put("protocolVersion", "2025-06-18");
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "t").put("version", "1");
        JsonRpcResponse initialized = session.handle(new JsonRpcRequest(RequestId.of(0), "initialize", params),
                MessageSink.NONE).get(10, TimeUnit.SECONDS);
        assertFalse(initialized.isError(), initialized::toString);
        return session;
    }

    private static ObjectNode modernMeta() {
        ObjectNode meta = Json.object().put(ProtocolVersions.META_PROTOCOL_VERSION, ProtocolVersions.MODERN);
        meta.putObject(ProtocolVersions.META_CLIENT_CAPABILITIES);
        meta.putObject(ProtocolVersions.META_CLIENT_INFO).put("name", "t").put("version", "1");
        return meta;
    }

    private static JsonRpcResponse call(ServerSession session, String tool, JsonNode meta) throws Exception {
        ObjectNode params = Json.object().put("name", tool);
        params.putObject("arguments");
        if (meta != null) {
            params.set("_meta", meta);
        }
        JsonRpcResponse response = session.handle(new JsonRpcRequest(RequestId.of(1), "tools/call", params),
                MessageSink.NONE).get(10, TimeUnit.SECONDS);
        assertTrue(response.isError(), response::toString);
        return response;
    }
}
