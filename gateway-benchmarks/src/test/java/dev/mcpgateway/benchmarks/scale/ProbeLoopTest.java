package dev.mcpgateway.benchmarks.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.http.HttpTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProbeLoopTest {
    private static final Duration INTERVAL = Duration.ofMillis(20);

    @Test
    void probesEveryInstanceOncePerRoundAndCountsFailures() {
        List<String> instances = IntStream.range(0, 23).mapToObj(i -> "i" + i).toList();
        List<String> probed = new ArrayList<>();

        ProbeLoop.Result result = ProbeLoop.run(instances, id -> {
            probed.add(id);
            if (id.equals("i3")) {
                throw new IllegalStateException("cannot send");
            }
            return id.endsWith("7") ? CompletableFuture.failedFuture(new IllegalStateException("down"))
                    : CompletableFuture.completedFuture(id);
        }, INTERVAL, 4);

        assertEquals(92, result.sent());
        assertEquals(4 * 3, result.failed(), "i3 throws, i7 and i17 fail, in each of 4 rounds");
        assertEquals(80, result.succeeded());
        assertEquals(80, result.latencyNanos().getTotalCount());
        for (String instance : instances) {
            assertEquals(4, probed.stream().filter(instance::equals).count(), instance);
        }
    }

    @Test
    void probesRealHttpPluginsThroughTheGateway() {
        try (ProbeTargets targets = ProbeTargets.http(2);
             McpGateway gateway = McpGateway.builder().transport(new HttpTransport()).build()) {
            List<String> ids = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                PluginManifest manifest = PluginManifest.builder("target" + k)
                        .transport(TransportSpec.Http.of(targets.endpoints().get(k).toString())).build();
                gateway.addPlugin(manifest, 2).join().stream().map(PluginInstance::id).forEach(ids::add);
            }
            ids.add("nobody");
            String method = HealthOverhead.probeMethod(gateway, ids.get(0));

            ProbeLoop.Result result = ProbeLoop.run(ids,
                    id -> gateway.forward(id, method, null, CallOptions.timeout(Duration.ofSeconds(5))), INTERVAL, 3);

            assertEquals(15, result.sent());
            assertEquals(12, result.succeeded());
            assertEquals(3, result.failed(), "the unregistered instance fails every round");
        }
    }
}
