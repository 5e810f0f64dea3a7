package dev.mcpgateway.internal.transport.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.internal.routing.RulesJson;
import dev.mcpgateway.routing.LabelSelector;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.ToolPattern;
import dev.mcpgateway.routing.VersionConstraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Routing rules as the management API reads and writes them ({@code GET/PUT /api/v1/rules}), with the keys of the
 * runner's YAML {@code routing.rules}:
 * {@code {"name": ..., "match": "weather/*", "loadBalancer": "round-robin", "targets": [{"weight": 90,
 * "versions": "1.x", "labels": "track=stable"}]}}. {@code match} and {@code targets} are required; a target's weight
 * is 1 by default, and it takes every version and every instance unless {@code versions} or {@code labels} say
 * otherwise; without {@code loadBalancer} the gateway's default applies. Unknown members are errors.
 *
 * <p>Values are checked by the library's own parsers ({@link ToolPattern#parse}, {@link VersionConstraint#parse},
 * {@link LabelSelector#parse}, {@link LoadBalancer#byName}, {@link RouteTarget}, {@link RoutingRule}), whose
 * messages are reported at the member they came from, so the API says what the configuration file says. Every error
 * of a body is collected before anything is thrown.
 */
public final class RuleCodec {
    private static final String[] RULE_FIELDS = RulesJson.RULE_FIELDS.toArray(String[]::new);
    private static final String[] TARGET_FIELDS = RulesJson.TARGET_FIELDS.toArray(String[]::new);

    private RuleCodec() {
    }

    /**
     * Reads one rule.
     *
     * @throws InvalidRequestException naming every bad member by JSON Pointer, such as {@code /targets/0/weight}
     */
    public static RoutingRule read(JsonNode rule) throws InvalidRequestException {
        JsonFields.requireObjectBody(rule);
        List<FieldError> errors = new ArrayList<>();
        RoutingRule read = read(rule, "", errors);
        JsonFields.throwIfAny(errors);
        return read;
    }

    /**
     * Reads {@code {"rules": [...]}}, the whole list in the order the rules are tried. Rules must have distinct
     * names (a rule without one is named by its pattern); the second of two with one name is the error.
     *
     * @throws InvalidRequestException naming every bad member of every rule, such as {@code /rules/1/targets/0/weight}
     */
    public static List<RoutingRule> readList(JsonNode body) throws InvalidRequestException {
        JsonFields.requireObjectBody(body);
        List<FieldError> errors = new ArrayList<>();
        JsonFields list = JsonFields.strict(body, "", errors, "rules");
        List<JsonNode> nodes = list.requiredArray("rules");
        List<RoutingRule> rules = new ArrayList<>();
        Map<String, RoutingRule> byName = new HashMap<>();
        for (int i = 0; nodes != null && i < nodes.size(); i++) {
            String at = JsonFields.index(list.pointer("rules"), i);
            RoutingRule rule = read(nodes.get(i), at, errors);
            if (rule == null) {
                continue;
            }
            RoutingRule first = byName.putIfAbsent(rule.name(), rule);
            if (first != null) {
                JsonFields.attempt(errors, JsonFields.child(at, "name"), () -> {
                    RoutingRule.requireDistinctNames(List.of(first, rule));
                    return null;
                });
            }
            rules.add(rule);
        }
        JsonFields.throwIfAny(errors);
        return List.copyOf(rules);
    }

    /**
     * A rule as the API shows it ({@link RulesJson#write}, the JSON a registry store keeps rules in too); {@link #read}
     * gives back a rule of the same meaning.
     */
    public static ObjectNode write(RoutingRule rule) {
        return RulesJson.write(rule);
    }

    /** One rule at {@code pointer}, or null with its errors recorded. */
    private static RoutingRule read(JsonNode node, String pointer, List<FieldError> errors) {
        int before = errors.size();
        JsonFields rule = JsonFields.strict(node, pointer, errors, RULE_FIELDS);
        if (!rule.present()) {
            return null;
        }
        String name = rule.string("name");
        String match = rule.requiredString("match");
        ToolPattern pattern = match == null ? null : rule.check("match", () -> ToolPattern.parse(match));
        String balancerName = rule.string("loadBalancer");
        LoadBalancer balancer = balancerName == null ? null
                : rule.check("loadBalancer", () -> LoadBalancer.byName(balancerName));
        List<JsonNode> targetNodes = rule.requiredArray("targets");
        List<RouteTarget> targets = new ArrayList<>();
        if (targetNodes != null && targetNodes.isEmpty()) {
            rule.error("targets", "must list at least one target, such as [{\"weight\": 1}]");
        }
        for (int i = 0; targetNodes != null && i < targetNodes.size(); i++) {
            RouteTarget target = target(targetNodes.get(i), JsonFields.index(rule.pointer("targets"), i), errors);
            if (target != null) {
                targets.add(target);
            }
        }
        if (errors.size() > before) {
            return null;
        }
        // What is left for the rule to refuse is its targets as a whole: every weight 0.
        return rule.check("targets", () -> new RoutingRule(name, pattern, targets, balancer));
    }

    /** One target at {@code pointer}, or null with its errors recorded. */
    private static RouteTarget target(JsonNode node, String pointer, List<FieldError> errors) {
        int before = errors.size();
        JsonFields target = JsonFields.strict(node, pointer, errors, TARGET_FIELDS);
        if (!target.present()) {
            return null;
        }
        Integer weight = target.integer("weight");
        String versionsText = target.string("versions");
        VersionConstraint versions = versionsText == null ? null
                : target.check("versions", () -> VersionConstraint.parse(versionsText));
        String labelsText = target.string("labels");
        LabelSelector labels = labelsText == null ? null
                : target.check("labels", () -> LabelSelector.parse(labelsText));
        if (errors.size() > before) {
            return null;
        }
        return target.check("weight", () -> new RouteTarget(versions, labels, weight == null ? 1 : weight));
    }
}
