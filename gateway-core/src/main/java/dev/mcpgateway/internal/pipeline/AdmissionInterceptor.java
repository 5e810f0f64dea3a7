package dev.mcpgateway.internal.pipeline;

import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.CallInterceptor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway-wide cap on tool calls in flight ({@code CallLimits.maxInFlight}): a call beyond it waits, without a
 * thread, for one to finish, at most {@code maxWait} and behind at most as many others as the cap; then it fails
 * with {@code OVERLOADED}. Never an unbounded queue. A call that finds room costs one lock and no allocation.
 */
final class AdmissionInterceptor implements CallInterceptor {
    /**
     * Where a call that waited goes on: a thread of its own. The thread whose call made room may be the gateway's
     * timer, a plugin's reader or another client's request thread, whose answer would wait for this call's send (or
     * for its whole handler, for an in-process plugin on the caller's thread); and each call admitting the next on
     * its own stack would nest one inside another as long as calls wait.
     */
    private static final Executor ADMITTED = task -> Thread.ofVirtual().name("mcp-gateway-admitted").start(task);
    private final int limit;
    private final Duration maxWait;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(); // guarded by this
    private int inFlight; // guarded by this

    /** A call waiting for room, and when it gives up. */
    private static final class Waiter {
        final CompletableFuture<Void> admitted = new CompletableFuture<>();
        ScheduledFuture<?> expiry;
    }

    AdmissionInterceptor(int limit, Duration maxWait, ScheduledExecutorService timer) {
        this.limit = limit;
        this.maxWait = maxWait;
        this.timer = timer;
    }

    @Override
    public CompletableFuture<CallToolResult> intercept(Chain chain) {
        Waiter waiter;
        synchronized (this) {
            if (inFlight < limit) {
                inFlight++;
                waiter = null;
            } else if (maxWait.isZero() || waiters.size() >= limit) {
                return CompletableFuture.failedFuture(overloaded("there is no room to wait"));
            } else {
                Waiter queued = new Waiter();
                waiters.add(queued);
                queued.expiry = timer.schedule(() -> giveUp(queued), maxWait.toNanos(), TimeUnit.NANOSECONDS);
                waiter = queued;
            }
        }
        // Outside the lock: the rest of the chain (routing, the send, an in-process handler running on this thread)
        // must not hold up every other call's admission.
        if (waiter == null) {
            return run(chain);
        }
        // Not a stage of the wait, which a host interceptor could complete (orTimeout, cancel) while the call waits:
        // the place the call is given then would never be given back.
        CompletableFuture<CallToolResult> outcome = new CompletableFuture<>();
        waiter.admitted.whenComplete((admitted, refused) -> {
            if (refused != null) {
                outcome.completeExceptionally(refused);
            } else {
                ADMITTED.execute(() -> runAdmitted(chain, outcome));
            }
        });
        return outcome;
    }

    private void runAdmitted(Chain chain, CompletableFuture<CallToolResult> outcome) {
        if (outcome.isDone()) { // given up on while it waited: its place goes on, and the call is not made
            release();
            return;
        }
        try {
            run(chain).whenComplete((value, error) -> {
                if (error != null) {
                    outcome.completeExceptionally(error);
                } else {
                    outcome.complete(value);
                }
            });
        } catch (RuntimeException e) { // run gave the place back
            outcome.completeExceptionally(e);
        }
    }

    private CompletableFuture<CallToolResult> run(Chain chain) {
        CompletableFuture<CallToolResult> result;
        try {
            result = chain.proceed(chain.call());
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        result.whenComplete((value, error) -> release());
        return result;
    }

    /** A call finished: its place goes to the longest waiting call, if any. */
    private void release() {
        Waiter next;
        synchronized (this) {
            next = waiters.poll();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        next.expiry.cancel(false);
        next.admitted.complete(null);
    }

    private void giveUp(Waiter waiter) {
        boolean waiting;
        synchronized (this) {
            waiting = waiters.remove(waiter);
        }
        if (waiting) {
            waiter.admitted.completeExceptionally(overloaded("none finished within " + maxWait));
        }
    }

    private JsonRpcException overloaded(String why) {
        return new JsonRpcException(ErrorCodes.OVERLOADED, "The gateway has " + limit + " tool calls in flight, its"
                + " limit (CallLimits.maxInFlight), and " + why + "; try again later");
    }
}
