package dev.mcpgateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import java.util.concurrent.CompletableFuture;

/**
 * What a plugin connection tells the gateway: notifications the plugin sends outside a call (list changes,
 * log messages), requests it makes of the gateway (sampling, elicitation, roots), and when the connection
 * breaks and comes back. Called on the connection's reader thread: return quickly.
 */
public interface UpstreamListener {
    /** Ignores everything; requests are refused with -32601. */
    UpstreamListener NONE = new UpstreamListener() {
    };

    /** A notification not tied to a call (e.g. {@code notifications/tools/list_changed}). */
    default void onNotification(JsonRpcNotification notification) {
    }

    /** A server-to-client request; the answer goes back to the plugin under the plugin's id. */
    default CompletableFuture<JsonNode> onRequest(JsonRpcRequest request) {
        return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND,
                "The gateway does not serve '" + request.method() + "' for this plugin"));
    }

    /**
     * The connection broke (process exited, stream failed) and calls fail until it is back; a supervised
     * connection is already restarting it.
     *
     * @param cause what happened, naming the plugin
     */
    default void onDisconnected(Throwable cause) {
    }

    /**
     * The connection is up: after the first handshake, again after every restart, and after a new session on the
     * same channel when the plugin had lost the old one (an HTTP server restarted). Tools may have changed in
     * between, so the gateway lists them again; and what it concluded about the old session's health is dropped.
     */
    default void onConnected() {
    }
}
