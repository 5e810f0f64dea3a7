package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.metrics.PluginCallSummary;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The metrics routes: {@code GET /metrics}, the host's scrape in Prometheus's text format (the host owns the
 * Prometheus library; this module only serves its text), and {@code GET /api/v1/metrics}, the gateway's per-plugin
 * summary as JSON. Each answers {@code 404} saying how to turn it on when there is nothing to serve.
 */
final class MetricsRoutes {
    /** Prometheus's text exposition format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final McpGateway gateway;
    private final Supplier<String> scrape;

    /** The routes of the gateway's metrics; {@code scrape} is null when the host serves none. */
    MetricsRoutes(McpGateway gateway, Supplier<String> scrape) {
        this.gateway = gateway;
        this.scrape = scrape;
    }

    RouteReply scrape() {
        if (scrape == null) {
            return Problem.of(404, "This gateway serves no metrics at /metrics; the host gives it a scrape with"
                    + " HttpFrontDoorOptions.Builder.metrics (the runner: metrics.enabled)");
        }
        return RouteReply.text(200, PROMETHEUS_TEXT, scrape.get());
    }

    RouteReply summary() {
        GatewayMetrics metrics = gateway.metrics().orElse(null);
        if (metrics == null) {
            return Problem.of(404, "This gateway records no metrics; the host gives it a registry with"
                    + " McpGateway.Builder.meterRegistry (the runner: metrics.enabled)");
        }
        ObjectNode body = Json.object();
        ArrayNode plugins = body.putArray("plugins");
        for (PluginCallSummary plugin : metrics.summary()) {
            ObjectNode json = plugins.addObject().put("plugin", plugin.plugin()).put("calls", plugin.calls())
                    .put("errors", plugin.errors()).put("errorRate", plugin.errorRate())
                    .put("inFlight", plugin.inFlight());
            seconds(json, "p50Seconds", plugin.p50());
            seconds(json, "p95Seconds", plugin.p95());
            seconds(json, "p99Seconds", plugin.p99());
        }
        return RouteReply.json(200, body);
    }

    private static void seconds(ObjectNode json, String field, Duration value) {
        if (value == null) {
            json.putNull(field);
        } else {
            json.put(field, value.toNanos() / 1e9);
        }
    }
}
