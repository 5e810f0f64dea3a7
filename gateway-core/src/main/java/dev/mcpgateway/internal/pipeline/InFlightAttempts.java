package dev.mcpgateway.internal.pipeline;

import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.CallInterceptor;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts in flight on each instance, so that when an instance turns unhealthy (ejected by outlier detection, or
 * found down by any health source) they fail at once with {@code UPSTREAM_UNAVAILABLE}, naming the instance and why,
 * and are cancelled upstream: the retry policy then re-routes read-only and idempotent tools to a healthy instance,
 * instead of every caller waiting out its call timeout on a hung one (one stopped process of three held every caller
 * for 60 s). The failure is delivered after the routing table left the instance out (the registry publishes a table
 * before its events), so a retry goes elsewhere. An instance taken out of service (a drain) is not unhealthy: its
 * calls finish.
 *
 * <p>An attempt interceptor and a registry listener; the failing runs on the given executor, off the control loop.
 * An attempt costs a set entry while it is in flight.
 */
public final class InFlightAttempts implements CallInterceptor, GatewayListener {
    private static final Logger log = LoggerFactory.getLogger(InFlightAttempts.class);

    private final Executor executor;
    private final ConcurrentHashMap<String, Set<Attempt>> byInstance = new ConcurrentHashMap<>();

    /** @param executor where attempts on an instance that turned unhealthy are failed (their retries start there) */
    public InFlightAttempts(Executor executor) {
        this.executor = executor;
    }

    @Override
    public CompletableFuture<CallToolResult> intercept(Chain chain) {
        CompletableFuture<CallToolResult> sent = chain.proceed(chain.call());
        if (sent.isDone()) {
            return sent; // refused or answered at once: nothing to keep
        }
        String instanceId = chain.routed().endpoint().id();
        Set<Attempt> onInstance = byInstance.get(instanceId);
        if (onInstance == null) {
            onInstance = byInstance.computeIfAbsent(instanceId, id -> ConcurrentHashMap.newKeySet());
        }
        Attempt attempt = new Attempt(sent, onInstance);
        onInstance.add(attempt);
        sent.whenComplete(attempt);
        return attempt;
    }

    @Override
    public void onEvent(GatewayEvent event) {
        switch (event) {
            case GatewayEvent.HealthChanged changed when changed.instance().health() == Health.UNHEALTHY
                    && changed.previous() != Health.UNHEALTHY -> {
                String instanceId = changed.instance().id();
                String reason = changed.reason();
                executor.execute(() -> failAll(instanceId, reason));
            }
            case GatewayEvent.InstanceDeregistered gone -> byInstance.remove(gone.instance().id());
            case GatewayEvent.LeaseExpired gone -> byInstance.remove(gone.instance().id());
            default -> {
            }
        }
    }

    /** Fails every attempt in flight on the instance, and cancels it upstream. */
    void failAll(String instanceId, String reason) {
        Set<Attempt> onInstance = byInstance.get(instanceId);
        if (onInstance == null || onInstance.isEmpty()) {
            return;
        }
        int failed = 0;
        for (Attempt attempt : onInstance) {
            if (attempt.fail(new JsonRpcException(ErrorCodes.UPSTREAM_UNAVAILABLE, "Plugin instance '" + instanceId
                    + "' left rotation as unhealthy while the call was in flight (" + reason + "); the call was"
                    + " cancelled there"))) {
                failed++;
            }
        }
        if (failed > 0) {
            log.warn("Failed {} calls in flight on plugin instance {}, which turned unhealthy: {}", failed, instanceId,
                    reason);
        }
    }

    /**
     * One attempt in flight: what the interceptor returned, completed by the attempt's own end or failed early;
     * either way it leaves the instance's set, and cancelling or failing it cancels the attempt upstream.
     */
    private static final class Attempt extends CompletableFuture<CallToolResult>
            implements BiConsumer<CallToolResult, Throwable> {
        private final CompletableFuture<CallToolResult> sent;
        private final Set<Attempt> onInstance;

        Attempt(CompletableFuture<CallToolResult> sent, Set<Attempt> onInstance) {
            this.sent = sent;
            this.onInstance = onInstance;
        }

        @Override
        public void accept(CallToolResult value, Throwable error) {
            onInstance.remove(this);
            if (error == null) {
                complete(value);
            } else {
                completeExceptionally(error);
            }
        }

        boolean fail(JsonRpcException failure) {
            if (!completeExceptionally(failure)) {
                return false;
            }
            onInstance.remove(this);
            sent.cancel(false);
            return true;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                onInstance.remove(this);
                sent.cancel(false);
            }
            return cancelled;
        }
    }
}
