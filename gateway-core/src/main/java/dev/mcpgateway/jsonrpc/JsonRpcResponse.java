package dev.mcpgateway.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON-RPC response: exactly one of {@code result} or {@code error} is set.
 *
 * @param id     the id of the request answered; null only for an error answering a message whose id
 *               could not be read (for example a parse error)
 * @param result the result tree on success, otherwise null
 * @param error  the error on failure, otherwise null
 */
public record JsonRpcResponse(RequestId id, JsonNode result, JsonRpcError error) implements JsonRpcMessage {
    public JsonRpcResponse {
        if ((result == null) == (error == null)) {
            throw new IllegalArgumentException("a response has exactly one of result or error");
        }
        if (id == null && error == null) {
            throw new IllegalArgumentException("a successful response needs the id of its request");
        }
    }

    /** A successful response. */
    public static JsonRpcResponse success(RequestId id, JsonNode result) {
        return new JsonRpcResponse(id, result, null);
    }

    /** A failed response. */
    public static JsonRpcResponse failure(RequestId id, JsonRpcError error) {
        return new JsonRpcResponse(id, null, error);
    }

    /** A failed response built from a code and message. */
    public static JsonRpcResponse failure(RequestId id, int code, String message) {
        return new JsonRpcResponse(id, null, JsonRpcError.of(code, message));
    }

    /** Whether this response carries an error. */
    public boolean isError() {
        return error != null;
    }

    /** The same response under another id, as the gateway returns it to its client. */
    public JsonRpcResponse withId(RequestId newId) {
        return new JsonRpcResponse(newId, result, error);
    }
}
