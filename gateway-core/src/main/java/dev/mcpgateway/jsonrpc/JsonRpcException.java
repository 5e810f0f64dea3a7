package dev.mcpgateway.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A failure that maps to one JSON-RPC error: a malformed message, or a call that cannot be served.
 * It carries the id of the message it answers when that id could be read.
 */
public class JsonRpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final transient RequestId id;
    private final transient JsonNode data;

    public JsonRpcException(int code, String message) {
        this(code, message, null, null, null);
    }

    public JsonRpcException(int code, String message, RequestId id) {
        this(code, message, id, null, null);
    }

    public JsonRpcException(int code, String message, RequestId id, JsonNode data, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.id = id;
        this.data = data;
    }

    /** The JSON-RPC error code. */
    public int code() {
        return code;
    }

    /** The id of the message this error answers, or null if it could not be read. */
    public RequestId id() {
        return id;
    }

    /** The error's {@code data}, or null. */
    public JsonNode data() {
        return data;
    }

    /** The error as it goes on the wire. */
    public JsonRpcError toError() {
        return new JsonRpcError(code, getMessage(), data);
    }

    /** The error response answering the message. */
    public JsonRpcResponse toResponse() {
        return JsonRpcResponse.failure(id, toError());
    }
}
