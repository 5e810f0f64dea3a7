package dev.mcpgateway.internal.pipeline;

import dev.mcpgateway.mcp.CallToolResult;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * An attempt's outcome that completes only once an interceptor has recorded it, so what the interceptors keep (calls
 * in flight, outlier counts) is up to date by the time the caller has its result. A plain {@code whenComplete} would
 * not do: a future runs its dependents last-registered-first, so the interceptors nearest the plugin, which register
 * first, would record after the caller had already seen the result (and, say, read a call still counted in flight).
 * Cancelling it cancels the attempt. The metrics' call interceptor records through it too.
 */
public final class Recorded extends CompletableFuture<CallToolResult> implements BiConsumer<CallToolResult, Throwable> {
    private final CompletableFuture<CallToolResult> attempt;
    private final BiConsumer<CallToolResult, Throwable> record;

    private Recorded(CompletableFuture<CallToolResult> attempt, BiConsumer<CallToolResult, Throwable> record) {
        this.attempt = attempt;
        this.record = record;
    }

    /** The attempt's outcome once {@code record} has seen it. */
    public static CompletableFuture<CallToolResult> after(CompletableFuture<CallToolResult> attempt,
                                                          BiConsumer<CallToolResult, Throwable> record) {
        Recorded recorded = new Recorded(attempt, record);
        attempt.whenComplete(recorded);
        return recorded;
    }

    @Override
    public void accept(CallToolResult value, Throwable error) {
        try {
            record.accept(value, error);
        } finally {
            if (error == null) {
                complete(value);
            } else {
                completeExceptionally(error);
            }
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            attempt.cancel(false);
        }
        return cancelled;
    }
}
