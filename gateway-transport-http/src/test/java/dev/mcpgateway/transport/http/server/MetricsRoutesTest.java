package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.McpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics routes over real HTTP on loopback: {@code /metrics} serves the host's scrape as text, and
 * {@code /api/v1/metrics} the per-plugin summary of the calls made through the front door; both {@code 404} saying
 * how to turn them on when the host gave no metrics.
 */
class MetricsRoutesTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private McpGateway gateway;
    private McpServer server;
    private McpHttpServer front;

    @AfterEach
    void close() {
        front.close();
        server.close();
        gateway.close();
    }

    private String start(McpGateway.Builder builder, HttpFrontDoorOptions.Builder options) throws Exception {
        gateway = builder.build();
        gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds", (args, ctx) -> CallToolResult.text("3"))
                .tool("fail", "Fails", (args, ctx) -> CallToolResult.error("no"))
                .build()).join();
        server = McpServer.create(gateway);
        front = McpHttpServer.start(server, options.port(0).build());
        return "http://127.0.0.1:" + front.address().getPort();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private void invoke(String base, String tool) throws Exception {
        String exposed = gateway.listTools().stream().filter(t -> t.key().name().equals(tool)).findFirst()
                .orElseThrow().exposedName();
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tools/" + exposed
                        + "/invoke")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"arguments\":{}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), reply.body());
    }

    @Test
    void theScrapeAndTheSummaryAreServed() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        String base = start(McpGateway.builder().meterRegistry(meters),
                HttpFrontDoorOptions.builder().metrics(meters::getMetersAsString));
        invoke(base, "add");
        invoke(base, "add");
        invoke(base, "add");
        invoke(base, "fail");

        HttpResponse<String> scrape = get(base + "/metrics");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        assertTrue(scrape.body().contains("mcp.tool.calls"), scrape.body());
        assertTrue(scrape.body().contains("outcome='tool_error'"), scrape.body());

        HttpResponse<String> summary = get(base + "/api/v1/metrics");
        assertEquals(200, summary.statusCode(), summary.body());
        JsonNode calc = Json.mapper().readTree(summary.body()).path("plugins").get(0);
        assertEquals("calc", calc.path("plugin").asText());
        assertEquals(4, calc.path("calls").asLong());
        assertEquals(1, calc.path("errors").asLong());
        assertEquals(0.25, calc.path("errorRate").asDouble());
        assertEquals(0, calc.path("inFlight").asInt());
        assertTrue(calc.has("p99Seconds"));
    }

    @Test
    void withoutMetricsBothSayHowToTurnThemOn() throws Exception {
        String base = start(McpGateway.builder(), HttpFrontDoorOptions.builder());
        HttpResponse<String> scrape = get(base + "/metrics");
        assertEquals(404, scrape.statusCode());
        assertTrue(scrape.body().contains("HttpFrontDoorOptions.Builder.metrics"), scrape.body());
        HttpResponse<String> summary = get(base + "/api/v1/metrics");
        assertEquals(404, summary.statusCode());
        assertTrue(summary.body().contains("McpGateway.Builder.meterRegistry"), summary.body());
    }
}
