package dev.mcpgateway.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the gateway records its metrics into the host's {@code MeterRegistry} ({@code McpGateway.Builder.meterRegistry}):
 * how many tools get a series of their own, and which latency distribution the tool-call timer publishes.
 *
 * @param maxToolTags the most distinct tools whose calls are tagged with their own name; calls of every tool beyond
 *                    them, and of names no plugin serves, are tagged {@code tool="other"}, so the number of series
 *                    stays bounded however many tools are registered; the MCP server's timer tags the same tools
 *                    ({@code gen_ai.tool.name})
 * @param percentiles the client-side percentiles of the tool-call timer (e.g. 0.5, 0.95, 0.99); empty for none
 * @param histogram   whether the tool-call timer publishes histogram buckets (Prometheus {@code _bucket}), which the
 *                    JSON summary's percentiles are estimated from; and whether the probe and MCP server timers
 *                    publish theirs (fourteen fixed boundaries from 10 ms to 300 s)
 */
public record MetricsOptions(int maxToolTags, List<Double> percentiles, boolean histogram) {
    /** The default {@link #maxToolTags()}. */
    public static final int DEFAULT_MAX_TOOL_TAGS = 1000;
    /** The default {@link #percentiles()}: median, p95, p99. */
    public static final List<Double> DEFAULT_PERCENTILES = List.of(0.5, 0.95, 0.99);

    public MetricsOptions {
        if (maxToolTags < 1) {
            throw new IllegalArgumentException("MetricsOptions.maxToolTags must be at least 1, got " + maxToolTags);
        }
        percentiles = List.copyOf(Objects.requireNonNull(percentiles, "percentiles"));
        for (double p : percentiles) {
            if (!(p > 0 && p < 1)) {
                throw new IllegalArgumentException("MetricsOptions.percentiles must lie between 0 and 1 (exclusive),"
                        + " e.g. 0.95; got " + p);
            }
        }
    }

    /** 1000 tool tags, p50/p95/p99 and histogram buckets. */
    public static MetricsOptions defaults() {
        return builder().build();
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link MetricsOptions}. */
    public static final class Builder {
        private int maxToolTags = DEFAULT_MAX_TOOL_TAGS;
        private final List<Double> percentiles = new ArrayList<>(DEFAULT_PERCENTILES);
        private boolean histogram = true;

        private Builder() {
        }

        /** See {@link MetricsOptions#maxToolTags()}. */
        public Builder maxToolTags(int tags) {
            this.maxToolTags = tags;
            return this;
        }

        /** See {@link MetricsOptions#percentiles()}; replaces the defaults. */
        public Builder percentiles(List<Double> values) {
            percentiles.clear();
            percentiles.addAll(values);
            return this;
        }

        /** See {@link MetricsOptions#histogram()}. */
        public Builder histogram(boolean enabled) {
            this.histogram = enabled;
            return this;
        }

        /** The options; fails with an {@link IllegalArgumentException} saying which value is wrong. */
        public MetricsOptions build() {
            return new MetricsOptions(maxToolTags, percentiles, histogram);
        }
    }
}
