package dev.mcpgateway.internal.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.trace.TraceContext;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * W3C Trace Context between HTTP headers and a request's {@code _meta}, where MCP carries it (SEP-414): the front door
 * moves a client's {@code traceparent}/{@code tracestate} headers into the request's {@code _meta} when the body has
 * no valid context of its own (the message's own context is the more precise one), and the client side mirrors the
 * context in a request's {@code _meta} as headers for the plugin's HTTP stack.
 */
public final class TraceHeaders {
    private TraceHeaders() {
    }

    /** The message with the headers' trace context in its {@code _meta}, or the message itself when none applies. */
    public static JsonRpcMessage intoMeta(JsonRpcMessage message, UnaryOperator<String> headers) {
        if (!(message instanceof JsonRpcRequest request)) {
            return message;
        }
        JsonNode params = request.params();
        JsonNode meta = params == null ? null : params.get("_meta");
        if (TraceContext.fromMeta(meta) != null) {
            return message;
        }
        TraceContext trace = TraceContext.parse(headers.apply(TraceContext.TRACEPARENT),
                headers.apply(TraceContext.TRACESTATE));
        if (trace == null || (params != null && !params.isObject() && !params.isNull())) {
            return message;
        }
        // Copies, not the client's tree: other readers of the request (the stateless header checks) see it unchanged.
        ObjectNode withTrace = Json.object();
        if (params instanceof ObjectNode object) {
            withTrace.setAll(object);
        }
        ObjectNode newMeta = Json.object();
        if (meta instanceof ObjectNode object) {
            newMeta.setAll(object);
        }
        newMeta.put(TraceContext.TRACEPARENT, trace.traceparent());
        if (trace.tracestate() != null) {
            newMeta.put(TraceContext.TRACESTATE, trace.tracestate());
        }
        withTrace.set("_meta", newMeta);
        return new JsonRpcRequest(request.id(), request.method(), withTrace);
    }

    /** Sends the valid trace context in a request's {@code _meta}, if any, as headers. */
    public static void fromMeta(JsonRpcRequest request, BiConsumer<String, String> header) {
        TraceContext trace = request.params() == null ? null : TraceContext.fromMeta(request.params().get("_meta"));
        if (trace != null) {
            header.accept(TraceContext.TRACEPARENT, trace.traceparent());
            if (trace.tracestate() != null) {
                header.accept(TraceContext.TRACESTATE, trace.tracestate());
            }
        }
    }
}
