package dev.mcpgateway.transport;

/**
 * A message that certainly did not reach the server (the process was already gone, the connection was refused,
 * the channel was closed): unlike a plain {@link ChannelException}, which leaves open whether the server got it,
 * the gateway may send the same request to another instance without risking it running twice.
 */
public class UndeliveredException extends ChannelException {
    private static final long serialVersionUID = 1L;

    public UndeliveredException(String message) {
        super(message);
    }

    public UndeliveredException(String message, Throwable cause) {
        super(message, cause);
    }
}
