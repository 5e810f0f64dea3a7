package dev.mcpgateway.server;

import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import java.util.concurrent.CompletableFuture;

/**
 * One client's MCP session with the gateway: its negotiated version and capabilities, its calls in flight and
 * where unsolicited messages (list changes, log messages, requests from plugins) go. Front doors feed it every
 * message the client sends.
 */
public interface ServerSession {

    /** The session id (the {@code Mcp-Session-Id} over HTTP). */
    String id();

    /**
     * Handles one message from the client.
     *
     * @param message    a request, notification or response (the answer to a request the gateway sent)
     * @param callStream where messages tied to this request go before its response (progress, requests a
     *                   plugin makes while serving it); {@link MessageSink#NONE} if the front door has no such stream
     * @return for a request, its response (never null, errors included); for anything else a completed future of null
     */
    CompletableFuture<JsonRpcResponse> handle(JsonRpcMessage message, MessageSink callStream);

    /** Sets where unsolicited messages go (the HTTP GET stream, stdout); {@link MessageSink#NONE} to detach. */
    void attach(MessageSink unsolicited);

    /** The protocol version agreed on, or null before {@code initialize}. */
    String protocolVersion();

    /** Whether {@code initialize} completed (always true for stateless-era sessions). */
    boolean isInitialized();

    /**
     * Who the session's client authenticated as when it began (the bearer token of its {@code initialize}, or of its
     * one stateless request), or null when the front door does not authenticate clients. Later authorization reads
     * it here, and from a {@link dev.mcpgateway.ToolCall#principal() tool call}.
     */
    default Principal principal() {
        return null;
    }

    /**
     * Tells the session the bearer token its front door validated for the client's latest request, so the calls it
     * makes from then on can have it exchanged for plugins that use token exchange
     * ({@link dev.mcpgateway.auth.UpstreamCredentials#tokenExchange}). Front doors that authenticate call it on every
     * request, before handing the request over, as a client refreshes its token during a long session. The token is
     * never logged nor forwarded to a plugin. A no-op by default.
     */
    default void rememberBearerToken(String token) {
    }

    /** Ends the session: its calls in flight are cancelled. */
    void close();
}
