package dev.mcpgateway.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A JSON-RPC request: it expects exactly one {@link JsonRpcResponse} with the same id.
 *
 * @param id     the request id, never null
 * @param method the method name, e.g. {@code tools/call}
 * @param params an object or array node, or null when the request has no params
 */
public record JsonRpcRequest(RequestId id, String method, JsonNode params) implements JsonRpcMessage {
    public JsonRpcRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(method, "method");
    }

    /** The same request under another id, as the gateway sends it upstream. */
    public JsonRpcRequest withId(RequestId newId) {
        return new JsonRpcRequest(newId, method, params);
    }
}
