package dev.mcpgateway.internal.pipeline;

import static dev.mcpgateway.internal.Futures.unwrap;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.CallInterceptor;
import dev.mcpgateway.routing.Router;
import dev.mcpgateway.routing.ToolRoute;
import dev.mcpgateway.transport.NotSentException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's retry policy, the innermost call interceptor: a call that never reached a plugin is routed again, away
 * from the instances it failed on when the balancer offers another (another instance may be fine: the one picked may
 * have just crashed, before the table knew, or be full); so is a read-only or idempotent tool whose connection broke
 * mid-call, when its plugin's annotations are trusted. At most {@link #MAX_RETRIES} times, never for a call pinned to one instance, and only while the
 * {@link RetryBudget} has retries left (an attempt the gateway refused itself spends none). Everything else fails with
 * the plugin's error.
 */
final class RetryInterceptor implements CallInterceptor {
    private static final Logger log = LoggerFactory.getLogger(RetryInterceptor.class);
    /** How many times a call is routed again after a failure that is safe to retry. */
    static final int MAX_RETRIES = 2;

    private final Router router;
    private final RetryBudget budget;
    private final Predicate<String> trustsAnnotations;

    /** @param trustsAnnotations whether a plugin's tool annotations are trusted, by plugin name */
    RetryInterceptor(Router router, RetryBudget budget, Predicate<String> trustsAnnotations) {
        this.router = router;
        this.budget = budget;
        this.trustsAnnotations = trustsAnnotations;
    }

    @Override
    public CompletableFuture<CallToolResult> intercept(Chain chain) {
        budget.called();
        return attempt(chain, MAX_RETRIES);
    }

    private CompletableFuture<CallToolResult> attempt(Chain chain, int retriesLeft) {
        return chain.proceed(chain.call()).exceptionallyCompose(error -> {
            Throwable cause = unwrap(error);
            if (retriesLeft > 0 && chain.call().instance() == null && mayRetry(cause, chain.call().name())
                    && (refusedHere(cause) || budget.tryRetry())) {
                log.debug("Retrying {} elsewhere after {}", chain.call().name(), cause.getMessage());
                return attempt(chain, retriesLeft - 1);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /**
     * Whether the gateway refused the attempt itself (its instance was ejected or full, and the routing table had not
     * caught up): going elsewhere puts no more load on any plugin than the call would have, so it spends no retry
     * budget. Otherwise the few milliseconds between an ejection and the table leaving the instance out, with callers
     * refused in microseconds, emptied the budget and read-only calls failed that another instance would have served.
     */
    private static boolean refusedHere(Throwable cause) {
        return cause instanceof InstanceEjectedException || cause instanceof InstanceOverloadedException;
    }

    private boolean mayRetry(Throwable cause, String tool) {
        if (cause instanceof NotSentException || refusedHere(cause)) {
            return true; // it never left: another instance may take it
        }
        if (!(cause instanceof JsonRpcException rpc) || rpc.code() != ErrorCodes.UPSTREAM_UNAVAILABLE) {
            return false;
        }
        ToolRoute route = router.table().routeByExposedName(tool);
        return route != null && route.tool().definition().annotations().isSafeToRetry() && annotationsTrusted(route);
    }

    /** Whether every plugin offering the tool is trusted for its annotations (a route may span plugins). */
    private boolean annotationsTrusted(ToolRoute route) {
        for (Endpoint endpoint : route.endpoints()) {
            if (!trustsAnnotations.test(endpoint.instance().pluginName())) {
                return false;
            }
        }
        return true;
    }
}
