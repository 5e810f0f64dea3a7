package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.plugin.PluginInstance;
import io.modelcontextprotocol.client.McpSyncClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps docs/grafana/mcp-gateway-dashboard.json honest: it is a dashboard Grafana imports anywhere (every query on
 * the {@code DS_PROMETHEUS} input), and every metric its queries name is one the runner exports, so renaming a
 * metric fails here, naming it, instead of leaving a panel silently empty.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "mcp-gateway-dashboard.json");
    private static final String DATASOURCE = "${DS_PROMETHEUS}";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * Two plugins so that one can leave (a deregistration) while the other keeps its gauges; one session at most;
     * probes often enough that one is timed before the scrape.
     */
    private static final String YAML = """
            health:
              interval: 200ms
            server:
              host: 127.0.0.1
              port: 0
              maxSessions: 1
              maxSessionsPerClient: 1
            plugins:
              - name: clock
                transport: http
                url: %1$s
              - name: spare
                transport: http
                url: %1$s
            """;

    // Strings, label matchers and ranges hold label names, values and durations, never a metric, so they are
    // emptied before looking for names; a grouping's parentheses hold label names too.
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** Grafana's label_values(metric, label): the label is no metric. */
    private static final Pattern VALUES_OF = Pattern.compile("(label_values\\([^,]*),\\s*\\w+\\s*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    /** A name not followed by "(" (that is a function call); not inside a number such as 0.95 or 1e3. */
    private static final Pattern NAME = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "group_left",
            "group_right", "inf", "nan");
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    private final HttpClient http = HttpClient.newHttpClient();

    /** The metric names a PromQL expression (or a Grafana label_values query) reads. */
    static Set<String> metricNames(String expr) {
        String bare = STRING.matcher(expr).replaceAll("\"\"");
        bare = MATCHERS.matcher(bare).replaceAll("{}");
        bare = RANGE.matcher(bare).replaceAll("[]");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        bare = VALUES_OF.matcher(bare).replaceAll("$1)");
        bare = VARIABLE.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(bare);
        while (name.find()) {
            if (!KEYWORDS.contains(name.group(1).toLowerCase())) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    /** The names of these series that no sample of the scrape carries, each with the family it would belong to. */
    static List<String> missing(Set<String> used, String scrape) {
        Set<String> exported = new TreeSet<>();
        Matcher sample = SAMPLE.matcher(scrape);
        while (sample.find()) {
            exported.add(sample.group(1));
        }
        List<String> missing = new ArrayList<>();
        for (String name : used) {
            if (!exported.contains(name)) {
                missing.add(name + " (family " + name.replaceFirst("_(bucket|count|sum|total|max)$", "") + ")");
            }
        }
        return missing;
    }

    private static JsonNode dashboard() throws Exception {
        return Json.mapper().readTree(Files.readString(DASHBOARD));
    }

    /** Every query of the dashboard: its panels' targets and its template variables'. */
    private static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> queries.add(target.path("expr").asText())));
        dashboard.path("templating").path("list")
                .forEach(variable -> queries.add(variable.path("query").path("query").asText()));
        return queries;
    }

    @Test
    void theTokenizerFindsMetricsAndNotFunctionsLabelsOrVariables() {
        assertEquals(Set.of("mcp_tool_calls_seconds_bucket"), metricNames("histogram_quantile(0.95, sum by (le, "
                + "plugin) (rate(mcp_tool_calls_seconds_bucket{plugin=~\"$plugin\", le!=\"1e3\"}"
                + "[$__rate_interval])))"));
        assertEquals(Set.of("a_total", "b_count"), metricNames("sum without (x) (increase(a_total[5m])) / on (y) "
                + "group_left b_count > bool 1e3 and b_count offset 5m"));
        assertEquals(Set.of("mcp_gateway_routing_table_version"),
                metricNames("label_values(mcp_gateway_routing_table_version{job=~\"$job\"}, instance)"));
    }

    @Test
    void aRenamedMetricIsNamed() {
        String scrape = "# TYPE mcp_tool_calls_seconds histogram\nmcp_tool_calls_seconds_bucket{le=\"+Inf\"} 1\n"
                + "mcp_gateway_sessions_now{era=\"legacy\"} 1\n";
        assertEquals(List.of("mcp_gateway_sessions (family mcp_gateway_sessions)"),
                missing(Set.of("mcp_tool_calls_seconds_bucket", "mcp_gateway_sessions"), scrape));
    }

    @Test
    void itImportsAnywhere() throws Exception {
        JsonNode dashboard = dashboard();
        assertTrue(dashboard.path("schemaVersion").asInt() >= 39, "schemaVersion of Grafana 11 or later");
        JsonNode input = dashboard.path("__inputs").get(0);
        assertEquals("DS_PROMETHEUS", input.path("name").asText());
        assertEquals("prometheus", input.path("pluginId").asText());
        assertFalse(dashboard.path("panels").isEmpty());
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertTrue(ids.add(panel.path("id").asInt()), "unique id: " + title);
            assertTrue(panel.path("gridPos").has("w") && panel.path("gridPos").has("h"), "gridPos: " + title);
            assertEquals(DATASOURCE, panel.path("datasource").path("uid").asText(), title);
            assertFalse(panel.path("targets").isEmpty(), "targets: " + title);
            for (JsonNode target : panel.path("targets")) {
                assertEquals(DATASOURCE, target.path("datasource").path("uid").asText(), title);
                assertFalse(metricNames(target.path("expr").asText()).isEmpty(), "a metric in " + title);
            }
        }
        Set<String> variables = new TreeSet<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            variables.add(variable.path("name").asText());
            assertEquals(DATASOURCE, variable.path("datasource").path("uid").asText(), variable.toString());
        }
        assertTrue(variables.containsAll(Set.of("plugin", "instance")), variables.toString());
    }

    @Test
    void everyMetricItQueriesIsExported() throws Exception {
        Set<String> used = new TreeSet<>();
        queries(dashboard()).forEach(query -> used.addAll(metricNames(query)));
        assertTrue(used.contains("mcp_tool_calls_seconds_bucket"), used.toString());

        try (ClockPlugin clock = ClockPlugin.start("127.0.0.1", 0);
             GatewayRunner runner = GatewayRunner.start(ConfigLoader.parse("gateway.yaml", YAML.formatted(
                     clock.endpoint()), Map.of()), new GatewayRunner.Options(false, WAIT, List.of()))) {
            String base = "http://" + runner.endpoint().getAuthority();
            // The spare plugin's instance leaves (a deregistration) before the client's session starts, which it
            // would otherwise tell that the tools changed.
            PluginInstance spare = runner.gateway().registry().instances().stream()
                    .filter(instance -> instance.pluginName().equals("spare")).findFirst().orElseThrow();
            runner.gateway().registry().deregister(spare.id()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            McpSyncClient client = GatewayRunnerMetricsTest.clientAfterThreeCalls(runner);
            try {
                // A second session is over maxSessions: a rejection.
                assertNotEquals(200, initialize(URI.create(base + runner.endpoint().getPath())).statusCode());
                // The control plane counts its events on its own loop, so the last may be scraped a moment later;
                // a metric the runner does not export stays missing until the deadline, and is named.
                long deadline = System.nanoTime() + WAIT.toNanos();
                List<String> missing = missing(used, get(base + "/metrics"));
                while (!missing.isEmpty() && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    missing = missing(used, get(base + "/metrics"));
                }
                assertEquals(List.of(), missing, "metrics the dashboard queries that /metrics does not export");
            } finally {
                client.closeGracefully();
            }
        }
    }

    private String get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> initialize(URI mcp) throws Exception {
        String body = """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
                "capabilities":{},"clientInfo":{"name":"second","version":"1"}}}""";
        return http.send(HttpRequest.newBuilder(mcp).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
