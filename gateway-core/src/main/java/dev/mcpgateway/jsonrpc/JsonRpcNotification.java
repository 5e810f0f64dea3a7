package dev.mcpgateway.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A JSON-RPC notification: a message with a method and no id, which gets no response.
 *
 * @param method the method name, e.g. {@code notifications/progress}
 * @param params an object or array node, or null
 */
public record JsonRpcNotification(String method, JsonNode params) implements JsonRpcMessage {
    public JsonRpcNotification {
        Objects.requireNonNull(method, "method");
    }
}
