package dev.mcpgateway;

import dev.mcpgateway.routing.ToolPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How fast clients may call tools, as token buckets, so one chatty client or one hot tool cannot take the gateway's
 * (or a plugin's) whole capacity: a bucket holds up to {@code burst} tokens, refills at {@code perSecond}, and a call
 * takes one token from every bucket that applies to it; a call that finds one empty is refused at once (before it is
 * routed, so it costs nothing upstream) with {@code RATE_LIMITED} (-32008), whose message names the limit and whose
 * {@code data.retryAfterSeconds} says when a token will be there. Every limit is off by default: a gateway embedded
 * in a trusted host should not refuse calls it was not asked to refuse.
 *
 * <p>A client is the {@code Principal} of the call (issuer and subject) when its front door authenticates, else the
 * MCP session it came through. A 2026-07-28 client that does not authenticate has no session (each request is
 * stateless): it is who its front door knows it as, over HTTP its address (the key {@code maxSessionsPerClient} counts
 * legacy sessions by), so clients behind one proxy or NAT share its limits. Calls known by none of these (a host
 * calling {@code McpGateway.callTool} directly, or {@code McpServer.statelessSession()} without a client) share one
 * anonymous bucket.
 *
 * @param perClient        each client's rate, over all tools; null (the default) for no limit
 * @param perTool          rates of tools by pattern: the first rule whose pattern matches a tool applies, and each
 *                         tool it matches gets a bucket of its own, shared by every client; empty (the default) for
 *                         none
 * @param perClientPerTool each client's rate on each tool; null (the default) for no limit
 * @param maxBuckets       how many buckets are kept at most; beyond it the idle (full again) ones go first, then the
 *                         oldest, so memory stays bounded whatever number of clients (default 10,000)
 */
public record RateLimits(Rate perClient, List<ToolRate> perTool, Rate perClientPerTool, int maxBuckets) {
    /** The default cap on buckets kept: some hundred bytes each, a few megabytes at most. */
    public static final int DEFAULT_MAX_BUCKETS = 10_000;

    public RateLimits {
        perTool = List.copyOf(Objects.requireNonNull(perTool, "perTool: use an empty list for no per-tool limits"));
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets must be at least 1 (default " + DEFAULT_MAX_BUCKETS
                    + "), got " + maxBuckets);
        }
    }

    /** No limit at all (the default). */
    public static RateLimits none() {
        return new RateLimits(null, List.of(), null, DEFAULT_MAX_BUCKETS);
    }

    /** A builder starting from {@link #none()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether any limit is set; without one the gateway adds no interceptor. */
    public boolean enabled() {
        return perClient != null || !perTool.isEmpty() || perClientPerTool != null;
    }

    /** The rule that applies to a tool ({@code namespace/name}), or null when none does. */
    public ToolRate ruleFor(String namespace, String toolName) {
        for (ToolRate rule : perTool) {
            if (rule.tools().matches(namespace, toolName)) {
                return rule;
            }
        }
        return null;
    }

    /**
     * A token bucket's size and refill.
     *
     * @param perSecond tokens added per second (above 0; 0.5 is one call every two seconds)
     * @param burst     tokens the bucket holds at most, and holds at first: calls allowed back to back (at least 1)
     */
    public record Rate(double perSecond, int burst) {
        public Rate {
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("perSecond must be a finite number above 0 (0.5: a call every two"
                        + " seconds), got " + perSecond);
            }
            if (burst < 1) {
                throw new IllegalArgumentException("burst must be at least 1 (the calls allowed back to back), got "
                        + burst);
            }
        }

        @Override
        public String toString() {
            return perSecond + "/s (burst " + burst + ")";
        }
    }

    /**
     * The rate of the tools a pattern matches.
     *
     * @param tools the tools, e.g. {@code github/*} or {@code github/create_issue}
     * @param rate  each matching tool's rate
     */
    public record ToolRate(ToolPattern tools, Rate rate) {
        public ToolRate {
            Objects.requireNonNull(tools, "tools: e.g. ToolPattern.parse(\"github/*\")");
            Objects.requireNonNull(rate, "rate");
        }
    }

    /** Builds {@link RateLimits}; validated once, by {@link #build()} and the records it makes. */
    public static final class Builder {
        private Rate perClient;
        private final List<ToolRate> perTool = new ArrayList<>();
        private Rate perClientPerTool;
        private int maxBuckets = DEFAULT_MAX_BUCKETS;

        private Builder() {
        }

        /** Each client's calls over all tools: {@code perSecond} sustained, {@code burst} back to back. */
        public Builder perClient(double perSecond, int burst) {
            this.perClient = new Rate(perSecond, burst);
            return this;
        }

        /**
         * Each tool matching {@code pattern} ({@code github/*}, {@code github/create_issue}): its calls from all
         * clients together. Rules are tried in the order added; the first match applies.
         */
        public Builder perTool(String pattern, double perSecond, int burst) {
            perTool.add(new ToolRate(ToolPattern.parse(pattern), new Rate(perSecond, burst)));
            return this;
        }

        /** Each client's calls of each tool. */
        public Builder perClientPerTool(double perSecond, int burst) {
            this.perClientPerTool = new Rate(perSecond, burst);
            return this;
        }

        /** How many buckets are kept at most (default 10,000). */
        public Builder maxBuckets(int max) {
            this.maxBuckets = max;
            return this;
        }

        public RateLimits build() {
            return new RateLimits(perClient, perTool, perClientPerTool, maxBuckets);
        }
    }
}
