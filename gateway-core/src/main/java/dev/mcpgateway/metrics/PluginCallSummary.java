package dev.mcpgateway.metrics;

import java.time.Duration;

/**
 * One plugin's tool calls as the metrics saw them since they began (counts) and as its latency histogram stands
 * (percentiles): what the management API's {@code GET /api/v1/metrics} shows operators without a Prometheus server.
 *
 * @param plugin    the plugin's name ({@code unknown} for calls of names no plugin serves)
 * @param calls     the calls finished, whatever their outcome
 * @param errors    the calls whose outcome was not {@code success} (tool errors included)
 * @param inFlight  the calls in flight on the plugin's instances now
 * @param p50       the median latency, estimated from the histogram buckets; null without histograms or calls
 * @param p95       the 95th percentile, likewise
 * @param p99       the 99th percentile, likewise
 */
public record PluginCallSummary(String plugin, long calls, long errors, int inFlight, Duration p50, Duration p95,
                                Duration p99) {
    /** The share of calls that failed, 0 without calls. */
    public double errorRate() {
        return calls == 0 ? 0 : (double) errors / calls;
    }
}
