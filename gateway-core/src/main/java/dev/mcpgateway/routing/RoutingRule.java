package dev.mcpgateway.routing;

import dev.mcpgateway.balancer.LoadBalancer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where the calls to a set of tools go: tools matching {@link #tools()} (e.g. {@code filesystem/*}) are sent
 * to the instances of its targets, traffic split between targets by weight (canaries, blue/green, label-
 * selected clusters). Rules are tried in configuration order; the first whose pattern matches a tool applies.
 *
 * @param name         a name for logs and errors
 * @param tools        which tools the rule governs
 * @param targets      where their calls go, at least one, with a positive total weight
 * @param loadBalancer how to choose among a target's instances, or null for the gateway's default
 */
public record RoutingRule(String name, ToolPattern tools, List<RouteTarget> targets, LoadBalancer loadBalancer) {
    public RoutingRule {
        Objects.requireNonNull(tools, "tools");
        name = name == null || name.isBlank() ? tools.toString() : name;
        targets = List.copyOf(targets == null ? List.of() : targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("routing rule '" + name + "' has no targets; add at least one, e.g. "
                    + "RouteTarget.all()");
        }
        long total = 0;
        for (RouteTarget target : targets) {
            total += target.weight();
        }
        if (total == 0) {
            throw new IllegalArgumentException("routing rule '" + name + "': all target weights are 0; give at least one"
                    + " target a positive weight");
        }
    }

    /**
     * Checks that the rules of one list have distinct names, as the gateway's rules must (its API and config reload
     * find a rule by name).
     *
     * @throws IllegalArgumentException naming the first name used twice
     */
    public static void requireDistinctNames(List<RoutingRule> rules) {
        Set<String> names = new HashSet<>();
        for (RoutingRule rule : rules) {
            if (!names.add(rule.name())) {
                throw new IllegalArgumentException("two routing rules are named '" + rule.name()
                        + "'; give each rule a distinct name");
            }
        }
    }

    /** Starts a rule for the tools matching a pattern such as {@code "browser/*"} or {@code "github/create_*"}. */
    public static Builder forTools(String pattern) {
        return new Builder(ToolPattern.parse(pattern));
    }

    /** Builds a {@link RoutingRule}. */
    public static final class Builder {
        private final ToolPattern tools;
        private String name;
        private final List<RouteTarget> targets = new ArrayList<>();
        private LoadBalancer loadBalancer;

        private Builder(ToolPattern tools) {
            this.tools = tools;
        }

        /** Names the rule (defaults to its pattern). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Adds a target. */
        public Builder target(RouteTarget target) {
            targets.add(Objects.requireNonNull(target, "target"));
            return this;
        }

        /** Balances the rule's calls with this strategy instead of the gateway's default. */
        public Builder loadBalancer(LoadBalancer balancer) {
            this.loadBalancer = balancer;
            return this;
        }

        /** The rule; fails with what is wrong if it is incomplete. */
        public RoutingRule build() {
            return new RoutingRule(name, tools, targets, loadBalancer);
        }
    }
}
