package dev.mcpgateway.internal.pipeline;

import static dev.mcpgateway.internal.Futures.unwrap;

import dev.mcpgateway.internal.health.OutlierDetector;
import dev.mcpgateway.internal.health.OutlierDetector.Failure;
import dev.mcpgateway.internal.health.OutlierDetector.Permit;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.CallInterceptor;
import dev.mcpgateway.routing.Router;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Outlier detection in the call path (resilience4j's "ask permission, then record the outcome"): an attempt asks the
 * {@link OutlierDetector} whether its instance may take it, and reports how it ended. An attempt refused because the
 * instance is ejected (the routing table had not caught up) never left, so the retry policy sends it elsewhere; so
 * is one refused because the instance, back on trial, runs as many calls as it may. Failures are classified as
 * {@link CallPipeline#instanceFailed} does for the balancers' figures.
 */
final class OutlierInterceptor implements CallInterceptor {
    private final OutlierDetector detector;

    OutlierInterceptor(OutlierDetector detector) {
        this.detector = detector;
    }

    @Override
    public CompletableFuture<CallToolResult> intercept(Chain chain) {
        Router.Routed routed = chain.routed();
        OutlierDetector.Instance instance = detector.instance(routed.endpoint().id());
        Permit permit = detector.permit(instance);
        if (permit == Permit.EJECTED) {
            return CompletableFuture.failedFuture(new InstanceEjectedException(detector.refusal(instance, permit)));
        }
        if (permit == Permit.TRIAL_FULL) {
            return CompletableFuture.failedFuture(new InstanceOverloadedException(detector.refusal(instance, permit)));
        }
        long startNanos = System.nanoTime();
        CompletableFuture<CallToolResult> sent;
        try {
            sent = chain.proceed(chain.call());
        } catch (RuntimeException e) {
            detector.abandoned(instance, permit);
            throw e;
        }
        return Recorded.after(sent, (value, error) -> {
            Throwable cause = unwrap(error);
            if (cause instanceof CancellationException) {
                detector.abandoned(instance, permit);
            } else if (CallPipeline.instanceFailed(cause)) {
                detector.failed(instance, permit, routed.route().endpoints(),
                        ((JsonRpcException) cause).code() == ErrorCodes.UPSTREAM_TIMEOUT ? Failure.TIMEOUT
                                : Failure.UNREACHABLE);
            } else {
                detector.answered(instance, permit, routed.route().endpoints(), System.nanoTime() - startNanos);
            }
        });
    }
}
