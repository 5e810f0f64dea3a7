package dev.mcpgateway.server;

import dev.mcpgateway.jsonrpc.JsonRpcMessage;

/**
 * Where the gateway's MCP server writes messages for one client: the SSE stream of one HTTP request, the
 * session's GET stream, or stdout of the stdio front door. Implemented by front doors; must be thread-safe.
 */
@FunctionalInterface
public interface MessageSink {
    /** A sink that drops everything (an HTTP client with no stream open). */
    MessageSink NONE = message -> false;

    /**
     * Writes one message.
     *
     * @return false if the message could not be delivered (stream closed); the server then tries the session's
     *         other sink or drops it
     */
    boolean send(JsonRpcMessage message);
}
