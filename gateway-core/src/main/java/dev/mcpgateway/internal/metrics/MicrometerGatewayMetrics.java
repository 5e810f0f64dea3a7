package dev.mcpgateway.internal.metrics;

import dev.mcpgateway.internal.pipeline.CallOutcome;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.metrics.MetricsOptions;
import dev.mcpgateway.metrics.PluginCallSummary;
import dev.mcpgateway.pipeline.CallInterceptor;
import dev.mcpgateway.routing.RoutingTable;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's metrics in the host's Micrometer registry: the tool-call timers ({@link ToolCallMeters}, the
 * outermost call interceptor) and the control plane's meters ({@link ControlPlaneMeters}, a listener), and the
 * per-plugin summary, read from the timers when asked (nothing on the hot path keeps it); and the meters the
 * gateway's parts record into themselves: probes, routing decisions, connection restarts and the MCP server's
 * operations, each handed to its part when the gateway is built (a gateway without a registry hands none).
 */
public final class MicrometerGatewayMetrics implements GatewayMetrics {
    private static final double[] SUMMARY_PERCENTILES = {0.5, 0.95, 0.99};

    private final MeterRegistry registry;
    private final MetricsOptions options;
    private final ToolCallMeters calls;
    private final ControlPlaneMeters controlPlane;
    private final ProbeMeters probes;
    private final RoutingMeters routing;
    private final RestartMeters restarts;
    private final ServerOperationMeters operations;

    /** Metrics of the gateway whose routing table in force {@code table} reads. */
    public MicrometerGatewayMetrics(MeterRegistry registry, MetricsOptions options, Supplier<RoutingTable> table) {
        this.registry = registry;
        this.options = options;
        this.calls = new ToolCallMeters(registry, options, table);
        this.controlPlane = new ControlPlaneMeters(registry, calls, table);
        this.probes = new ProbeMeters(registry, options.histogram());
        this.routing = new RoutingMeters(registry);
        this.restarts = new RestartMeters(registry);
        this.operations = new ServerOperationMeters(registry, options.histogram(), calls::toolTag);
    }

    /** The host's call interceptors behind the one that times every call, which must see what they refuse too. */
    public List<CallInterceptor> around(List<CallInterceptor> hostInterceptors) {
        List<CallInterceptor> all = new ArrayList<>();
        all.add(calls);
        all.addAll(hostInterceptors);
        return all;
    }

    /** The listener that keeps the control plane's meters. */
    public GatewayListener listener() {
        return controlPlane;
    }

    /** The timers of the active health probes. */
    public ProbeMeters probes() {
        return probes;
    }

    /** The timers of the router's decisions. */
    public RoutingMeters routing() {
        return routing;
    }

    /** The counters of plugin connection restarts. */
    public RestartMeters restarts() {
        return restarts;
    }

    /** The timers of the MCP server's operations (every server of this gateway records into them). */
    public ServerOperationMeters operations() {
        return operations;
    }

    /** How many tools have a tag of their own (for tests of the cap). */
    int toolTags() {
        return calls.toolTags();
    }

    @Override
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public MetricsOptions options() {
        return options;
    }

    @Override
    public List<PluginCallSummary> summary() {
        Map<String, List<Timer>> byPlugin = new TreeMap<>();
        for (Timer timer : registry.find(ToolCallMeters.NAME).timers()) {
            byPlugin.computeIfAbsent(timer.getId().getTag("plugin"), plugin -> new ArrayList<>()).add(timer);
        }
        List<PluginCallSummary> summary = new ArrayList<>();
        byPlugin.forEach((plugin, timers) -> {
            long count = 0;
            long errors = 0;
            for (Timer timer : timers) {
                count += timer.count();
                if (!CallOutcome.SUCCESS.tag().equals(timer.getId().getTag("outcome"))) {
                    errors += timer.count();
                }
            }
            Duration[] percentiles = percentiles(timers);
            summary.add(new PluginCallSummary(plugin, count, errors, controlPlane.inFlight(plugin), percentiles[0],
                    percentiles[1], percentiles[2]));
        });
        return summary;
    }

    /**
     * p50, p95 and p99 over the timers together, from their histogram buckets summed (every timer has the same
     * buckets): the upper bound of the bucket the percentile falls in, as Prometheus's {@code histogram_quantile}
     * would estimate it. Nulls without buckets or calls.
     */
    private static Duration[] percentiles(List<Timer> timers) {
        double[] bounds = null;
        double[] counts = null;
        for (Timer timer : timers) {
            CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
            if (bounds == null) {
                bounds = new double[buckets.length];
                counts = new double[buckets.length];
                for (int i = 0; i < buckets.length; i++) {
                    bounds[i] = buckets[i].bucket(TimeUnit.NANOSECONDS);
                }
            }
            for (int i = 0; i < Math.min(buckets.length, counts.length); i++) {
                counts[i] += buckets[i].count(); // cumulative: the calls at most this long
            }
        }
        Duration[] result = new Duration[SUMMARY_PERCENTILES.length];
        if (counts == null || counts.length == 0 || counts[counts.length - 1] == 0) {
            return result;
        }
        double total = counts[counts.length - 1];
        for (int p = 0; p < SUMMARY_PERCENTILES.length; p++) {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] >= SUMMARY_PERCENTILES[p] * total) {
                    result[p] = Duration.ofNanos((long) bounds[i]);
                    break;
                }
            }
        }
        return result;
    }
}
