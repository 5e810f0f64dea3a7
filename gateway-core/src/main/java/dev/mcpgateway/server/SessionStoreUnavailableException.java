package dev.mcpgateway.server;

/**
 * The {@link SessionStore} could not be reached. The gateway goes on serving the sessions it holds; a session it
 * could not share is served only by the gateway that began it until the store is back. The message says what failed
 * without the store's credentials.
 */
public final class SessionStoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SessionStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
