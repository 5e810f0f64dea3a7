package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.testing.JwksServer;
import dev.mcpgateway.testing.Tokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner with {@code AUTH_PROVIDER=oauth2} against a real JWKS endpoint on 127.0.0.1: the official SDK client is
 * served with a token and refused with 401 without one, the metadata names the configured issuer and audience; and
 * without authentication a non-loopback host is refused before anything starts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GatewayRunnerAuthTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final GatewayRunner.Options OPTIONS = new GatewayRunner.Options(false, WAIT, List.of());

    private final RSAKey key = Tokens.rsaKey("runner");
    private JwksServer jwks;
    private ClockPlugin clock;
    private GatewayRunner runner;

    @AfterEach
    void tearDown() {
        if (runner != null) {
            runner.close();
        }
        if (clock != null) {
            clock.close();
        }
        if (jwks != null) {
            jwks.close();
        }
    }

    @Test
    void oauth2FromTheSeedKeysServesTokensOnly() throws Exception {
        jwks = new JwksServer(new JWKSet(key));
        clock = ClockPlugin.start("127.0.0.1", 0);
        RunnerConfig config = ConfigLoader.fromEnvironment(Map.of("GATEWAY_PORT", "0", "AUTH_PROVIDER", "oauth2",
                        "AUTH_ISSUER", Tokens.ISSUER, "AUTH_AUDIENCE", Tokens.AUDIENCE,
                        "AUTH_JWKS_URL", jwks.uri().toString(), "AUTH_SCOPES", "mcp:use"))
                .withPlugins(List.of(RunnerConfig.Plugin.http("clock", clock.endpoint(), Map.of())));
        runner = GatewayRunner.start(config, OPTIONS);

        Instant now = Instant.now();
        String token = Tokens.sign(key, Tokens.claims().issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600))).claim("scope", "mcp:use").build());
        McpSyncClient client = client(token);
        try {
            client.initialize();
            assertTrue(client.listTools().tools().stream().map(McpSchema.Tool::name).toList().contains("clock__add"));
        } finally {
            client.closeGracefully();
        }

        McpSyncClient anonymous = client(null);
        try {
            RuntimeException refused = assertThrows(RuntimeException.class, anonymous::initialize);
            assertEquals(401, authorizationError(refused).getResponseInfo().statusCode());
        } finally {
            anonymous.closeGracefully();
        }

        try (HttpClient http = HttpClient.newHttpClient()) {
            URI metadataUri = URI.create("http://" + runner.endpoint().getAuthority()
                    + "/.well-known/oauth-protected-resource/mcp");
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(metadataUri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode metadata = Json.mapper().readTree(answer.body());
            assertEquals(Tokens.AUDIENCE, metadata.path("resource").asText());
            assertEquals(Tokens.ISSUER, metadata.path("authorization_servers").path(0).asText());
            assertEquals("mcp:use", metadata.path("scopes_supported").path(0).asText());
        }
    }

    @Test
    void withoutAuthANonLoopbackHostIsRefusedBeforeAnythingStarts() {
        RunnerConfig open = RunnerConfig.defaults().withServer(RunnerConfig.Server.at("0.0.0.0", 0));
        ConfigException refused = assertThrows(ConfigException.class, () -> GatewayRunner.start(open, OPTIONS));
        assertTrue(refused.getMessage().startsWith("server.host 0.0.0.0 is not a loopback address"),
                refused.getMessage());
        assertEquals(List.of(), ProcessHandle.current().children().toList());
    }

    private McpSyncClient client(String token) {
        HttpClientStreamableHttpTransport.Builder transport = HttpClientStreamableHttpTransport
                .builder("http://" + runner.endpoint().getAuthority()).endpoint(runner.endpoint().getPath());
        if (token != null) {
            transport.addHttpRequestCustomizer((request, method, uri, body, context) ->
                    request.header("Authorization", "Bearer " + token));
        }
        return McpClient.sync(transport.build()).requestTimeout(WAIT).initializationTimeout(WAIT).build();
    }

    private static McpHttpClientTransportAuthorizationException authorizationError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof McpHttpClientTransportAuthorizationException found) {
                return found;
            }
        }
        throw new AssertionError("no authorization error in the chain", error);
    }
}
