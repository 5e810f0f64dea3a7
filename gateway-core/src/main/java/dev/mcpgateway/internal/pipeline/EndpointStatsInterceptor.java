package dev.mcpgateway.internal.pipeline;

import static dev.mcpgateway.internal.Futures.unwrap;

import dev.mcpgateway.balancer.EndpointStats;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.CallInterceptor;
import java.util.concurrent.CompletableFuture;

/**
 * The innermost attempt interceptor: keeps each instance's load figures (calls in flight, latency, failures) that
 * the balancers read. A JSON-RPC error from the plugin is an answer, not a failure of the instance; a timeout or a
 * broken connection is; a call the caller gave up on says nothing about the instance.
 */
final class EndpointStatsInterceptor implements CallInterceptor {
    @Override
    public CompletableFuture<CallToolResult> intercept(Chain chain) {
        EndpointStats stats = chain.routed().endpoint().stats();
        stats.callStarted();
        long startNanos = System.nanoTime();
        return Recorded.after(chain.proceed(chain.call()), (value, error) ->
                stats.callFinished(System.nanoTime() - startNanos, !CallPipeline.instanceFailed(unwrap(error))));
    }
}
