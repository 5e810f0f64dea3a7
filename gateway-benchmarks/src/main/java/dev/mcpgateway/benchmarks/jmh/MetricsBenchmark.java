package dev.mcpgateway.benchmarks.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.metrics.MetricsOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What metrics cost a tool call through the pipeline: an in-process tool called through {@code McpGateway.callTool},
 * rotating over 100 tools, with no registry ({@code off}), or recording into the Prometheus registry the runner
 * serves ({@code prometheus}: timer with p50/p95/p99 and histogram buckets, the default {@link MetricsOptions}). The
 * difference is the metrics interceptor: its per-call record, the meters' look-up, and the recording.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsBenchmark {
    static final int TOOLS = 100;

    @Param({"off", "prometheus"})
    public String metrics;

    McpGateway gateway;
    String[] tools;
    ObjectNode arguments;
    private int next;

    @Setup(Level.Trial)
    public void start() {
        McpGateway.Builder builder = McpGateway.builder();
        switch (metrics) {
            case "off" -> {
            }
            case "prometheus" -> builder.meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            default -> throw new IllegalArgumentException("metrics must be 'off' or 'prometheus', got '" + metrics
                    + "'");
        }
        gateway = builder.build();
        Fleet.registerAll(gateway, List.of(Fleet.plugin(Fleet.pluginName(0), "1.0.0", TOOLS)));
        tools = gateway.listTools().stream().map(tool -> tool.exposedName()).toArray(String[]::new);
        arguments = Json.object();
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
    }

    /** One call of the next tool of the rotation. */
    @Benchmark
    public CallToolResult call() {
        int i = next;
        next = i + 1 == tools.length ? 0 : i + 1;
        return gateway.callTool(tools[i], arguments).join();
    }
}
