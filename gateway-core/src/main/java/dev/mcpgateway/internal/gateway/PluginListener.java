package dev.mcpgateway.internal.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Hears what plugins send the gateway outside of answers: notifications (log messages, resource updates) and
 * requests (sampling, elicitation, roots) that the gateway relays to its clients. Each MCP server on the gateway adds
 * one; called on connection threads, so it must return quickly.
 */
public interface PluginListener {
    /**
     * Whether a call of this listener's clients is in flight on the instance, so a request the plugin makes is
     * theirs to answer: with several MCP servers on one gateway, the request goes to the one that serves it.
     */
    default boolean serves(String instanceId) {
        return true;
    }

    /** A notification from a plugin instance (list changes are handled by the gateway before this is called). */
    default void onNotification(String instanceId, JsonRpcNotification notification) {
    }

    /** A request from a plugin instance; the answer goes back to the plugin under its own id. */
    default CompletableFuture<JsonNode> onRequest(String instanceId, JsonRpcRequest request) {
        return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND,
                "The gateway has no client to relay '" + request.method() + "' to"));
    }
}
