package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.InvalidTokenException;
import dev.mcpgateway.auth.JwtValidatorOptions;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.auth.TokenValidators;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.testing.NodePeer;
import dev.mcpgateway.testing.OAuthServer;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official TypeScript SDKs' own authorization flow against the gateway, with nothing handed to them but client
 * credentials: the first request is refused with 401, the SDK follows {@code resource_metadata} to the gateway's
 * protected-resource metadata (RFC 9728), accepts its {@code resource} for the URL it connects to, discovers the
 * authorization server it names (RFC 8414), asks it for a token for that resource (RFC 8707), and is served with
 * that token. Proves the metadata and the challenge are what the SDK's flow expects, for
 * both SDK generations.
 */
@Timeout(120)
class SdkAuthFlowTest {
    private static final String SCOPE = "mcp:use";
    private OAuthServer authorizationServer;
    private TokenValidator validator;
    private McpGateway gateway;
    private McpServer server;
    private McpHttpServer door;

    @BeforeEach
    void setUp() throws Exception {
        authorizationServer = OAuthServer.start().register("sdk-app", "sdk-secret");
        gateway = McpGateway.builder().build();
        gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds a and b", (args, ctx) ->
                        CallToolResult.text(Integer.toString(args.path("a").asInt() + args.path("b").asInt())))
                .build()).join();
        server = McpServer.create(gateway);
        // The audience is the endpoint's own URL, known once the port is: the front door asks this lazily.
        TokenValidator[] started = new TokenValidator[1];
        TokenValidator late = new TokenValidator() {
            @Override
            public Principal validate(String bearerToken) throws InvalidTokenException {
                return started[0].validate(bearerToken);
            }

            @Override
            public void close() {
            }
        };
        door = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(0)
                .auth(FrontDoorAuth.builder(late).authorizationServer(authorizationServer.issuer())
                        .requiredScopes(Set.of(SCOPE)).build()).build());
        validator = TokenValidators.jwt(JwtValidatorOptions.builder().issuer(authorizationServer.issuer().toString())
                .audiences(endpoint().toString()).jwksUri(authorizationServer.jwksUri()).build());
        started[0] = validator;
    }

    @AfterEach
    void tearDown() {
        door.close();
        server.close();
        gateway.close();
        validator.close();
        authorizationServer.close();
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + door.address().getPort() + "/mcp");
    }

    @Test
    void bothSdkGenerationsGetTheirOwnTokenFromWhatTheGatewayAdvertises() {
        for (boolean modern : List.of(false, true)) {
            int requests = authorizationServer.tokenRequests();
            try (NodePeer client = modern ? NodePeer.v2Client(endpoint()) : NodePeer.v1Client(endpoint())) {
                ObjectNode connect = NodePeer.op("connect").put("url", endpoint().toString());
                connect.putObject("oauth").put("clientId", "sdk-app").put("clientSecret", "sdk-secret")
                        .put("expectedIssuer", authorizationServer.issuer().toString())
                        // A client-credentials client asks for the scopes it is configured with (the SDKs do not
                        // take them from the challenge for this grant): the ones the gateway advertises.
                        .put("scope", SCOPE);
                JsonNode connected = client.call(connect);
                String sdk = connected.path("sdk").asText();
                assertEquals(modern ? "2026-07-28" : "2025-11-25", connected.path("protocolVersion").asText(sdk),
                        connected.toString());
                JsonNode tools = client.call(NodePeer.op("listTools"));
                assertEquals("calc__add", tools.path("tools").path(0).path("name").asText(), tools.toString());
                ObjectNode add = NodePeer.op("callTool").put("name", "calc__add");
                add.putObject("arguments").put("a", 2).put("b", 3);
                assertEquals("5", client.call(add).path("content").path(0).path("text").asText(), sdk);
            }
            assertEquals(requests + 1, authorizationServer.tokenRequests(), "one token for the whole session");
            assertEquals("client_credentials", authorizationServer.lastRequest().get("grant_type"));
            assertEquals(endpoint().toString(), authorizationServer.lastRequest().get("resource"),
                    "the resource the metadata names (RFC 8707)");
            assertTrue(authorizationServer.lastRequest().getOrDefault("scope", "").contains(SCOPE),
                    "the scope the metadata advertises: " + authorizationServer.lastRequest());
        }
    }
}
