package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.AccessPolicy;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.internal.transport.http.api.FieldError;
import dev.mcpgateway.internal.transport.http.api.RuleCodec;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.routing.ToolRoute;
import dev.mcpgateway.trace.TraceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The management API's tool routes: the catalogue clients see ({@code GET /api/v1/tools}), one tool's route with
 * the rule governing it, its targets and candidate instances ({@code GET /api/v1/tools/{name}}), and a synchronous
 * call ({@code POST /api/v1/tools/{name}/invoke}) answered with the {@code CallToolResult} ({@code 200} even when
 * the tool reports an error) or a problem for a call that could not be served ({@link Waits#problemOf}).
 */
final class ToolRoutes {
    /** The longest {@code timeoutSeconds} of an invocation: an hour, longer than any call should hold a request. */
    static final long MAX_TIMEOUT_SECONDS = 3600;
    /**
     * How long an invocation's request waits at most: the gateway's own call timeout (the request's, the tool's or
     * the default) always ends the call first; this only bounds a wait the gateway never ends.
     */
    private static final Duration CALL_WAIT_BOUND = Duration.ofHours(2);

    private final McpGateway gateway;
    private final Waits waits;
    /** What an invoking token may call; tools it may not are answered as unknown. */
    private final AccessPolicy policy;

    ToolRoutes(McpGateway gateway, Waits waits, AccessPolicy policy) {
        this.policy = policy;
        this.gateway = gateway;
        this.waits = waits;
    }

    /** {@code GET /api/v1/tools}: every listed tool under its exposed name, with its plugin, versions, instances. */
    RouteReply list(ApiRequest request) {
        RoutingTable table = gateway.routingTable();
        ObjectNode body = Json.object();
        ArrayNode tools = body.putArray("tools");
        for (ExposedTool tool : table.tools()) {
            ToolRoute route = table.route(tool.key());
            ObjectNode json = summary(tool, route);
            TreeSet<String> versions = new TreeSet<>();
            ArrayNode instances = json.putArray("instances");
            if (route != null) {
                for (Endpoint endpoint : route.endpoints()) {
                    versions.add(endpoint.instance().manifest().version());
                    instances.add(endpoint.id());
                }
            }
            ArrayNode versionList = json.putArray("versions");
            versions.forEach(versionList::add);
            tools.add(json);
        }
        return RouteReply.json(200, body);
    }

    /**
     * {@code GET /api/v1/tools/{name}}: the tool's definition, the rule governing it (null when balanced over all its
     * instances), its targets with the instances each admits, and every candidate instance with its state and load.
     */
    RouteReply get(ApiRequest request) {
        ToolRoute route = find(request.param("name"));
        ObjectNode json = summary(route.tool(), route);
        json.set("definition", route.tool().toJson());
        RoutingRule rule = route.rule();
        json.set("rule", rule == null ? null : RuleCodec.write(rule));
        Map<String, Integer> inFlight = InstanceView.callsInFlight(gateway.routingTable());
        if (rule != null) {
            ArrayNode targets = json.putArray("targets");
            for (int i = 0; i < rule.targets().size(); i++) {
                RouteTarget target = rule.targets().get(i);
                ObjectNode written = targets.addObject().put("index", i).put("weight", target.weight())
                        .put("versions", target.versions().toString()).put("labels", target.labels().toString());
                ArrayNode admitted = written.putArray("instances");
                for (Endpoint endpoint : route.endpoints()) {
                    if (target.admits(endpoint.instance().manifest())) {
                        admitted.add(endpoint.id());
                    }
                }
            }
        } else {
            json.putNull("targets");
        }
        ArrayNode instances = json.putArray("instances");
        for (Endpoint endpoint : route.endpoints()) {
            PluginInstance instance = endpoint.instance();
            ObjectNode candidate = instances.addObject().put("id", instance.id())
                    .put("version", instance.manifest().version()).put("status", instance.status().name())
                    .put("health", instance.health().name()).put("routable", instance.isRoutable())
                    .put("weight", instance.manifest().weight())
                    .put("callsInFlight", inFlight.getOrDefault(instance.id(), 0));
            ObjectNode labels = candidate.putObject("labels");
            new TreeMap<>(instance.manifest().labels()).forEach(labels::put);
        }
        return RouteReply.json(200, json);
    }

    /**
     * {@code POST /api/v1/tools/{name}/invoke}: {@code {"arguments": {...}, "timeoutSeconds": n}} (both optional), the
     * call made through the gateway as a client's would be.
     */
    RouteReply invoke(ApiRequest request) {
        String name = request.param("name");
        ToolKey key = find(name).key();
        if (request.grant() != ApiAccess.Grant.OPEN
                && !policy.allows(request.grant().principal(), key.namespace(), key.name())) {
            throw unknown(name); // as for the MCP endpoint: nothing tells the caller the tool is there
        }
        Invocation invocation = Invocation.read(request.jsonObject());
        // Made for its caller: per-client rate limits count it, and a plugin's token exchange trades the caller's token.
        // In the caller's trace when its traceparent header holds a valid one (W3C Trace Context), as over /mcp.
        ToolCall call = ToolCall.of(name, invocation.arguments()).onBehalfOf(request.caller())
                .withTrace(TraceContext.parse(request.header(TraceContext.TRACEPARENT),
                        request.header(TraceContext.TRACESTATE)));
        if (invocation.timeout() != null) {
            call = call.withTimeout(invocation.timeout());
        }
        CallToolResult result;
        try {
            result = waits.await(gateway.callTool(call), CALL_WAIT_BOUND, "answer the call");
        } catch (ProblemException e) {
            if (e.reply().status() == 400 && gateway.routingTable().routeByExposedName(name) == null) {
                throw unknown(name); // it left while the call was on its way
            }
            throw e;
        }
        return RouteReply.json(200, result.json());
    }

    private ToolRoute find(String name) {
        ToolRoute route = gateway.routingTable().routeByExposedName(name);
        if (route == null) {
            throw unknown(name);
        }
        return route;
    }

    private static ProblemException unknown(String name) {
        return ProblemException.of(404, "No tool '" + name + "' is known to the gateway; GET /api/v1/tools lists "
                + "the tools clients see, by their exposed names");
    }

    private static ObjectNode summary(ExposedTool tool, ToolRoute route) {
        String plugin = route == null || route.endpoints().isEmpty() ? null
                : route.endpoints().getFirst().instance().pluginName();
        return Json.object().put("name", tool.exposedName()).put("plugin", plugin)
                .put("namespace", tool.key().namespace()).put("tool", tool.key().name())
                .put("description", tool.definition().json().path("description").asText(null))
                .put("listed", route != null && route.isListed())
                .put("routable", route != null && route.isRoutable());
    }

    /** An invocation's body: the arguments (an empty object when absent) and its own timeout, or null. */
    private record Invocation(JsonNode arguments, Duration timeout) {
        static Invocation read(JsonNode body) {
            List<FieldError> errors = new ArrayList<>();
            for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (!field.equals("arguments") && !field.equals("timeoutSeconds")) {
                    errors.add(new FieldError("/" + field.replace("~", "~0").replace("/", "~1"),
                            "is not a member of an invocation, which takes arguments and timeoutSeconds"));
                }
            }
            JsonNode arguments = body.path("arguments");
            if (arguments.isMissingNode()) {
                arguments = Json.object();
            } else if (!arguments.isObject()) {
                errors.add(new FieldError("/arguments", "must be an object, got " + Problem.typeOf(arguments)));
            }
            Duration timeout = null;
            JsonNode seconds = body.path("timeoutSeconds");
            if (!seconds.isMissingNode()) {
                if (seconds.canConvertToExactIntegral() && seconds.asLong() >= 1
                        && seconds.asLong() <= MAX_TIMEOUT_SECONDS) {
                    timeout = Duration.ofSeconds(seconds.asLong());
                } else {
                    errors.add(new FieldError("/timeoutSeconds", "must be a whole number from 1 to "
                            + MAX_TIMEOUT_SECONDS + ", got " + seconds));
                }
            }
            if (!errors.isEmpty()) {
                throw Problem.invalid(errors, "The invocation has " + (errors.size() == 1 ? "1 error"
                        : errors.size() + " errors") + "; the tool was not called");
            }
            return new Invocation(arguments, timeout);
        }
    }
}
