package dev.mcpgateway.examples.runner;

import dev.mcpgateway.RateLimits;
import dev.mcpgateway.routing.ToolPattern;
import java.util.List;

/**
 * The runner's {@code limits.rateLimits:} section ({@link RateLimits}): how fast each client, each tool, and each
 * client on each tool may call, as token buckets; every limit is off unless set.
 *
 * @param perClient        each client's rate over all tools
 * @param perTool          rates of the tools matching a pattern, shared by all clients; the first match applies
 * @param perClientPerTool each client's rate on each tool
 * @param maxBuckets       the most buckets kept at once, {@value RateLimits#DEFAULT_MAX_BUCKETS} by default
 */
public record RateLimitsConfig(Rate perClient, List<ToolRate> perTool, Rate perClientPerTool, Integer maxBuckets) {
    /** No limits. */
    public static final RateLimitsConfig NONE = new RateLimitsConfig(null, null, null, null);

    public RateLimitsConfig {
        perTool = List.copyOf(perTool == null ? List.of() : perTool);
        maxBuckets = maxBuckets == null ? RateLimits.DEFAULT_MAX_BUCKETS : maxBuckets;
        rateLimits(perClient, perTool, perClientPerTool, maxBuckets); // the library's checks, named where they failed
    }

    /** These limits as the gateway takes them. */
    public RateLimits rateLimits() {
        return rateLimits(perClient, perTool, perClientPerTool, maxBuckets);
    }

    private static RateLimits rateLimits(Rate perClient, List<ToolRate> perTool, Rate perClientPerTool,
                                         int maxBuckets) {
        RateLimits.Builder builder = RateLimits.builder().maxBuckets(maxBuckets);
        if (perClient != null) {
            builder.perClient(perClient.perSecond(), perClient.burst());
        }
        for (ToolRate tool : perTool) {
            builder.perTool(tool.match().toString(), tool.perSecond(), tool.burst());
        }
        if (perClientPerTool != null) {
            builder.perClientPerTool(perClientPerTool.perSecond(), perClientPerTool.burst());
        }
        return builder.build();
    }

    /**
     * A token bucket: {@code perSecond} calls a second in the long run, {@code burst} back to back.
     *
     * @param perSecond the long-run rate, above 0 (0.5: a call every two seconds)
     * @param burst     the calls allowed back to back, at least 1; {@code perSecond} rounded up by default
     */
    public record Rate(Double perSecond, Integer burst) {
        public Rate {
            if (perSecond == null) {
                throw new IllegalArgumentException("a rate needs perSecond, e.g. { perSecond: 10, burst: 20 }");
            }
            burst = burst == null ? (int) Math.max(1, Math.ceil(perSecond)) : burst;
        }
    }

    /**
     * The rate of the tools matching a pattern.
     *
     * @param match     the tools, such as {@code github/*}
     * @param perSecond the long-run rate, above 0
     * @param burst     the calls allowed back to back; {@code perSecond} rounded up by default
     */
    public record ToolRate(ToolPattern match, Double perSecond, Integer burst) {
        public ToolRate {
            if (match == null) {
                throw new IllegalArgumentException("a perTool rate needs match: the tools, such as 'github/*'");
            }
            if (perSecond == null) {
                throw new IllegalArgumentException("the perTool rate of '" + match + "' needs perSecond");
            }
            burst = burst == null ? (int) Math.max(1, Math.ceil(perSecond)) : burst;
        }
    }
}
