package dev.mcpgateway.internal.pipeline;

import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.CallInterceptor;
import java.util.concurrent.CompletableFuture;

/**
 * Refuses an attempt on an instance that has as many calls in flight as {@code CallLimits.maxInFlightPerInstance}
 * allows; the retry policy then routes the call to another instance, and only when every one is full does the caller
 * get {@code OVERLOADED}. A soft cap: calls racing for the last place may pass it by a few.
 */
final class InstanceLimitInterceptor implements CallInterceptor {
    private final int limit;

    InstanceLimitInterceptor(int limit) {
        this.limit = limit;
    }

    @Override
    public CompletableFuture<CallToolResult> intercept(Chain chain) {
        int inFlight = chain.routed().endpoint().stats().inFlight();
        if (inFlight >= limit) {
            return CompletableFuture.failedFuture(new InstanceOverloadedException("Plugin instance '"
                    + chain.routed().endpoint().id() + "' has " + inFlight + " calls in flight, its limit"
                    + " (CallLimits.maxInFlightPerInstance " + limit + "); try again later"));
        }
        return chain.proceed(chain.call());
    }
}
