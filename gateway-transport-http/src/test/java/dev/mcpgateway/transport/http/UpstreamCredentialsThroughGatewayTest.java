package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.TestServer.json;
import static dev.mcpgateway.transport.http.TestServer.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.auth.ClientCredentialsOptions;
import dev.mcpgateway.auth.JwtValidatorOptions;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenExchangeOptions;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.auth.TokenValidators;
import dev.mcpgateway.auth.UpstreamCredentials;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.testing.OAuthServer;
import dev.mcpgateway.transport.SessionOptions;
import dev.mcpgateway.transport.http.server.FrontDoorAuth;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Upstream credentials end to end, over real HTTP on loopback: an MCP client with a bearer token at the gateway's
 * authenticating front door, an authorization server ({@link OAuthServer}), and two recording HTTP plugins. The
 * client-credentials plugin sees the gateway's own token; the token-exchange plugin sees, for the client's call, a
 * token issued to it whose subject is the client's; neither ever sees the client's token.
 */
@Timeout(60)
class UpstreamCredentialsThroughGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String GATEWAY_AUDIENCE = "https://gateway.example.test/mcp";
    private static final String SECRET = "gateway-secret";

    private OAuthServer oauth;
    private TestServer ccPlugin;
    private TestServer txPlugin;
    private TokenValidator validator;
    private McpGateway gateway;
    private McpServer server;
    private McpHttpServer door;
    /** How many tools/call the cc plugin still refuses with 401 (a revoked token). */
    private final AtomicInteger refuseCalls = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        oauth = OAuthServer.start().register("gateway", SECRET);
        ccPlugin = new TestServer();
        txPlugin = new TestServer();
        serve(ccPlugin);
        serve(txPlugin);
        gateway = McpGateway.builder()
                .config(GatewayConfig.builder().callTimeout(WAIT).sessionOptions(SessionOptions.defaults()
                        .withRestartBackoff(Duration.ofMillis(20), Duration.ofMillis(200))).build())
                .transport(new HttpTransport(HttpClientOptions.builder().requestTimeout(WAIT)
                        .closeTimeout(Duration.ofMillis(500)).build()))
                .build();
        UpstreamCredentials own = UpstreamCredentials.clientCredentials(ClientCredentialsOptions.builder()
                .tokenEndpoint(oauth.tokenEndpoint()).client("gateway", SECRET).audience("cc-plugin").build());
        gateway.addPlugin(plugin("cc", ccPlugin, own)).get(10, TimeUnit.SECONDS);
        UpstreamCredentials exchange = UpstreamCredentials.tokenExchange(TokenExchangeOptions.builder()
                .tokenEndpoint(oauth.tokenEndpoint()).client("gateway", SECRET).audience("tx-plugin")
                .forGatewayRequests(UpstreamCredentials.clientCredentials(ClientCredentialsOptions.builder()
                        .tokenEndpoint(oauth.tokenEndpoint()).client("gateway", SECRET).audience("tx-plugin").build()))
                .build());
        gateway.addPlugin(plugin("tx", txPlugin, exchange)).get(10, TimeUnit.SECONDS);
        validator = TokenValidators.jwt(JwtValidatorOptions.builder().issuer(oauth.issuer().toString())
                .audiences(GATEWAY_AUDIENCE).jwksUri(oauth.jwksUri()).build());
        server = McpServer.create(gateway);
        door = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(0)
                .auth(FrontDoorAuth.builder(validator).authorizationServer(oauth.issuer()).build()).build());
    }

    @AfterEach
    void tearDown() {
        door.close();
        server.close();
        gateway.close();
        validator.close();
        ccPlugin.close();
        txPlugin.close();
        oauth.close();
    }

    private static PluginManifest plugin(String name, TestServer at, UpstreamCredentials credentials) {
        return PluginManifest.builder(name).version("1.0.0")
                .transport(new TransportSpec.Http(at.uri("/mcp"), Map.of("X-Static", "kept"), credentials)).build();
    }

    /** A legacy Streamable HTTP plugin with one tool, {@code whoami}; requests are recorded by the server. */
    private void serve(TestServer plugin) {
        plugin.on("POST", "/mcp", (exchange, seen) -> {
            JsonRpcMessage message = JsonRpcCodec.INSTANCE.decode(seen.body());
            if (!(message instanceof JsonRpcRequest request)) {
                status(exchange, 202);
                return;
            }
            String result = switch (request.method()) {
                case "initialize" -> "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},"
                        + "\"serverInfo\":{\"name\":\"recording\",\"version\":\"1\"}}";
                case "tools/list" -> "{\"tools\":[{\"name\":\"whoami\",\"inputSchema\":{\"type\":\"object\"}}]}";
                case "tools/call" -> "{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}";
                case "ping" -> "{}";
                default -> null;
            };
            if ("tools/call".equals(request.method()) && plugin == ccPlugin && refuseCalls.getAndDecrement() > 0) {
                status(exchange, 401);
            } else if (result == null) {
                status(exchange, 400); // server/discover: a legacy server
            } else {
                json(exchange, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + request.id() + ",\"result\":" + result + "}");
            }
        });
    }

    private McpSyncClient client(String token) {
        return client(new AtomicReference<>(token));
    }

    /** A client sending whatever token {@code tokens} holds at each request, as one that refreshes its token. */
    private McpSyncClient client(AtomicReference<String> tokens) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + door.address().getPort()).endpoint("/mcp")
                .addHttpRequestCustomizer((request, method, uri, body, context) ->
                        request.header("Authorization", "Bearer " + tokens.get()))
                .build();
        return McpClient.sync(transport).requestTimeout(WAIT).build();
    }

    private String call(McpSyncClient client, String tool) {
        McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder().name(tool)
                .arguments(Map.of()).build());
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    private static String bearer(TestServer.Seen seen) {
        String header = seen.header("Authorization");
        assertNotNull(header, () -> "a request without Authorization: " + seen.body());
        assertTrue(header.startsWith("Bearer "), header);
        return header.substring("Bearer ".length());
    }

    private static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    private static List<TestServer.Seen> calls(TestServer plugin) {
        return plugin.requests("POST").stream().filter(seen -> seen.body().contains("\"tools/call\"")).toList();
    }

    private void assertNeverSeen(String clientToken) {
        for (TestServer plugin : List.of(ccPlugin, txPlugin)) {
            for (TestServer.Seen seen : plugin.requests()) {
                seen.headers().values().forEach(values -> values.forEach(value ->
                        assertFalse(value.contains(clientToken), "the client's token reached a plugin")));
                assertFalse(seen.body().contains(clientToken), "the client's token reached a plugin");
            }
        }
    }

    @Test
    void eachPluginSeesItsOwnTokenAndNeverTheClients() throws Exception {
        String clientToken = oauth.issue("alice", GATEWAY_AUDIENCE, "inspector", Duration.ofMinutes(10));
        McpSyncClient client = client(clientToken);
        try {
            client.initialize();
            assertEquals("ok", call(client, "cc__whoami"));
            assertEquals("ok", call(client, "tx__whoami"));
            assertEquals("ok", call(client, "tx__whoami"));
        } finally {
            client.closeGracefully();
        }

        for (TestServer.Seen seen : ccPlugin.requests("POST")) {
            JWTClaimsSet claims = claims(bearer(seen));
            assertEquals("gateway", claims.getSubject(), "the cc plugin sees the gateway's own token");
            assertEquals(List.of("cc-plugin"), claims.getAudience());
            assertEquals("kept", seen.header("X-Static"), "static headers stay");
        }
        List<TestServer.Seen> exchanged = calls(txPlugin);
        assertEquals(2, exchanged.size());
        JWTClaimsSet claims = claims(bearer(exchanged.getFirst()));
        assertEquals("alice", claims.getSubject(), "the exchanged token speaks for the client");
        assertEquals(List.of("tx-plugin"), claims.getAudience(), "and is good for this plugin only");
        assertEquals(Map.of("sub", "gateway"), claims.getJSONObjectClaim("act"));
        assertEquals(bearer(exchanged.getFirst()), bearer(exchanged.get(1)), "one exchange serves both calls");
        txPlugin.requests("POST").stream().filter(seen -> !exchanged.contains(seen)).forEach(seen -> {
            try {
                assertEquals("gateway", claims(bearer(seen)).getSubject(), "the gateway's own requests: its token");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertNeverSeen(clientToken);
    }

    @Test
    void aClientThatRefreshesItsTokenMidSessionHasTheNewOneExchanged() throws Exception {
        String first = oauth.issue("alice", GATEWAY_AUDIENCE, "inspector", Duration.ofMinutes(10));
        String second = oauth.issue("alice", GATEWAY_AUDIENCE, "inspector", Duration.ofMinutes(20));
        AtomicReference<String> tokens = new AtomicReference<>(first);
        McpSyncClient client = client(tokens);
        try {
            client.initialize();
            assertEquals("ok", call(client, "tx__whoami"));
            assertEquals(first, oauth.lastRequest().get("subject_token"));
            tokens.set(second);
            assertEquals("ok", call(client, "tx__whoami"));
            assertEquals(second, oauth.lastRequest().get("subject_token"), "the session's latest token was exchanged");
        } finally {
            client.closeGracefully();
        }
        assertNeverSeen(first);
        assertNeverSeen(second);
    }

    @Test
    void aStatelessEraRequestHasItsOwnTokenExchanged() throws Exception {
        String clientToken = oauth.issue("bob", GATEWAY_AUDIENCE, "inspector", Duration.ofMinutes(10));
        String body = """
                {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"tx__whoami","arguments":{},
                "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
                "io.modelcontextprotocol/clientCapabilities":{},
                "io.modelcontextprotocol/clientInfo":{"name":"stateless-test","version":"1.0"}}}}""";
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + door.address().getPort() + "/mcp"))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .header("Authorization", "Bearer " + clientToken).header("MCP-Protocol-Version", "2026-07-28")
                    .header("Mcp-Method", "tools/call").header("Mcp-Name", "tx__whoami")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"ok\""), answer.body());
        }
        JWTClaimsSet claims = claims(bearer(calls(txPlugin).getFirst()));
        assertEquals("bob", claims.getSubject());
        assertEquals(List.of("tx-plugin"), claims.getAudience());
        assertNeverSeen(clientToken);
    }

    @Test
    void theManagementApisInvokeHasItsCallersTokenExchanged() throws Exception {
        String withScope = oauth.issue("carol", GATEWAY_AUDIENCE, "ops-console", Duration.ofMinutes(10),
                "tools:invoke");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + door.address().getPort() + "/api/v1/tools/tx__whoami/invoke"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + withScope)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
        }
        JWTClaimsSet claims = claims(bearer(calls(txPlugin).getFirst()));
        assertEquals("carol", claims.getSubject(), "the caller's token was exchanged, not the gateway's own used");
        assertEquals(List.of("tx-plugin"), claims.getAudience());
        assertNeverSeen(withScope);
    }

    @Test
    void aTokenThePluginRefusesIsReplacedAndTheCallGoesOnceMore() throws Exception {
        String clientToken = oauth.issue("alice", GATEWAY_AUDIENCE, "inspector", Duration.ofMinutes(10));
        McpSyncClient client = client(clientToken);
        try {
            client.initialize();
            int tokensBefore = oauth.tokenRequests();
            refuseCalls.set(1);
            assertEquals("ok", call(client, "cc__whoami"));
            assertEquals(tokensBefore + 1, oauth.tokenRequests(), "a fresh token was obtained");
            List<TestServer.Seen> attempts = calls(ccPlugin);
            assertEquals(2, attempts.size());
            assertFalse(bearer(attempts.get(0)).equals(bearer(attempts.get(1))), "the retry carried the new token");
        } finally {
            client.closeGracefully();
        }
        assertNeverSeen(clientToken);
    }

    @Test
    void aTokenEndpointFailureFailsTheCallNamingThePluginAndTheError() throws Exception {
        String clientToken = oauth.issue("alice", GATEWAY_AUDIENCE, "inspector", Duration.ofMinutes(10));
        ToolCall call = ToolCall.of("tx__whoami", null).onBehalfOf(new Authenticated() {
            @Override
            public Principal principal() {
                return null;
            }

            @Override
            public String bearerToken() {
                return clientToken;
            }
        });
        oauth.failWith(400, "invalid_target", "tx-plugin is not a known audience");
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> gateway.callTool(call).get(10, TimeUnit.SECONDS));
        String message = failure.getCause().getMessage();
        assertTrue(message.contains("plugin 'tx' could not get an access token from " + oauth.tokenEndpoint()
                + ": HTTP 400 invalid_target (tx-plugin is not a known audience)"), message);
        assertFalse(message.contains(SECRET));
        assertTrue(calls(txPlugin).isEmpty(), "nothing was sent");
        oauth.recover();
        assertEquals("ok", gateway.callTool(call).get(10, TimeUnit.SECONDS).firstText(), "the next call tries again");
        assertNeverSeen(clientToken);
    }

    @Test
    void aCallWithoutAClientTokenIsRefusedForATokenExchangePlugin() {
        Authenticated anonymous = () -> null;
        ExecutionException failure = assertThrows(ExecutionException.class, () -> gateway.callTool(
                ToolCall.of("tx__whoami", null).onBehalfOf(anonymous)).get(10, TimeUnit.SECONDS));
        JsonRpcException rpc = assertInstanceOf(JsonRpcException.class, failure.getCause());
        assertTrue(rpc.getMessage().contains("plugin 'tx' uses token exchange and needs the client's token; this call"
                + " has none"), rpc.getMessage());
        assertTrue(calls(txPlugin).isEmpty(), "nothing was sent");
    }
}
