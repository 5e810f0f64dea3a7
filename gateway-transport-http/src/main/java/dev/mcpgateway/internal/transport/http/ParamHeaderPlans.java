package dev.mcpgateway.internal.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code x-mcp-header} plans of one HTTP plugin's tools, for the channel that talks to it: a 2026-07-28
 * {@code tools/call} must carry an {@code Mcp-Param-*} header per annotated argument, yet a channel knows no tool
 * schemas. It does carry the plugin's {@code tools/list} answers, so it learns them here: each request going out is
 * shown to {@link #sending}, each message coming back to {@link #received}, and the ids tie answers to listings.
 *
 * <p>Tools whose annotations break the spec's constraints are taken out of the listing handed up (with a warning
 * naming the tool and why), as the spec demands of HTTP clients: their calls could not be sent correctly. A listing
 * without a cursor starts anew; its pages add to it, and it replaces the plans in use once its last page arrived
 * (until then a tool is looked up in the finished listing first, then in the one arriving). Thread-safe.
 */
public final class ParamHeaderPlans {
    private static final Logger log = LoggerFactory.getLogger(ParamHeaderPlans.class);
    private static final String LIST = "tools/list";
    private static final String CALL = "tools/call";

    private final String upstream;
    /** The {@code tools/list} requests awaiting their answer: id to whether the request named a cursor. */
    private final Map<RequestId, Boolean> listings = new ConcurrentHashMap<>();
    /** The plans of the last complete listing, by the plugin's tool name. */
    private volatile Map<String, ParamHeaders.Plan> plans = Map.of();
    /** The listing whose pages are arriving; guarded by {@code this} for writes. */
    private final Map<String, ParamHeaders.Plan> arriving = new ConcurrentHashMap<>();

    /** Plans for the plugin that {@code upstream} names in log lines (e.g. its endpoint). */
    public ParamHeaderPlans(String upstream) {
        this.upstream = upstream;
    }

    /**
     * A 2026-07-28 request is about to be sent: remembers a {@code tools/list} so its answer is read, and gives a
     * {@code tools/call} the headers for its arguments.
     *
     * @return header name to value; empty for other requests and for tools that mark no parameter
     */
    public Map<String, String> sending(JsonRpcRequest request) {
        JsonNode params = request.params();
        switch (request.method()) {
            case LIST -> {
                listings.put(request.id(), params != null && params.hasNonNull("cursor"));
                return Map.of();
            }
            case CALL -> {
                JsonNode name = params == null ? null : params.get("name");
                ParamHeaders.Plan plan = name != null && name.isTextual() ? plan(name.textValue()) : null;
                return plan == null ? Map.of() : plan.headers(params.get("arguments"));
            }
            default -> {
                return Map.of();
            }
        }
    }

    /**
     * A message from the plugin, before it is handed up: the answer to a remembered {@code tools/list} teaches the
     * plans and comes back without the tools whose annotations are invalid; anything else comes back as it is.
     */
    public JsonRpcMessage received(JsonRpcMessage message) {
        if (listings.isEmpty() || !(message instanceof JsonRpcResponse response) || response.id() == null) {
            return message;
        }
        Boolean continued = listings.remove(response.id());
        if (continued == null || response.isError() || response.result() == null
                || !(response.result().get("tools") instanceof ArrayNode tools)) {
            return message;
        }
        ArrayNode kept = learn(tools, continued, !response.result().hasNonNull("nextCursor"));
        if (kept == tools) {
            return message;
        }
        ObjectNode result = Json.object();
        result.setAll((ObjectNode) response.result());
        result.set("tools", kept);
        return JsonRpcResponse.success(response.id(), result);
    }

    /** The request ended without an answer (a failure, a cancellation): its listing is no longer awaited. */
    public void ended(RequestId id) {
        listings.remove(id);
    }

    private ParamHeaders.Plan plan(String tool) {
        ParamHeaders.Plan plan = plans.get(tool);
        return plan != null ? plan : arriving.get(tool);
    }

    /** Takes in one page; returns its tools without the invalid ones (the same array when all are valid). */
    private synchronized ArrayNode learn(ArrayNode tools, boolean continued, boolean last) {
        if (!continued) {
            arriving.clear();
        }
        ArrayNode kept = null;
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String name = tool.path("name").textValue();
            ParamHeaders.Parsed parsed = ParamHeaders.parse(tool.get("inputSchema"));
            if (parsed instanceof ParamHeaders.Invalid(String reason)) {
                log.warn("{}: tool '{}' is left out of tools/list: {}", upstream, name, reason);
                if (kept == null) {
                    kept = Json.mapper().createArrayNode();
                    for (int j = 0; j < i; j++) {
                        kept.add(tools.get(j));
                    }
                }
                continue;
            }
            if (kept != null) {
                kept.add(tool);
            }
            if (name != null && parsed instanceof ParamHeaders.Plan plan && !plan.isEmpty()) {
                arriving.put(name, plan);
            }
        }
        if (last) {
            plans = Map.copyOf(arriving);
            arriving.clear();
        }
        return kept == null ? tools : kept;
    }
}
