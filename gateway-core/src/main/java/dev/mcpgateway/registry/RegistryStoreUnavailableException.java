package dev.mcpgateway.registry;

/**
 * A registry change the {@link RegistryStore} could not keep: the change was not applied, and may be retried once
 * the store is back (the management API answers {@code 503} with {@code Retry-After}). The message says what failed
 * without the store's credentials.
 */
public final class RegistryStoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
