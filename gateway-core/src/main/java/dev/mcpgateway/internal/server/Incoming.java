package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.server.MessageSink;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client request as the method handlers see it: the session it arrived in, its params (never null), the stream
 * of its response, whether it is of the 2026-07-28 era (its own {@code _meta} says so), and the plugin instance
 * it was last sent to: a failure to reach it can name its plugin ({@link ClientErrors}), and a call's later rounds
 * and a plugin's own state are pinned to it ({@link ToolCalls}).
 */
record Incoming(EngineSession session, JsonRpcRequest request, JsonNode params,
                MessageSink stream, boolean modern, AtomicReference<String> sentTo) {
    /** What of a plugin's progress notification the client's is made of. */
    private static final List<String> PROGRESS_FIELDS = List.of("progress", "total", "message");

    RequestId id() {
        return request.id();
    }

    String method() {
        return request.method();
    }

    /**
     * The log level plugin messages for this request are filtered by: a 2026-07-28 request names its own (none:
     * no messages at all); a legacy session's is the one it set, null for everything.
     */
    String logLevel() {
        return modern ? RequestMeta.logLevel(params) : session.logLevel();
    }

    /**
     * A plugin's progress as the client sees it: under the client's own token, on {@code stream} (this request's,
     * or a bridged call's latest round's), else the session's.
     */
    void relayProgress(JsonNode token, JsonNode progress, MessageSink stream) {
        if (token == null) {
            return;
        }
        ObjectNode params = Json.object();
        params.set("progressToken", token);
        for (String field : PROGRESS_FIELDS) {
            if (progress.has(field)) {
                params.set(field, progress.get(field));
            }
        }
        JsonRpcNotification notification = new JsonRpcNotification("notifications/progress", params);
        if (!stream.send(notification)) {
            session.notifyUnsolicited(notification);
        }
    }
}
