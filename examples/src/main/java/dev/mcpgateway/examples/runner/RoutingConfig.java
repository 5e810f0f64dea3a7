package dev.mcpgateway.examples.runner;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.routing.LabelSelector;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.ToolPattern;
import dev.mcpgateway.routing.VersionConstraint;
import java.util.List;
import java.util.Locale;

/**
 * The runner's {@code routing:} section: how calls are spread over a plugin's instances, the names clients see, and
 * rules sending some tools' calls to chosen versions or labelled instances (canaries, blue/green). Patterns, version
 * constraints and label selectors are read by the library's own parsers ({@link ToolPattern#parse},
 * {@link VersionConstraint#parse}, {@link LabelSelector#parse}), so they mean in YAML what they mean in Java.
 *
 * @param loadBalancer one of {@link LoadBalancer#NAMES}, {@code round-robin} by default
 * @param toolNaming   the names tools are exposed under, one of {@link ToolNaming#NAMES}, {@code namespaced} by default
 * @param rules        routing rules, tried in order; the first whose {@code match} covers a tool governs it
 */
public record RoutingConfig(String loadBalancer, ToolNaming toolNaming, List<Rule> rules) {
    /** Round-robin, namespaced names, no rules. */
    public static final RoutingConfig DEFAULT = new RoutingConfig(null, null, null);

    public RoutingConfig {
        loadBalancer = loadBalancer == null ? "round-robin" : loadBalancer.strip().toLowerCase(Locale.ROOT);
        if (!LoadBalancer.NAMES.contains(loadBalancer)) {
            throw new IllegalArgumentException("unknown loadBalancer '" + loadBalancer + "'; use one of "
                    + String.join(", ", LoadBalancer.NAMES));
        }
        toolNaming = toolNaming == null ? ToolNaming.namespaced() : toolNaming;
        rules = List.copyOf(rules == null ? List.of() : rules);
        DuplicateNameException.requireDistinct(rules, Rule::name, "routing rules", "give each rule a distinct name");
    }

    /** Puts the section into a gateway configuration. */
    void applyTo(GatewayConfig.Builder builder) {
        builder.loadBalancer(LoadBalancer.byName(loadBalancer)).toolNaming(toolNaming);
        rules.forEach(rule -> builder.routingRule(rule.routingRule()));
    }

    /**
     * One routing rule ({@link RoutingRule}).
     *
     * @param name         a name for logs and errors, the {@code match} pattern by default
     * @param match        the tools it governs, such as {@code weather/*} or {@code github/create_*}
     * @param loadBalancer how to choose among a target's instances, the section's {@code loadBalancer} by default
     * @param targets      where the calls go, traffic split by weight
     */
    public record Rule(String name, ToolPattern match, LoadBalancer loadBalancer, List<Target> targets) {
        public Rule {
            if (match == null) {
                throw new IllegalArgumentException("routing rule " + (name == null ? "" : "'" + name + "' ")
                        + "needs match: the tools it governs, such as 'match: weather/*'");
            }
            targets = List.copyOf(targets == null ? List.of() : targets);
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("routing rule '" + (name == null ? match : name) + "' has no "
                        + "targets; add at least one, such as 'targets: [{ weight: 1 }]'");
            }
            // The library's rule checks the rest (weights) and names the rule as it does, defaulting to the pattern.
            name = toRoutingRule(name, match, loadBalancer, targets).name();
        }

        /** This rule as the gateway takes it. */
        public RoutingRule routingRule() {
            return toRoutingRule(name, match, loadBalancer, targets);
        }

        private static RoutingRule toRoutingRule(String name, ToolPattern match, LoadBalancer loadBalancer,
                                                 List<Target> targets) {
            return new RoutingRule(name, match, targets.stream().map(Target::routeTarget).toList(), loadBalancer);
        }
    }

    /**
     * One destination of a rule ({@link RouteTarget}): the instances whose version and labels match.
     *
     * @param weight   its share of the rule's calls, 0 (drained) to 1,000,000, 1 by default
     * @param versions the plugin versions it takes, such as {@code ">=2.0.0 <3"}; every version by default
     * @param labels   the instance labels it takes, such as {@code "region in (eu,us)"}; every instance by default
     */
    public record Target(Integer weight, VersionConstraint versions, LabelSelector labels) {
        public Target {
            weight = weight == null ? 1 : weight;
            new RouteTarget(versions, labels, weight); // validates the weight's range
        }

        /** This target as the gateway takes it. */
        public RouteTarget routeTarget() {
            return new RouteTarget(versions, labels, weight);
        }
    }
}
