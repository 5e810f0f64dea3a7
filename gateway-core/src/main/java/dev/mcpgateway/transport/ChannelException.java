package dev.mcpgateway.transport;

/**
 * A message channel could not be opened, could not deliver a message, or ended unexpectedly. The message says
 * which plugin and what happened (exit code, HTTP status), without credentials; it is for the gateway's log and
 * its Java API, and may name the plugin's address. What the gateway's own MCP clients are told is shorter: the
 * plugin's name, and the {@link #httpStatus()} where the plugin's server answered with one.
 */
public class ChannelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status the plugin's server answered with, or 0. */
    private final int httpStatus;

    public ChannelException(String message) {
        this(message, null, 0);
    }

    public ChannelException(String message, Throwable cause) {
        this(message, cause, 0);
    }

    /** A failure whose cause is the status a plugin's HTTP server answered with, such as 502. */
    public ChannelException(String message, int httpStatus) {
        this(message, null, httpStatus);
    }

    private ChannelException(String message, Throwable cause, int httpStatus) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    /** The HTTP status the plugin's server answered with, or 0 when the failure was not an HTTP answer. */
    public int httpStatus() {
        return httpStatus;
    }
}
