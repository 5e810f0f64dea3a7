package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.MessageSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * 2026-07-28 plugin, legacy client: an {@code input_required} result means nothing to a client of an older version.
 * The gateway asks that client each input request as the request of its own era ({@code elicitation/create},
 * {@code sampling/createMessage}, {@code roots/list}) on the call's stream, then retries the plugin's request with
 * the answers ({@code inputResponses}, and the plugin's {@code requestState}) on the same instance, until the plugin
 * completes. A client without the needed capability gets a result that says what the tool needed instead.
 */
final class InputRequiredRelay {
    /** A plugin still asking after this many rounds is taken to be looping. */
    static final int MAX_ROUNDS = 10;

    private InputRequiredRelay() {
    }

    /**
     * The final result of a request whose plugin may answer {@code input_required}.
     *
     * @param result   the plugin's answer so far
     * @param session  the legacy client's session, which is asked
     * @param stream   the stream of the client's request
     * @param toolCall whether the request is {@code tools/call} (a missing capability is then a tool error result)
     * @param retry    sends the request again with these extra params members to the instance that asked
     */
    static CompletableFuture<JsonNode> complete(JsonNode result, EngineSession session, MessageSink stream,
                                                boolean toolCall, Function<ObjectNode, CompletableFuture<JsonNode>> retry) {
        return complete(result, session, stream, toolCall, retry, 1);
    }

    private static CompletableFuture<JsonNode> complete(JsonNode result, EngineSession session, MessageSink stream,
                                                        boolean toolCall,
                                                        Function<ObjectNode, CompletableFuture<JsonNode>> retry,
                                                        int round) {
        if (!InputRequests.isInputRequired(result)) {
            return CompletableFuture.completedFuture(result);
        }
        if (round > MAX_ROUNDS) {
            return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.INTERNAL_ERROR, "The plugin asked for"
                    + " input " + MAX_ROUNDS + " times in a row without completing; the gateway gave up"));
        }
        JsonNode requests = result.path("inputRequests");
        ObjectNode responses = Json.object();
        List<CompletableFuture<Void>> answered = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : requests.properties()) {
            String method = entry.getValue().path("method").asText("");
            String capability = InputRequests.capabilityOf(method);
            ObjectNode missing = InputRequests.missing(method, entry.getValue().get("params"), session.clientCapabilities());
            if (capability == null || missing != null) {
                String why = capability == null ? "an input of a kind the gateway cannot ask for ('" + method + "')"
                        : "'" + method + "', which needs the '" + capability + "' capability this client did not declare"
                        + " (" + missing + ")";
                if (!toolCall) {
                    return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.INVALID_REQUEST,
                            "The plugin needs " + why));
                }
                return CompletableFuture.completedFuture(CallToolResult.error("The tool needs " + why
                        + " (" + describe(entry.getValue()) + "); connect with a client that supports it").json());
            }
            JsonRpcRequest question = new JsonRpcRequest(RequestId.of(0), method, entry.getValue().get("params"));
            String key = entry.getKey();
            answered.add(session.askClient(question, stream).thenAccept(answer -> {
                synchronized (responses) {
                    responses.set(key, answer);
                }
            }));
        }
        return CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new)).thenCompose(done -> {
            ObjectNode extra = Json.object();
            extra.set("inputResponses", responses);
            JsonNode state = result.get("requestState");
            if (state != null && state.isTextual()) {
                extra.set("requestState", state);
            }
            return retry.apply(extra);
        }).thenCompose(next -> complete(next, session, stream, toolCall, retry, round + 1));
    }

    /** What an input request asks, for the message of a client that cannot answer it. */
    private static String describe(JsonNode request) {
        String message = request.path("params").path("message").asText("");
        return message.isEmpty() ? "no message given" : "it asks: " + message;
    }
}
