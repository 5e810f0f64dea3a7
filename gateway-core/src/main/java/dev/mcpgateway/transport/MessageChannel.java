package dev.mcpgateway.transport;

import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import java.util.concurrent.CompletableFuture;

/**
 * A pipe of JSON-RPC messages to one plugin server, below the MCP session: stdio lines to a child process,
 * or Streamable HTTP requests and event streams. The gateway's MCP client session runs on top of it (ids,
 * handshake, timeouts, discovery); a channel only moves messages and reports when it ends.
 */
public interface MessageChannel extends AutoCloseable {

    /**
     * Opens the channel (launches the process, prepares the HTTP client). Incoming messages go to the
     * receiver, one at a time, on a thread the channel owns.
     *
     * @throws ChannelException when the channel cannot be opened (command not found, bad URL)
     */
    void start(Receiver receiver);

    /**
     * Sends one message.
     *
     * @return completes once the message was handed over (written to stdin; accepted by the HTTP server);
     *         fails with {@link UndeliveredException} (or its subclass {@link SessionExpiredException}) when the
     *         message certainly did not reach the server, and with {@link ChannelException} when that is unknown
     */
    CompletableFuture<Void> send(JsonRpcMessage message);

    /**
     * Sends one message of a call made on behalf of a client (see {@link dev.mcpgateway.transport.CallOptions}), so a
     * transport with per-plugin credentials can pick the token for it; {@code onBehalfOf} is null for the gateway's own
     * requests. Transports without credentials send it as {@link #send(JsonRpcMessage)} does.
     */
    default CompletableFuture<Void> send(JsonRpcMessage message, dev.mcpgateway.auth.Authenticated onBehalfOf) {
        return send(message);
    }

    /**
     * Tells the channel the protocol version the session agreed on, for transports that must repeat it
     * (the {@code MCP-Protocol-Version} HTTP header). Called once after the handshake; a no-op by default.
     */
    default void protocolVersionNegotiated(String protocolVersion) {
    }

    /** Closes the channel politely (stdio: close stdin, wait, terminate, kill; HTTP: DELETE the session). Idempotent. */
    @Override
    void close();

    /** A short description for logs, e.g. {@code stdio 'files' pid 4242} or {@code http://127.0.0.1:8081/mcp}. */
    String describe();

    /** Receives what comes out of a channel. */
    interface Receiver {
        /** A well-formed JSON-RPC message from the server. */
        void onMessage(JsonRpcMessage message);

        /**
         * Input that is not a valid JSON-RPC message (a stray log line on stdout, a malformed event). The
         * session logs it and carries on, as the spec allows; it is never fatal by itself.
         */
        void onInvalid(String reason);

        /**
         * The channel ended and will deliver nothing more.
         *
         * @param cause why (process exit code, broken stream), or null when {@link #close()} ended it
         */
        void onClosed(ChannelException cause);
    }
}
