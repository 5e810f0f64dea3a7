package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.internal.ToolCallPlumbing;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.routing.RoutingException;
import dev.mcpgateway.trace.TraceContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code tools/call} for the gateway's clients: routed through the gateway with progress under the client's own
 * token, cancellation passed on, and the multi-round-trip pattern carried across the eras — a plugin's own
 * {@code requestState} pinned to the instance that issued it, a legacy plugin's requests turned into
 * {@code input_required} for 2026-07-28 clients ({@link InputRequiredBridge}), and a 2026-07-28 plugin's
 * {@code input_required} turned into requests for legacy clients ({@link InputRequiredRelay}).
 */
final class ToolCalls {
    /** Members of the client's params the gateway handles itself; every other member passes on to the plugin. */
    private static final Set<String> OWN_MEMBERS = Set.of("name", "arguments", "_meta");

    private final McpGateway gateway;
    private final InputRequiredBridge bridge;
    private final Pins pins;

    ToolCalls(McpGateway gateway, InputRequiredBridge bridge, Pins pins) {
        this.gateway = gateway;
        this.bridge = bridge;
        this.pins = pins;
    }

    CompletableFuture<JsonNode> call(Incoming in) {
        JsonNode params = in.params();
        JsonNode name = params.get("name");
        if (name == null || !name.isTextual()) {
            throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "tools/call needs a string 'name' (one of the names"
                    + " tools/list returns)", in.id());
        }
        JsonNode arguments = params.get("arguments");
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "tools/call 'arguments' must be an object", in.id());
        }
        // A tool the client may not use is answered as one that does not exist: nothing tells it the tool is there.
        String exposed = in.session().view().resolveTool(name.textValue());
        if (exposed == null) {
            return CompletableFuture.failedFuture(RoutingException.unknownTool(name.textValue()));
        }
        String state = params.path("requestState").textValue();
        JsonNode token = params.path("_meta").get("progressToken");
        // The client's trace context (SEP-414 _meta keys; the HTTP front door puts its headers there when the body has
        // none): the gateway's span of the call hangs under it. A malformed one is ignored, as W3C asks.
        ToolCall call = ToolCallPlumbing.withExtra(ToolCall.of(exposed, arguments), extraMembers(params))
                .withTrace(TraceContext.fromMeta(params.get("_meta")));
        String pinned = pins.instanceOf(state);
        if (pinned != null) {
            call = call.onInstance(pinned);
        }
        return in.modern() ? modernCall(in, call, pinned != null) : legacyCall(in, call, token);
    }

    /** A 2026-07-28 client's call: a legacy plugin asking it something ends the request with input_required. */
    private CompletableFuture<JsonNode> modernCall(Incoming in, ToolCall call, boolean pluginState) {
        return bridge.serve(in, call.name(), pluginState, bridged -> {
            ToolCall routed = ToolCallPlumbing.onRouted(call.onBehalfOf(new Caller(in.session(), in.stream(),
                    in.logLevel(), bridged)), in.sentTo()::set);
            if (bridged.progressToken() != null) {
                // Progress goes to whichever request of the client is waiting now, under that request's token.
                routed = routed.withProgress(progress -> in.relayProgress(bridged.progressToken(), progress,
                        bridged.stream()));
            }
            // The gateway's own future, which the bridge cancels when the client gives up: it reaches the plugin.
            return gateway.callTool(routed);
        }, done -> {
            // The plugin's own state is pinned before the client sees it: the client may retry at once.
            pinIfInputRequired(done.json(), in.sentTo().get());
            return done.json();
        });
    }

    /** A legacy client's call: a 2026-07-28 plugin's input_required becomes requests to the client, then a retry. */
    private CompletableFuture<JsonNode> legacyCall(Incoming in, ToolCall call, JsonNode token) {
        ToolCall routed = ToolCallPlumbing.onRouted(call.onBehalfOf(new Caller(in.session(), in.stream(),
                in.logLevel(), null)), in.sentTo()::set);
        if (token != null) {
            routed = routed.withProgress(progress -> in.relayProgress(token, progress, in.stream()));
        }
        ToolCall base = routed;
        // Tracked is the gateway's own future: cancelling it reaches the plugin (a derived one would not).
        CompletableFuture<CallToolResult> first = in.session().tracked(in.request(), gateway.callTool(base));
        return first.thenCompose(result -> InputRequests.isInputRequired(result.json())
                ? relayed(in, base, result.json()) : CompletableFuture.completedFuture(result.json()));
    }

    /**
     * A 2026-07-28 plugin's input_required relayed to the legacy client, each retry sent to the instance that asked
     * (the one the request was last sent to). Made only for a result that asks for input, as most never do.
     */
    private CompletableFuture<JsonNode> relayed(Incoming in, ToolCall base, JsonNode result) {
        return InputRequiredRelay.complete(result, in.session(), in.stream(), true, extra -> {
            ObjectNode kept = ToolCallPlumbing.extra(base);
            ObjectNode members = kept == null ? Json.object() : kept.deepCopy();
            members.setAll(extra);
            return in.session().tracked(in.request(), gateway.callTool(ToolCallPlumbing.withExtra(base, members)
                    .onInstance(in.sentTo().get()))).thenApply(CallToolResult::json);
        });
    }

    private void pinIfInputRequired(JsonNode result, String instanceId) {
        JsonNode state = result.get("requestState");
        if (InputRequests.isInputRequired(result) && state != null && state.isTextual() && instanceId != null) {
            pins.put(state.textValue(), instanceId);
        }
    }

    /**
     * The params members that pass on to the plugin: all but name, arguments and {@code _meta}, whose per-hop keys
     * are the gateway's own; the rest of {@code _meta} (trace context, log level) goes on. Copied one by one, not as a
     * whole, so the arguments (the bulk of a call) are not copied on every call.
     */
    private static ObjectNode extraMembers(JsonNode params) {
        ObjectNode extra = null;
        for (Map.Entry<String, JsonNode> member : params.properties()) {
            if (!OWN_MEMBERS.contains(member.getKey())) {
                if (extra == null) {
                    extra = Json.object();
                }
                extra.set(member.getKey(), member.getValue().deepCopy());
            }
        }
        ObjectNode meta = RequestMeta.forwarded(params);
        if (meta != null) {
            if (extra == null) {
                extra = Json.object();
            }
            extra.set("_meta", meta);
        }
        return extra;
    }
}
