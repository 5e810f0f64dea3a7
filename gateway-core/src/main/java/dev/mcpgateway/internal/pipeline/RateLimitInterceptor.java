package dev.mcpgateway.internal.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.RateLimits;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.CallInterceptor;
import dev.mcpgateway.plugin.ToolKey;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The {@link RateLimits}: the outermost of the gateway's limits, before the cap on calls in flight and before routing,
 * so a refused call costs neither a place in flight nor anything upstream. A call takes a token from each bucket that
 * applies (its client's, its tool's, its client's on its tool); if one is empty the tokens already taken are given
 * back and the call fails with {@code RATE_LIMITED}, saying which limit, its rate, and when to retry.
 */
public final class RateLimitInterceptor implements CallInterceptor {
    /**
     * The key of the clients that are neither authenticated nor in a session nor known to a front door (a host calling
     * in process): they share one bucket.
     */
    private static final String ANONYMOUS = "anonymous";

    private final RateLimits limits;
    private final Function<String, ToolKey> tools;
    private final LongSupplier nanoTime;
    private final BucketTable buckets;

    /**
     * @param limits   the limits; at least one set
     * @param tools    the tool an exposed name stands for, or null for an unknown one (routing then refuses it)
     * @param nanoTime the time, in nanoseconds ({@code System::nanoTime}; tests pass a fake)
     */
    public RateLimitInterceptor(RateLimits limits, Function<String, ToolKey> tools, LongSupplier nanoTime) {
        this.limits = limits;
        this.tools = tools;
        this.nanoTime = nanoTime;
        this.buckets = new BucketTable(limits.maxBuckets());
    }

    /** How many buckets are kept now (for tests of the bound). */
    int buckets() {
        return buckets.size();
    }

    @Override
    public CompletableFuture<CallToolResult> intercept(Chain chain) {
        ToolCall call = chain.call();
        long now = nanoTime.getAsLong();
        Object client = null;
        TokenBucket perClient = null;
        if (limits.perClient() != null) {
            client = clientOf(call);
            perClient = buckets.bucket(new Key(Scope.CLIENT, client, null), limits.perClient(), now);
            long wait = perClient.take(now);
            if (wait > 0) {
                return refuse("client " + describe(client), limits.perClient(), wait);
            }
        }
        TokenBucket perTool = null;
        if (!limits.perTool().isEmpty()) {
            ToolKey key = tools.apply(call.name());
            RateLimits.ToolRate rule = key == null ? null : limits.ruleFor(key.namespace(), key.name());
            if (rule != null) {
                perTool = buckets.bucket(new Key(Scope.TOOL, null, call.name()), rule.rate(), now);
                long wait = perTool.take(now);
                if (wait > 0) {
                    giveBack(perClient);
                    return refuse("tool '" + call.name() + "' (" + rule.tools() + ")", rule.rate(), wait);
                }
            }
        }
        if (limits.perClientPerTool() != null) {
            client = client != null ? client : clientOf(call);
            TokenBucket both = buckets.bucket(new Key(Scope.CLIENT_TOOL, client, call.name()), limits.perClientPerTool(),
                    now);
            long wait = both.take(now);
            if (wait > 0) {
                giveBack(perClient);
                giveBack(perTool);
                return refuse("client " + describe(client) + " on tool '" + call.name() + "'", limits.perClientPerTool(),
                        wait);
            }
        }
        return chain.proceed(call);
    }

    /**
     * Who a call counts against: its principal (issuer and subject: a subject is unique only within its issuer), else
     * the session it came through; a stateless session, made afresh for each request, stands for no client, so its
     * client counts as its front door knows it (its address) or, without such a key, with everybody anonymous.
     */
    static Object clientOf(ToolCall call) {
        Principal principal = call.principal();
        if (principal != null) {
            return new PrincipalKey(principal.issuer(), principal.subject());
        }
        if (call.client() instanceof SessionBound bound) {
            if (bound.stateless()) {
                return bound.frontDoorClient() == null ? ANONYMOUS : new FrontDoorKey(bound.frontDoorClient());
            }
            if (bound.sessionId() != null) {
                return new SessionKey(bound.sessionId());
            }
        }
        return ANONYMOUS;
    }

    private static String describe(Object client) {
        return switch (client) {
            case PrincipalKey principal -> "'" + principal.subject() + "'"
                    + (principal.issuer() == null ? "" : " of " + principal.issuer());
            case SessionKey session -> "session '" + session.id() + "'";
            case FrontDoorKey frontDoor -> "'" + frontDoor.key() + "'";
            default -> "anonymous (calls with no principal, session or client address share one limit)";
        };
    }

    private static void giveBack(TokenBucket bucket) {
        if (bucket != null) {
            bucket.giveBack();
        }
    }

    private static CompletableFuture<CallToolResult> refuse(String who, RateLimits.Rate rate, long waitNanos) {
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L); // HTTP's Retry-After is whole seconds
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("retryAfterSeconds", seconds);
        return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.RATE_LIMITED, "Rate limit of " + who
                + " reached: " + rate + " (RateLimits); retry after " + seconds + " s", null, data, null));
    }

    private enum Scope { CLIENT, TOOL, CLIENT_TOOL }

    /** A bucket's key: which limit, whose, on which tool (null where the limit has no such part). */
    private record Key(Scope scope, Object client, String tool) {
    }

    private record PrincipalKey(String issuer, String subject) {
    }

    private record SessionKey(String id) {
    }

    /** A client of stateless requests as its front door knows it ({@link SessionBound#frontDoorClient()}). */
    private record FrontDoorKey(String key) {
    }
}
