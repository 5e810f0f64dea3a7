package dev.mcpgateway.transport;

/**
 * A message channel could not be opened, could not deliver a message, or ended unexpectedly. The message says
 * which plugin and what happened (exit code, HTTP status), without credentials.
 */
public class ChannelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ChannelException(String message) {
        super(message);
    }

    public ChannelException(String message, Throwable cause) {
        super(message, cause);
    }
}
