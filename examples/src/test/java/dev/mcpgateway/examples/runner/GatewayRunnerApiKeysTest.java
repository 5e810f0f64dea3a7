package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.auth.ApiKeys;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.testing.IntrospectionServer;
import dev.mcpgateway.testing.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner with API keys and with token introspection, started from a YAML file and called over real HTTP on
 * 127.0.0.1: a key made by {@code mcp-gateway apikey} is accepted on the MCP endpoint and the management API as far
 * as its scopes go, a wrong one gets 401; an introspected token is accepted beside keys, which never reach the
 * introspection endpoint.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GatewayRunnerApiKeysTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final GatewayRunner.Options OPTIONS = new GatewayRunner.Options(false, WAIT, List.of());
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
             "capabilities":{},"clientInfo":{"name":"apikey-test","version":"1.0.0"}}}""";

    @TempDir
    Path dir;
    // HTTP/1.1: the JDK client's default h2c upgrade of a POST that is refused before its body is read can end in a
    // stream reset instead of the 401 under load; what is tested here is which keys are accepted, not the upgrade.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private GatewayRunner runner;
    private IntrospectionServer introspection;

    @AfterEach
    void tearDown() {
        if (runner != null) {
            runner.close();
        }
        if (introspection != null) {
            introspection.close();
        }
        http.close();
    }

    /** What {@code apikey} printed: the key, and the YAML entry to paste. */
    private record Made(String key, String hash, String entry) {
    }

    private static Made apikey(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ApiKeyCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> keys = lines.stream().filter(line -> line.startsWith(ApiKeys.PREFIX)).toList();
        assertEquals(1, keys.size(), "the key is printed once: " + lines);
        String entry = String.join("\n", lines.subList(lines.indexOf("") + 1, lines.size())) + "\n";
        String hash = lines.stream().filter(line -> line.strip().startsWith("sha256: ")).findFirst().orElseThrow()
                .strip().substring("sha256: ".length());
        return new Made(keys.getFirst(), hash, entry);
    }

    @Test
    void theApikeyCommandsKeyIsAcceptedByAGatewayConfiguredWithItsEntry() throws Exception {
        Made reader = apikey("--name", "ci-deploy", "--scopes", "mcp:use gateway:read");
        Made user = apikey("--name", "chat-bot", "--scopes", "mcp:use");
        assertEquals(ApiKeys.sha256Hex(reader.key()), reader.hash(), "the printed hash is the printed key's");
        assertFalse(reader.entry().contains(reader.key()), "the entry holds the hash only");
        runner = start("""
                server: { port: 0 }
                plugins: []
                auth:
                  provider: apikeys
                  scopes: [mcp:use]
                  apiKeys:
                """ + reader.entry() + user.entry());

        assertEquals(200, post("mcp", INITIALIZE, reader.key()).statusCode());
        assertEquals(200, post("mcp", INITIALIZE, user.key()).statusCode());
        HttpResponse<String> summary = get("api/v1/gateway", reader.key());
        assertEquals(200, summary.statusCode(), summary.body());
        assertEquals(403, get("api/v1/gateway", user.key()).statusCode(), "without gateway:read");

        HttpResponse<String> wrong = post("mcp", INITIALIZE, ApiKeys.generate());
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
        assertEquals(401, get("api/v1/gateway", reader.key().substring(0, 20)).statusCode());
        assertEquals(401, post("mcp", INITIALIZE, null).statusCode());

        JsonNode metadata = Json.mapper().readTree(get(".well-known/oauth-protected-resource/mcp", null).body());
        assertFalse(metadata.has("authorization_servers"), "API keys come from no authorization server: " + metadata);
    }

    @Test
    void introspectedTokensAndApiKeysServeSideBySide() throws Exception {
        introspection = new IntrospectionServer();
        introspection.answer("opaque-token-of-alice", "{\"active\":true,\"iss\":\"" + Tokens.ISSUER + "\",\"aud\":\""
                + Tokens.AUDIENCE + "\",\"sub\":\"alice\",\"scope\":\"gateway:read\",\"exp\":"
                + Instant.now().plusSeconds(600).getEpochSecond() + "}");
        Made machine = apikey("--name", "ci", "--scopes", "gateway:read");
        runner = start("""
                server: { port: 0 }
                plugins: []
                auth:
                  provider: introspection
                  issuer: %s
                  audience: %s
                  introspectionUrl: %s
                  clientId: mcp-gateway
                  clientSecret: ${INTROSPECTION_SECRET}
                  apiKeys:
                """.formatted(Tokens.ISSUER, Tokens.AUDIENCE, introspection.uri()) + machine.entry());

        assertEquals(200, get("api/v1/gateway", "opaque-token-of-alice").statusCode());
        assertTrue(introspection.lastAuthorization().startsWith("Basic "), "the gateway authenticates itself");
        assertEquals(401, get("api/v1/gateway", "opaque-token-of-mallory").statusCode());
        int calls = introspection.calls();
        assertEquals(200, get("api/v1/gateway", machine.key()).statusCode());
        assertEquals(401, get("api/v1/gateway", ApiKeys.generate()).statusCode());
        assertEquals(calls, introspection.calls(), "API keys are never sent to the introspection endpoint");

        JsonNode metadata = Json.mapper().readTree(get(".well-known/oauth-protected-resource/mcp", null).body());
        assertEquals(Tokens.ISSUER, metadata.path("authorization_servers").path(0).asText());
    }

    private GatewayRunner start(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.yaml"), yaml);
        return GatewayRunner.start(file, Map.of("INTROSPECTION_SECRET", "s3cret"), OPTIONS);
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = request(path, token).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + runner.endpoint().getAuthority()
                + "/" + path)).timeout(WAIT);
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }
}
