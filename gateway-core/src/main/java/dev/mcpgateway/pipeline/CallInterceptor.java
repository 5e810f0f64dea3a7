package dev.mcpgateway.pipeline;

import dev.mcpgateway.ToolCall;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.routing.Router;
import java.util.concurrent.CompletableFuture;

/**
 * Sees, and may change the course of, every tool call the gateway routes: the one place where cross-cutting
 * concerns of a call (limits, passive health, retries, metrics, tracing, authorization, audit) hook in, in the shape
 * of OkHttp's interceptors. An interceptor either answers the call itself (rejects it, serves it from elsewhere) or
 * passes it on with {@link Chain#proceed}, and may look at, replace or retry what comes back.
 *
 * <p>Two places in the chain: a <em>call</em> interceptor ({@code McpGateway.Builder.interceptor}) runs once per
 * call, before it is routed, and each {@code proceed} routes it anew (so calling it again is a retry on whatever
 * instance the router picks); an <em>attempt</em> interceptor ({@code McpGateway.Builder.attemptInterceptor}) runs
 * once per attempt, after routing, and sees the instance chosen. Interceptors run on the caller's or a connection's
 * thread (after the admission cap, a call that waited for room goes on on a thread of its own) and must not block;
 * cancelling a call reaches whatever attempt is in flight, whatever the interceptors returned.
 */
@FunctionalInterface
public interface CallInterceptor {
    /**
     * Handles one call (or attempt).
     *
     * @return the call's result; completes exceptionally with a {@code JsonRpcException} saying what failed
     */
    CompletableFuture<CallToolResult> intercept(Chain chain);

    /** One call on its way through the interceptors. */
    interface Chain {
        /** The call as it stands here (an earlier interceptor may have changed it). */
        ToolCall call();

        /** Where this attempt goes: the route and the instance chosen; null in a call interceptor (not routed yet). */
        Router.Routed routed();

        /** Which attempt this is, from 1; 0 in a call interceptor. */
        int attempt();

        /**
         * Passes the call on to the rest of the chain. In an attempt interceptor, cancelling what it returns cancels
         * the attempt upstream (unless an interceptor further in returned a future of its own that does not).
         */
        CompletableFuture<CallToolResult> proceed(ToolCall call);
    }
}
