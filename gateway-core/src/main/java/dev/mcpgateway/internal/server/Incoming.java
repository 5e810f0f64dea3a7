package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.server.MessageSink;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client request as the method handlers see it: the session it arrived in, its params (never null), the stream
 * of its response, whether it is of the 2026-07-28 era (its own {@code _meta} says so), and the plugin instance
 * it was last sent to: a failure to reach it can name its plugin ({@link ClientErrors}), and a call's later rounds
 * and a plugin's own state are pinned to it ({@link ToolCalls}).
 */
record Incoming(EngineSession session, JsonRpcRequest request, JsonNode params,
                MessageSink stream, boolean modern, AtomicReference<String> sentTo) {
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
}
