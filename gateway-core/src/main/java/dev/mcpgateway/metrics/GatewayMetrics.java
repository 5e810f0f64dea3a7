package dev.mcpgateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The metrics a gateway records into its host's {@link MeterRegistry} (see {@code docs/METRICS.md} for every meter),
 * and a per-plugin summary of its tool calls for front doors that show one. A gateway built without a registry has
 * none: it then records nothing and costs nothing.
 */
public interface GatewayMetrics {
    /** The registry the gateway records into: the host's. */
    MeterRegistry registry();

    /** The options it records with. */
    MetricsOptions options();

    /** Each plugin's calls, errors, calls in flight and latency percentiles, by plugin name. */
    List<PluginCallSummary> summary();
}
