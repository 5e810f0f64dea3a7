package dev.mcpgateway.benchmarks.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.http.HttpTransport;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProbeCounterTest {

    @Test
    void countsTheProbesOfTheGatewaysOwnMonitorOverRealHttpPluginsAndNothingElse() {
        ProbeCounter counter = new ProbeCounter();
        try (ProbeTargets targets = ProbeTargets.http(1);
             McpGateway gateway = McpGateway.builder()
                     .config(GatewayConfig.builder().healthChecks(HealthCheckOptions.builder()
                             .interval(Duration.ofMillis(50)).timeout(Duration.ofMillis(45)).build()).build())
                     .transport(counter.counting(new HttpTransport())).build()) {
            gateway.addPlugin(PluginManifest.builder("target")
                    .transport(TransportSpec.Http.of(targets.endpoints().get(0).toString())).build(), 2).join();
            gateway.callTool("target__echo", Json.object()).join();

            Await.until("the monitor probed a few times", Duration.ofSeconds(10), () -> counter.snapshot().sent() >= 6);

            ProbeCounter.Window probes = counter.snapshot();
            assertEquals(Set.of("server/discover"), probes.methods(),
                    "the targets speak 2026-07-28; tool calls and listings are not counted");
            assertEquals(probes.sent(), probes.latencyNanos().getTotalCount() + probes.failed());
            counter.reset();
            assertEquals(0, counter.snapshot().latencyNanos().getTotalCount());
        }
    }
}
