package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.testing.JwksServer;
import dev.mcpgateway.testing.Tokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner's {@code access:} and {@code virtualServers:} sections from YAML: over real HTTP on loopback, with the
 * official Java SDK client, a token sees only the tools its scopes grant, and a virtual server's endpoint serves its
 * curated, renamed subset; bad entries are refused with the file, the line and what to write.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GatewayRunnerAccessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String YAML = """
            server:
              port: 0
            auth:
              provider: oauth2
              issuer: %s
              audience: %s
              jwksUrl: %s
            plugins:
              - name: clock
                transport: http
                url: %s
            access:
              rules:
                - deny: "clock/sleep_ms"
                  claim: { groups: interns }
                - allow: "clock/*"
                  scope: clock
                - allow: "*"
                  grantedByScopes: "tools:"
            virtualServers:
              - name: time
                include: ["clock/now"]
                overrides:
                  clock/now: { name: what_time, description: "The time now" }
            """;

    private final RSAKey key = Tokens.rsaKey("access");

    private String token(String scope, Map<String, Object> claims) {
        Instant now = Instant.now();
        var claimSet = Tokens.claims().issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .claim("scope", scope);
        claims.forEach(claimSet::claim);
        return Tokens.sign(key, claimSet.build());
    }

    private static List<String> tools(GatewayRunner runner, String path, String token) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
                .builder("http://" + runner.endpoint().getAuthority()).endpoint(path)
                .httpRequestCustomizer((request, method, uri, body, context) ->
                        request.header("Authorization", "Bearer " + token)).build())
                .requestTimeout(WAIT).initializationTimeout(WAIT).build();
        try {
            client.initialize();
            return client.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList();
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void tokensSeeWhatTheRulesGrantAndVirtualServersTheirSubset() throws Exception {
        try (JwksServer jwks = new JwksServer(new JWKSet(key)); ClockPlugin clock = ClockPlugin.start("127.0.0.1", 0);
             GatewayRunner runner = GatewayRunner.start(ConfigLoader.parse("gateway.yaml", YAML.formatted(
                     Tokens.ISSUER, Tokens.AUDIENCE, jwks.uri(), clock.endpoint()), Map.of()),
                     new GatewayRunner.Options(false, WAIT, List.of()))) {
            String mcp = runner.endpoint().getPath();
            assertEquals(List.of("clock__add", "clock__now", "clock__sleep_ms"),
                    tools(runner, mcp, token("clock", Map.of())));
            assertEquals(List.of("clock__add", "clock__now"), tools(runner, mcp, token("clock",
                    Map.of("groups", List.of("interns")))), "the deny rule is read first");
            assertEquals(List.of("clock__now"), tools(runner, mcp, token("tools:clock/now", Map.of())));
            assertEquals(List.of(), tools(runner, mcp, token("other", Map.of())), "what no rule allows is denied");
            assertEquals(List.of("what_time"), tools(runner, mcp + "/time", token("clock", Map.of())));
            assertTrue(runner.banner().contains("virtual server time: " + runner.endpoint() + "/time"),
                    runner.banner());
        }
    }

    @Test
    void badEntriesAreRefusedWithTheLineAndWhatToWrite() {
        String noCondition = """
                access:
                  rules:
                    - allow: "github/*"
                """;
        ConfigException refused = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("gateway.yaml", noCondition, Map.of()));
        assertTrue(refused.getMessage().contains("gateway.yaml") && refused.getMessage().contains("line 3")
                && refused.getMessage().contains("exactly one condition"), refused.getMessage());
        String badName = """
                virtualServers:
                  - name: Team A
                    include: ["*"]
                """;
        refused = assertThrows(ConfigException.class, () -> ConfigLoader.parse("gateway.yaml", badName, Map.of()));
        assertTrue(refused.getMessage().contains("lower-case"), refused.getMessage());
        String twice = """
                virtualServers:
                  - name: ops
                    include: ["*"]
                  - name: ops
                    include: ["clock/*"]
                """;
        refused = assertThrows(ConfigException.class, () -> ConfigLoader.parse("gateway.yaml", twice, Map.of()));
        assertTrue(refused.getMessage().contains("ops"), refused.getMessage());
        String unknownKey = """
                access:
                  rules:
                    - allow: "*"
                      anyone: true
                      team: x
                """;
        refused = assertThrows(ConfigException.class, () -> ConfigLoader.parse("gateway.yaml", unknownKey, Map.of()));
        assertTrue(refused.getMessage().contains("team"), refused.getMessage());
    }
}
