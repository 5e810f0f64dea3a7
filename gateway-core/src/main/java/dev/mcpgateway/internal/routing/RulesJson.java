package dev.mcpgateway.internal.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.routing.LabelSelector;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.ToolPattern;
import dev.mcpgateway.routing.VersionConstraint;
import java.util.ArrayList;
import java.util.List;

/**
 * Routing rules as JSON: one rule as the management API shows it and the runner's YAML spells it
 * ({@code {"name": ..., "match": "weather/*", "loadBalancer": "round-robin", "targets": [{"weight": 90,
 * "versions": "1.x", "labels": "track=stable"}]}}), and a whole rule set as a {@code RegistryStore} keeps it,
 * versioned ({@code {"format": 1, "rules": [...]}}) so a later gateway can still read what an earlier one kept and
 * refuses a format it does not know rather than guessing.
 *
 * <p>The management API checks what a client sends member by member, with its own error reporting; what is read here
 * is what a gateway wrote, so the first thing wrong ends the reading.
 */
public final class RulesJson {
    /** The members of a rule, in the order written. */
    public static final List<String> RULE_FIELDS = List.of("name", "match", "loadBalancer", "targets");
    /** The members of a rule's target, in the order written. */
    public static final List<String> TARGET_FIELDS = List.of("weight", "versions", "labels");
    /** The rule-set format written; the only one read. */
    static final int FORMAT = 1;

    private RulesJson() {
    }

    /**
     * A rule as JSON; {@link #readSet} (and the management API) give back a rule of the same meaning.
     * {@code loadBalancer} is left out when the rule uses the gateway's default, a target's {@code versions} when it
     * takes every version and its {@code labels} when it takes every instance. A balancer of the host's own making is
     * written by its {@link LoadBalancer#name()}, which reads back only if it is one of {@link LoadBalancer#NAMES}.
     */
    public static ObjectNode write(RoutingRule rule) {
        ObjectNode out = Json.object();
        out.put("name", rule.name());
        out.put("match", rule.tools().toString());
        if (rule.loadBalancer() != null) {
            out.put("loadBalancer", rule.loadBalancer().name());
        }
        ArrayNode targets = out.putArray("targets");
        for (RouteTarget target : rule.targets()) {
            ObjectNode written = targets.addObject();
            written.put("weight", target.weight());
            // ANY, not isAny(): "1.x || *" accepts every version too, but is kept as written.
            if (!target.versions().equals(VersionConstraint.ANY)) {
                written.put("versions", target.versions().toString());
            }
            if (!target.labels().isEverything()) {
                written.put("labels", target.labels().toString());
            }
        }
        return out;
    }

    /** A rule set as the text a store keeps. */
    public static String writeSet(List<RoutingRule> rules) {
        ObjectNode out = Json.object();
        out.put("format", FORMAT);
        ArrayNode list = out.putArray("rules");
        rules.forEach(rule -> list.add(write(rule)));
        return out.toString();
    }

    /**
     * A rule set from the text {@link #writeSet} made.
     *
     * @throws IllegalArgumentException saying what is wrong (never quoting the text)
     */
    public static List<RoutingRule> readSet(String text) {
        JsonNode set;
        try {
            set = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the kept rules are not JSON");
        }
        int format = set.path("format").asInt(0);
        if (format != FORMAT) {
            throw new IllegalArgumentException("the kept rules are in format " + set.path("format")
                    + ", this gateway reads format " + FORMAT + " only");
        }
        List<RoutingRule> rules = new ArrayList<>();
        for (JsonNode rule : set.path("rules")) {
            List<RouteTarget> targets = new ArrayList<>();
            for (JsonNode target : rule.path("targets")) {
                targets.add(new RouteTarget(optional(target, "versions", VersionConstraint::parse),
                        optional(target, "labels", LabelSelector::parse), target.path("weight").asInt(1)));
            }
            rules.add(new RoutingRule(rule.path("name").asText(null), ToolPattern.parse(rule.path("match").asText()),
                    targets, optional(rule, "loadBalancer", LoadBalancer::byName)));
        }
        RoutingRule.requireDistinctNames(rules);
        return List.copyOf(rules);
    }

    private static <T> T optional(JsonNode node, String field, java.util.function.Function<String, T> parse) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : parse.apply(value.asText());
    }
}
