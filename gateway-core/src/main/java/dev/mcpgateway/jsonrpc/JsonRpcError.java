package dev.mcpgateway.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The {@code error} member of a failed JSON-RPC response.
 *
 * @param code    a JSON-RPC error code, see {@link ErrorCodes}
 * @param message a short description of what went wrong and, where possible, how to fix it
 * @param data    extra detail, or null
 */
public record JsonRpcError(int code, String message, JsonNode data) {
    public JsonRpcError {
        Objects.requireNonNull(message, "message");
    }

    /** An error without data. */
    public static JsonRpcError of(int code, String message) {
        return new JsonRpcError(code, message, null);
    }
}
