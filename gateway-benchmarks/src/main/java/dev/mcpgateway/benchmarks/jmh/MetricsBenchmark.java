package dev.mcpgateway.benchmarks.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.metrics.MetricsOptions;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
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
 * What observing a tool call costs through the pipeline: an in-process tool called through {@code McpGateway.callTool},
 * rotating over 100 tools, with no registry ({@code off}), recording into the Prometheus registry the runner serves
 * ({@code prometheus}: timer with p50/p95/p99 and histogram buckets, the default {@link MetricsOptions}), or reporting
 * each call as two OpenTelemetry spans through Micrometer Tracing, every one sampled and ended, none exported
 * ({@code tracing}: what the observations, the tracer and the propagation cost, not an exporter's network).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsBenchmark {
    static final int TOOLS = 100;

    @Param({"off", "prometheus", "tracing"})
    public String metrics;

    McpGateway gateway;
    private SdkTracerProvider tracerProvider;
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
            case "tracing" -> {
                tracerProvider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).build();
                builder.observationRegistry(tracing(tracerProvider));
            }
            default -> throw new IllegalArgumentException("metrics must be 'off', 'prometheus' or 'tracing', got '"
                    + metrics + "'");
        }
        gateway = builder.build();
        Fleet.registerAll(gateway, List.of(Fleet.plugin(Fleet.pluginName(0), "1.0.0", TOOLS)));
        tools = gateway.listTools().stream().map(tool -> tool.exposedName()).toArray(String[]::new);
        arguments = Json.object();
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
        if (tracerProvider != null) {
            tracerProvider.close();
        }
    }

    /**
     * An observation registry bridged to a tracer of {@code tracerProvider} (the load tool's feature-cost run uses it
     * too): with a provider that samples every span and exports none, what tracing costs the gateway itself.
     */
    public static ObservationRegistry tracing(SdkTracerProvider tracerProvider) {
        io.opentelemetry.api.trace.Tracer otel = tracerProvider.get("benchmark");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        OtelTracer tracer = new OtelTracer(otel, current, event -> { },
                new OtelBaggageManager(current, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(
                ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
        return registry;
    }

    /** One call of the next tool of the rotation. */
    @Benchmark
    public CallToolResult call() {
        int i = next;
        next = i + 1 == tools.length ? 0 : i + 1;
        return gateway.callTool(tools[i], arguments).join();
    }
}
