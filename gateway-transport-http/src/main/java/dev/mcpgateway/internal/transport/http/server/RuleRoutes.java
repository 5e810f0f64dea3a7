package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.internal.transport.http.api.InvalidRequestException;
import dev.mcpgateway.internal.transport.http.api.RuleCodec;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.routing.RoutingRule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The management API's routing-rule routes: list them in the order they are tried, replace them all, and read,
 * create or replace ({@code PUT}) and delete one by name. Every change goes through
 * {@link McpGateway#replaceRoutingRules}, so it applies in one new routing table, between one call and the next.
 * Changes of one rule read the list, change it and write it back under one lock, so two at once never lose one; a
 * host replacing the rules through the Java API meanwhile is not held by it (the last write wins).
 */
final class RuleRoutes {
    private final McpGateway gateway;
    private final Waits waits;
    private final ReentrantLock changing = new ReentrantLock();

    RuleRoutes(McpGateway gateway, Waits waits) {
        this.gateway = gateway;
        this.waits = waits;
    }

    /** {@code GET /api/v1/rules}. */
    RouteReply list(ApiRequest request) {
        return RouteReply.json(200, written(gateway.routingRules()));
    }

    /** {@code PUT /api/v1/rules}: {@code {"rules": [...]}} replaces them all; answers with the rules now in force. */
    RouteReply replaceAll(ApiRequest request) {
        List<RoutingRule> rules;
        try {
            rules = RuleCodec.readList(request.json());
        } catch (InvalidRequestException e) {
            throw invalid(e, "The rules have");
        }
        changing.lock();
        try {
            apply(rules);
        } finally {
            changing.unlock();
        }
        return RouteReply.json(200, written(rules));
    }

    /** {@code GET /api/v1/rules/{name}}. */
    RouteReply get(ApiRequest request) {
        String name = request.param("name");
        return RouteReply.json(200, RuleCodec.write(find(gateway.routingRules(), name)));
    }

    /**
     * {@code PUT /api/v1/rules/{name}}: the rule in the body (its {@code name}, if given, must be the path's) replaces
     * the rule of that name where it stands ({@code 200}), or is appended last, tried after every other
     * ({@code 201}).
     */
    RouteReply put(ApiRequest request) {
        String name = request.param("name");
        JsonNode body = request.jsonObject();
        JsonNode given = body.get("name");
        if (given != null && !(given.isTextual() && given.textValue().equals(name))) {
            throw Problem.invalid("The rule's name must be the one in the path, '" + name + "'", "/name",
                    "must be '" + name + "' (the path's) or left out, got " + given);
        }
        ObjectNode named = ((ObjectNode) body).deepCopy();
        named.put("name", name);
        RoutingRule rule;
        try {
            rule = RuleCodec.read(named);
        } catch (InvalidRequestException e) {
            throw invalid(e, "The rule has");
        }
        boolean created;
        changing.lock();
        try {
            List<RoutingRule> rules = new ArrayList<>(gateway.routingRules());
            int at = indexOf(rules, name);
            created = at < 0;
            if (created) {
                rules.add(rule);
            } else {
                rules.set(at, rule);
            }
            apply(rules);
        } finally {
            changing.unlock();
        }
        RouteReply reply = RouteReply.json(created ? 201 : 200, RuleCodec.write(rule));
        // Relative to the request's own URI, so it stays right below any prefix the front door is mounted under.
        return created ? reply.withHeader("Location", RouteTable.encodeSegment(name)) : reply;
    }

    /** {@code DELETE /api/v1/rules/{name}}: answers with the rule deleted. */
    RouteReply delete(ApiRequest request) {
        String name = request.param("name");
        changing.lock();
        try {
            List<RoutingRule> rules = new ArrayList<>(gateway.routingRules());
            RoutingRule deleted = find(rules, name);
            rules.remove(deleted);
            apply(rules);
            return RouteReply.json(200, RuleCodec.write(deleted));
        } finally {
            changing.unlock();
        }
    }

    private void apply(List<RoutingRule> rules) {
        waits.await(gateway.replaceRoutingRules(rules), PluginRoutes.CONTROL_WAIT, "apply the rules");
    }

    private static RoutingRule find(List<RoutingRule> rules, String name) {
        int at = indexOf(rules, name);
        if (at < 0) {
            throw ProblemException.of(404, "No routing rule is named '" + name + "'; GET /api/v1/rules lists them"
                    + " (PUT creates it)");
        }
        return rules.get(at);
    }

    private static int indexOf(List<RoutingRule> rules, String name) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static ObjectNode written(List<RoutingRule> rules) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("rules");
        rules.forEach(rule -> list.add(RuleCodec.write(rule)));
        return body;
    }

    private static ProblemException invalid(InvalidRequestException e, String what) {
        int count = e.errors().size();
        return Problem.invalid(e.errors(), what + " " + count + (count == 1 ? " error" : " errors")
                + "; nothing was changed");
    }
}
