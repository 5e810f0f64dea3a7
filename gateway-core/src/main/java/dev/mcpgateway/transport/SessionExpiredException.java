package dev.mcpgateway.transport;

/**
 * The server no longer knows the session (Streamable HTTP answered 404 to a request carrying
 * {@code Mcp-Session-Id}). The message was not processed, so the session may start over and send it again.
 */
public final class SessionExpiredException extends UndeliveredException {
    private static final long serialVersionUID = 1L;

    public SessionExpiredException(String message) {
        super(message);
    }
}
