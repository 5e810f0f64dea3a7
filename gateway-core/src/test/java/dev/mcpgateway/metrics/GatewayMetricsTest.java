package dev.mcpgateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.RateLimits;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.server.ClientLimits;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.server.SessionLimitException;
import dev.mcpgateway.testing.Await;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's metrics in a {@code SimpleMeterRegistry}: each call timed with its plugin, tool, instance and outcome,
 * the tool tag capped, the control plane's gauges and counters, the per-plugin summary, and nothing without a
 * registry.
 */
class GatewayMetricsTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private McpGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private McpGateway start(MetricsOptions options, GatewayConfig config) {
        gateway = McpGateway.builder().config(config).meterRegistry(meters).metricsOptions(options).build();
        return gateway;
    }

    private PluginInstance calc() {
        return gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds", (args, ctx) -> CallToolResult.text("3"))
                .tool("fail", "Fails as a tool", (args, ctx) -> CallToolResult.error("no"))
                .tool("broken", "Throws", (args, ctx) -> {
                    throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "bad arguments");
                })
                .build()).join();
    }

    /** Calls a tool by its plugin's name for it. */
    private java.util.concurrent.CompletableFuture<CallToolResult> call(String tool, com.fasterxml.jackson.databind.JsonNode args) {
        return gateway.callTool(exposed(tool), args);
    }

    private String exposed(String tool) {
        return gateway.listTools().stream().filter(t -> t.key().name().equals(tool)).findFirst().orElseThrow()
                .exposedName();
    }

    private double count(String tool, String outcome) {
        Timer timer = meters.find("mcp.tool.calls").tag("tool", tool.equals("other") ? tool : exposed(tool)).tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void eachCallIsTimedByPluginToolInstanceAndOutcome() {
        start(MetricsOptions.defaults(), GatewayConfig.defaults());
        PluginInstance calc = calc();
        call("add", Json.object()).join();
        call("add", Json.object()).join();
        call("fail", Json.object()).join();
        assertThrows(CompletionException.class, () -> call("broken", Json.object()).join());
        assertThrows(CompletionException.class, () -> gateway.callTool("nosuch", Json.object()).join());

        Timer add = meters.find("mcp.tool.calls").tags("plugin", "calc", "tool", exposed("add"), "instance", calc.id(),
                "outcome", "success").timer();
        assertNotNull(add, meters.getMetersAsString());
        assertEquals(2, add.count());
        assertEquals(1, count("fail", "tool_error"));
        assertEquals(1, count("broken", "protocol_error"));
        Timer unknown = meters.find("mcp.tool.calls").tags("plugin", "unknown", "tool", "other", "instance", "none",
                "outcome", "no_route").timer();
        assertNotNull(unknown, meters.getMetersAsString());
        assertEquals(1, unknown.count());

        PluginCallSummary summary = gateway.metrics().orElseThrow().summary().stream()
                .filter(s -> s.plugin().equals("calc")).findFirst().orElseThrow();
        assertEquals(4, summary.calls());
        assertEquals(2, summary.errors());
        assertEquals(0.5, summary.errorRate());
        assertEquals(0, summary.inFlight());
        // A SimpleMeterRegistry keeps no histogram buckets (it cannot aggregate them), so no percentiles; a
        // Prometheus registry does (McpHttpServerMetricsTest).
        assertNull(summary.p50());
    }

    @Test
    void aCallOverItsRateIsRejected() {
        start(MetricsOptions.defaults(), GatewayConfig.builder()
                .rateLimits(RateLimits.builder().perClient(0.001, 1).build()).build());
        calc();
        call("add", Json.object()).join();
        assertThrows(CompletionException.class, () -> call("add", Json.object()).join());
        assertEquals(1, count("add", "rejected"));
    }

    @Test
    void toolsBeyondTheCapShareOneTag() {
        start(MetricsOptions.builder().maxToolTags(10).build(), GatewayConfig.defaults());
        InProcessPlugin.Builder many = InProcessPlugin.builder("many");
        for (int i = 0; i < 2_000; i++) {
            many.tool("t" + i, "Tool " + i, (args, ctx) -> CallToolResult.text("ok"));
        }
        gateway.registerInProcess(many.build()).join();
        for (int i = 0; i < 2_000; i++) {
            call("t" + i, Json.object()).join();
        }
        for (int i = 0; i < 500; i++) {
            assertThrows(CompletionException.class, () -> gateway.callTool("made-up-" + Math.random(), Json.object())
                    .join());
        }
        long timers = meters.find("mcp.tool.calls").timers().size();
        assertEquals(10 + 1 + 1, timers, "10 tools, other, and the unknown names' no_route");
        assertEquals(2_000 - 10, count("other", "success"));
    }

    @Test
    void theControlPlaneIsMeasured() {
        start(MetricsOptions.defaults(), GatewayConfig.defaults());
        PluginInstance calc = calc();
        assertEquals(1, meters.get("mcp.gateway.instances").tags("plugin", "calc", "status", "up").gauge().value());
        assertEquals(1, meters.get("mcp.gateway.registrations").tags("plugin", "calc", "kind", "new").counter()
                .count());
        // The gauge follows the table from the control loop's snapshot, which a health transition may move on.
        Await.until("the version gauge shows the table in force", Duration.ofSeconds(10), () ->
                gateway.routingTable().version() == meters.get("mcp.gateway.routing.table.version").gauge().value());
        assertEquals(3, meters.get("mcp.gateway.routing.table.tools").gauge().value());
        assertEquals(0, meters.get("mcp.tool.calls.active").tag("plugin", "calc").gauge().value());

        call("add", Json.object()).join();
        gateway.registry().deregister(calc.id()).join();
        assertEquals(1, meters.get("mcp.gateway.deregistrations").tags("plugin", "calc", "reason", "deregistered")
                .counter().count());
        assertNull(meters.find("mcp.gateway.instances").tag("plugin", "calc").gauge(), "a gone plugin's gauges go");
        assertNull(meters.find("mcp.tool.calls").tag("instance", calc.id()).timer(), "a gone instance's series go");
    }

    @Test
    void theServerBindsItsSessionsAndRefusals() {
        start(MetricsOptions.defaults(), GatewayConfig.defaults());
        McpServer server = McpServer.create(gateway, ServerOptions.defaults()
                .withClientLimits(ClientLimits.defaults().withSessions(1, 1)));
        try {
            server.newSession("a");
            assertThrows(SessionLimitException.class, () -> server.newSession("b"));
            assertEquals(1, meters.get("mcp.gateway.sessions").tag("era", "uninitialized").gauge().value());
            assertEquals(1, meters.get("mcp.gateway.rejections").tag("limit", "maxSessions").functionCounter()
                    .count());
        } finally {
            server.close();
        }
        assertNull(meters.find("mcp.gateway.sessions").gauge(), "a closed server's gauges go");
    }

    @Test
    void withoutARegistryNothingIsRecorded() {
        gateway = McpGateway.builder().build();
        assertTrue(gateway.metrics().isEmpty());
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> MetricsOptions.builder().maxToolTags(0).build());
        assertThrows(IllegalArgumentException.class, () -> MetricsOptions.builder()
                .percentiles(java.util.List.of(1.5)).build());
    }
}
