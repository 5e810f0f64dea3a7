package dev.mcpgateway.examples.runner;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.metrics.MetricsOptions;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The runner's {@code metrics:} section: whether the gateway records its metrics (docs/METRICS.md) into a Prometheus
 * registry served at {@code GET /metrics} and summarized at {@code GET /api/v1/metrics}, and how many tools get a
 * series of their own. Takes effect on restart.
 *
 * @param enabled     whether metrics are recorded and served; true by default
 * @param maxToolTags the most tools tagged with their own name, the rest {@code other}; 1000 by default
 */
public record MetricsConfig(Boolean enabled, Integer maxToolTags) {
    /** The defaults: on, 1000 tool tags. */
    public static final MetricsConfig DEFAULT = new MetricsConfig(null, null);

    public MetricsConfig {
        enabled = enabled == null || enabled;
        maxToolTags = maxToolTags == null ? MetricsOptions.DEFAULT_MAX_TOOL_TAGS : maxToolTags;
        try {
            options(maxToolTags);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metrics: " + e.getMessage(), e);
        }
    }

    /** Gives the gateway a Prometheus registry to record into, when enabled. */
    McpGateway.Builder applyTo(McpGateway.Builder builder) {
        return enabled ? builder.meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .metricsOptions(options(maxToolTags)) : builder;
    }

    /** The front door's options serving the gateway's Prometheus registry at {@code /metrics}, when it has one. */
    static HttpFrontDoorOptions served(HttpFrontDoorOptions options, McpGateway gateway) {
        return gateway.metrics().map(metrics -> metrics.registry() instanceof PrometheusMeterRegistry prometheus
                ? options.toBuilder().metrics(prometheus::scrape).build() : options).orElse(options);
    }

    private static MetricsOptions options(int maxToolTags) {
        return MetricsOptions.builder().maxToolTags(maxToolTags).build();
    }
}
