package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.jsonrpc.Json;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner's metrics end to end: tool calls through the real front door over loopback, then {@code /metrics}
 * scraped in Prometheus's text format and {@code /api/v1/metrics} read, their series and values asserted; and
 * {@code metrics.enabled: false} serving none.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GatewayRunnerMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final GatewayRunner.Options OPTIONS = new GatewayRunner.Options(false, WAIT, List.of());

    private final HttpClient http = HttpClient.newHttpClient();
    /** What a test started, closed last first. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private GatewayRunner runner;

    @AfterEach
    void closeAll() throws Exception {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }

    private String start(MetricsConfig metrics) {
        ClockPlugin clock = ClockPlugin.start("127.0.0.1", 0);
        started.push(clock);
        RunnerConfig defaults = RunnerConfig.defaults().withServer(RunnerConfig.Server.at("127.0.0.1", 0))
                .withPlugins(List.of(RunnerConfig.Plugin.http("clock", clock.endpoint(), Map.of())));
        runner = GatewayRunner.start(defaults.withMetrics(metrics), OPTIONS);
        started.push(runner);
        return "http://" + runner.endpoint().getAuthority();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the one series of this metric whose labels include all of these. */
    private static double value(String scrape, String metric, String... labels) {
        Matcher lines = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)} (\\S+)$").matcher(scrape);
        while (lines.find()) {
            List<String> have = List.of(lines.group(1).split(","));
            if (have.containsAll(List.of(labels))) {
                return Double.parseDouble(lines.group(2));
            }
        }
        throw new AssertionError("no " + metric + " with " + List.of(labels) + " in:\n" + scrape);
    }

    /**
     * An MCP client of the runner, in a session, that called {@code clock__add} three times through the front door
     * (so the call series exist); the caller closes it.
     */
    static McpSyncClient clientAfterThreeCalls(GatewayRunner runner) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
                        .builder("http://" + runner.endpoint().getAuthority()).endpoint(runner.endpoint().getPath())
                        .build())
                .requestTimeout(WAIT).initializationTimeout(WAIT).build();
        try {
            client.initialize();
            for (int i = 0; i < 3; i++) {
                client.callTool(McpSchema.CallToolRequest.builder("clock__add").arguments(Map.of("a", 2, "b", i))
                        .build());
            }
            return client;
        } catch (RuntimeException e) {
            client.closeGracefully();
            throw e;
        }
    }

    @Test
    void callsThroughTheFrontDoorAreScrapedAndSummarized() throws Exception {
        String base = start(MetricsConfig.DEFAULT);
        McpSyncClient client = clientAfterThreeCalls(runner);
        try {
            HttpResponse<String> reply = get(base + "/metrics");
            assertEquals(200, reply.statusCode());
            assertTrue(reply.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
            String scrape = reply.body();
            String[] success = {"plugin=\"clock\"", "tool=\"clock__add\"", "outcome=\"success\""};
            assertEquals(3, value(scrape, "mcp_tool_calls_seconds_count", success));
            assertTrue(value(scrape, "mcp_tool_calls_seconds_sum", success) > 0);
            assertEquals(3, value(scrape, "mcp_tool_calls_seconds_bucket", "plugin=\"clock\"", "tool=\"clock__add\"",
                    "outcome=\"success\"", "le=\"+Inf\""));
            assertEquals(1, value(scrape, "mcp_gateway_instances", "plugin=\"clock\"", "status=\"up\""));
            assertEquals(1, value(scrape, "mcp_gateway_instances_health", "plugin=\"clock\"", "health=\"healthy\""));
            assertEquals(0, value(scrape, "mcp_tool_calls_active", "plugin=\"clock\""));
            assertEquals(1, value(scrape, "mcp_gateway_registrations_total", "plugin=\"clock\"", "kind=\"new\""));
            assertEquals(1, value(scrape, "mcp_gateway_sessions", "era=\"legacy\""));
            assertTrue(scrape.contains("\nmcp_gateway_routing_table_version "), scrape);

            JsonNode summary = Json.mapper().readTree(get(base + "/api/v1/metrics").body()).path("plugins").get(0);
            assertEquals("clock", summary.path("plugin").asText());
            assertEquals(3, summary.path("calls").asLong());
            assertEquals(0, summary.path("errorRate").asDouble());
            double p50 = summary.path("p50Seconds").asDouble();
            assertTrue(p50 > 0 && p50 <= summary.path("p99Seconds").asDouble(), summary.toString());
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void disabledMetricsAreNeitherRecordedNorServed() throws Exception {
        String base = start(new MetricsConfig(false, null));
        assertFalse(runner.gateway().metrics().isPresent());
        assertEquals(404, get(base + "/metrics").statusCode());
        assertEquals(404, get(base + "/api/v1/metrics").statusCode());
    }
}
