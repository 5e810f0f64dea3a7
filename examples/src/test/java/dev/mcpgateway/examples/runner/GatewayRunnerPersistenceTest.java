package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.persistence.testing.TestPostgres;
import dev.mcpgateway.persistence.testing.TestRedis;
import dev.mcpgateway.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner with the seed's {@code POSTGRES_*} keys against a real PostgreSQL (the machine's, else an embedded one):
 * a plugin registered over the management API is kept, and a runner started again with the same settings serves it
 * before it reports ready, without the plugin registering again; an unreachable database stops the start in one line.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GatewayRunnerPersistenceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final GatewayRunner.Options OPTIONS = new GatewayRunner.Options(false, WAIT, List.of());

    private static Map<String, String> env(TestPostgres.Schema schema) {
        TestPostgres.Server server = schema.server();
        Map<String, String> env = new HashMap<>(Map.of("GATEWAY_PORT", "0", "POSTGRES_HOST", server.host(),
                "POSTGRES_PORT", Integer.toString(server.port()), "POSTGRES_DB", server.database(),
                "POSTGRES_USER", server.user(), "POSTGRES_SCHEMA", schema.name()));
        if (server.password() != null) {
            env.put("POSTGRES_PASSWORD", server.password());
        }
        return env;
    }

    private static HttpResponse<String> send(HttpClient http, GatewayRunner runner, String method, String path,
                                             String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + runner.endpoint().getAuthority()
                + path)).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRegistrationOutlivesTheRunnerAndIsServedAgainBeforeReady() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.newSchema();
             ClockPlugin clock = ClockPlugin.start("127.0.0.1", 0); HttpClient http = HttpClient.newHttpClient()) {
            Map<String, String> env = env(schema);
            String manifest = "{\"instanceId\":\"clock-api-1\",\"name\":\"clock\",\"version\":\"1.0.0\","
                    + "\"transport\":{\"type\":\"http\",\"url\":\"" + clock.endpoint() + "\"}}";
            try (GatewayRunner first = GatewayRunner.start(ConfigLoader.fromEnvironment(env), OPTIONS)) {
                HttpResponse<String> registered = send(http, first, "POST", "/api/v1/plugins", manifest);
                assertTrue(registered.statusCode() == 201 || registered.statusCode() == 202, registered.body());
            }
            try (GatewayRunner second = GatewayRunner.start(ConfigLoader.fromEnvironment(env), OPTIONS)) {
                HttpResponse<String> plugin = send(http, second, "GET", "/api/v1/plugins/clock-api-1", null);
                assertEquals(200, plugin.statusCode(), "kept across the restart: " + plugin.body());
                JsonNode instance = Json.mapper().readTree(plugin.body());
                assertEquals("API", instance.path("source").asText(), instance.toString());
                Await.until("the restored clock's tools", WAIT, () -> second.tools().contains("clock__now"));
                HttpResponse<String> gone = send(http, second, "DELETE", "/api/v1/plugins/clock-api-1", null);
                assertEquals(200, gone.statusCode(), gone.body());
            }
            try (GatewayRunner third = GatewayRunner.start(ConfigLoader.fromEnvironment(env), OPTIONS)) {
                assertEquals(404, send(http, third, "GET", "/api/v1/plugins/clock-api-1", null).statusCode(),
                        "a deregistration is kept too");
            }
        }
    }

    @Test
    void anUnreachableDatabaseStopsTheStartInOneLine() {
        Map<String, String> env = Map.of("GATEWAY_PORT", "0", "POSTGRES_HOST", "127.0.0.1", "POSTGRES_PORT", "1",
                "POSTGRES_PASSWORD", "s3cret-password");
        ConfigException refused = assertThrows(ConfigException.class,
                () -> GatewayRunner.start(ConfigLoader.fromEnvironment(env), OPTIONS));
        assertTrue(refused.getMessage().startsWith("cannot start: "), refused.getMessage());
        assertTrue(refused.getMessage().contains("POSTGRES_HOST"), refused.getMessage());
        assertFalse(refused.getMessage().contains("s3cret-password"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
    }

    @Test
    void withPostgresAndRedisSetTwoRunnersAreOneGatewayForRegistrationsAndSessions() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.newSchema();
             ClockPlugin clock = ClockPlugin.start("127.0.0.1", 0); HttpClient http = HttpClient.newHttpClient()) {
            TestRedis.Server redis = TestRedis.server();
            Map<String, String> env = env(schema);
            env.put("REDIS_HOST", redis.host());
            env.put("REDIS_PORT", Integer.toString(redis.port()));
            if (redis.password() != null) {
                env.put("REDIS_PASSWORD", redis.password());
            }
            try (GatewayRunner a = GatewayRunner.start(ConfigLoader.fromEnvironment(env), OPTIONS);
                 GatewayRunner b = GatewayRunner.start(ConfigLoader.fromEnvironment(env), OPTIONS)) {
                String manifest = "{\"instanceId\":\"clock-api-1\",\"name\":\"clock\",\"version\":\"1.0.0\","
                        + "\"transport\":{\"type\":\"http\",\"url\":\"" + clock.endpoint() + "\"}}";
                HttpResponse<String> registered = send(http, a, "POST", "/api/v1/plugins", manifest);
                assertTrue(registered.statusCode() == 201 || registered.statusCode() == 202, registered.body());
                Await.until("B routes the clock A registered", WAIT, () -> b.tools().contains("clock__now"));

                HttpRequest.Builder initialize = HttpRequest.newBuilder(URI.create("http://"
                        + a.endpoint().getAuthority() + "/mcp")).header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
                                + "\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":"
                                + "{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}"));
                String session = http.send(initialize.build(), HttpResponse.BodyHandlers.ofString()).headers()
                        .firstValue("Mcp-Session-Id").orElseThrow();
                HttpResponse<String> onB = http.send(HttpRequest.newBuilder(URI.create("http://"
                        + b.endpoint().getAuthority() + "/mcp")).header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream").header("Mcp-Session-Id", session)
                        .header("MCP-Protocol-Version", "2025-11-25")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":"
                                + "\"tools/call\",\"params\":{\"name\":\"clock__add\",\"arguments\":{\"a\":2,\"b\":3}}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, onB.statusCode(), "the session A began is served by B: " + onB.body());
                assertFalse(onB.body().contains("\"error\""), onB.body());
            }
        }
    }

    @Test
    void redisWithoutPostgresStopsTheStartSayingWhatToSet() {
        ConfigException refused = assertThrows(ConfigException.class, () -> ConfigLoader.fromEnvironment(
                Map.of("GATEWAY_PORT", "0", "REDIS_HOST", "127.0.0.1")));
        assertTrue(refused.getMessage().contains("set POSTGRES_HOST too, or unset REDIS_HOST"), refused.getMessage());
    }
}
