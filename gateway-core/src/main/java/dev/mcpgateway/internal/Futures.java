package dev.mcpgateway.internal;

import java.util.concurrent.CompletionException;

/** What the gateway's asynchronous code needs from every future's failure, written once. */
public final class Futures {
    private Futures() {
    }

    /** The failure a {@code CompletionException} wraps (through any depth of wrapping), or the failure itself. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
