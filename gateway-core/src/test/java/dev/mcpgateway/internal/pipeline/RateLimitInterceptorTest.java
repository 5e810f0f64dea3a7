package dev.mcpgateway.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.RateLimits;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.ToolKey;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rate limits as token buckets, on a fake clock: no test sleeps. */
class RateLimitInterceptorTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private long now = 1_000 * SECOND;
    private final AtomicInteger passed = new AtomicInteger();

    private RateLimitInterceptor limiter(RateLimits limits) {
        // Exposed names are namespace__tool, as with the default naming.
        return new RateLimitInterceptor(limits, name -> {
            int at = name.indexOf("__");
            return at < 0 ? null : new ToolKey(name.substring(0, at), name.substring(at + 2));
        }, () -> now);
    }

    /** Calls through the limiter; null when it passed, else the refusal. */
    private JsonRpcException call(RateLimitInterceptor limiter, ToolCall call) {
        CompletableFuture<CallToolResult> result = limiter.intercept(new StubChain(call, next -> {
            passed.incrementAndGet();
            return CompletableFuture.completedFuture(CallToolResult.text("ok"));
        }));
        try {
            result.join();
            return null;
        } catch (CompletionException e) {
            return (JsonRpcException) e.getCause();
        }
    }

    private static ToolCall as(String subject, String tool) {
        Principal principal = new Principal(subject, "https://issuer.example", null, Set.of(), Set.of(), null, Map.of());
        return ToolCall.of(tool, null).onBehalfOf(() -> principal);
    }

    /** A client session of a front door that authenticates nobody. */
    private record Anonymous(String sessionId, boolean stateless, String frontDoorClient)
            implements Authenticated, SessionBound {
        @Override
        public Principal principal() {
            return null;
        }
    }

    private static ToolCall inSession(String session, String tool) {
        return ToolCall.of(tool, null).onBehalfOf(new Anonymous(session, false, null));
    }

    /** A 2026-07-28 request: a session of its own, labelled by a number, from a client its front door may know. */
    private static ToolCall stateless(int request, String frontDoorClient, String tool) {
        return ToolCall.of(tool, null).onBehalfOf(new Anonymous("stateless-gw-" + request, true, frontDoorClient));
    }

    @Test
    void aBucketAllowsItsBurstThenRefillsAtItsRate() {
        RateLimitInterceptor limiter = limiter(RateLimits.builder().perClient(2, 3).build());
        for (int i = 0; i < 3; i++) {
            assertNull(call(limiter, as("alice", "calc__add")), "call " + i + " is within the burst");
        }
        assertEquals(ErrorCodes.RATE_LIMITED, call(limiter, as("alice", "calc__add")).code());
        now += SECOND / 2; // one token at 2/s
        assertNull(call(limiter, as("alice", "calc__add")));
        assertEquals(ErrorCodes.RATE_LIMITED, call(limiter, as("alice", "calc__add")).code());
        now += 10 * SECOND; // refills to the burst, no further
        for (int i = 0; i < 3; i++) {
            assertNull(call(limiter, as("alice", "calc__add")));
        }
        assertEquals(ErrorCodes.RATE_LIMITED, call(limiter, as("alice", "calc__add")).code());
        assertEquals(7, passed.get());
    }

    @Test
    void theRefusalSaysWhichLimitItsRateAndWhenToRetry() {
        RateLimitInterceptor limiter = limiter(RateLimits.builder().perClient(0.25, 1).build());
        call(limiter, as("alice", "calc__add"));
        JsonRpcException refused = call(limiter, as("alice", "calc__add"));
        assertEquals(-32008, refused.code());
        assertTrue(refused.getMessage().contains("client 'alice' of https://issuer.example"), refused.getMessage());
        assertTrue(refused.getMessage().contains("0.25/s (burst 1)"), refused.getMessage());
        assertTrue(refused.getMessage().contains("retry after 4 s"), refused.getMessage());
        assertEquals(4, refused.data().path("retryAfterSeconds").asLong());
        now += SECOND + SECOND / 2; // 2.5 s to go: whole seconds, rounded up
        assertEquals(3, call(limiter, as("alice", "calc__add")).data().path("retryAfterSeconds").asLong());
    }

    @Test
    void clientsHaveBucketsOfTheirOwn() {
        RateLimitInterceptor limiter = limiter(RateLimits.builder().perClient(1, 1).build());
        assertNull(call(limiter, as("alice", "calc__add")));
        assertEquals(ErrorCodes.RATE_LIMITED, call(limiter, as("alice", "calc__add")).code());
        assertNull(call(limiter, as("bob", "calc__add")), "bob is not limited by alice's calls");
        assertNull(call(limiter, inSession("s1", "calc__add")), "a session without a principal is a client");
        assertNull(call(limiter, inSession("s2", "calc__add")));
        assertEquals(ErrorCodes.RATE_LIMITED, call(limiter, inSession("s1", "calc__add")).code());
    }

    @Test
    void statelessRequestsCountAgainstTheirClientAsTheFrontDoorKnowsItNotTheirOneRequestSession() {
        RateLimitInterceptor limiter = limiter(RateLimits.builder().perClient(1, 2).perClientPerTool(1, 5).build());
        assertNull(call(limiter, stateless(1, "10.0.0.1", "calc__add")));
        assertNull(call(limiter, stateless(2, "10.0.0.1", "calc__add")));
        JsonRpcException refused = call(limiter, stateless(3, "10.0.0.1", "calc__add"));
        assertEquals(ErrorCodes.RATE_LIMITED, refused.code(), "a fresh session per request escapes no limit");
        assertTrue(refused.getMessage().startsWith("Rate limit of client '10.0.0.1' reached"), refused.getMessage());
        assertNull(call(limiter, stateless(4, "10.0.0.2", "calc__add")), "another address, another bucket");
        assertNull(call(limiter, inSession("10.0.0.1", "calc__add")), "a stateful session is keyed apart");
        assertNull(call(limiter, as("10.0.0.1", "calc__add")), "and so is a principal");
    }

    @Test
    void aClientsLimitOnEachToolCountsStatelessRequestsByTheFrontDoorsKeyToo() {
        RateLimitInterceptor limiter = limiter(RateLimits.builder().perClientPerTool(1, 1).build());
        assertNull(call(limiter, stateless(1, "10.0.0.1", "calc__add")));
        JsonRpcException refused = call(limiter, stateless(2, "10.0.0.1", "calc__add"));
        assertTrue(refused.getMessage().contains("client '10.0.0.1' on tool 'calc__add'"), refused.getMessage());
    }

    @Test
    void statelessRequestsNoFrontDoorKnowsShareTheAnonymousBucket() {
        RateLimitInterceptor limiter = limiter(RateLimits.builder().perClient(1, 2).build());
        assertNull(call(limiter, stateless(1, null, "calc__add")));
        assertNull(call(limiter, ToolCall.of("calc__add", null)));
        JsonRpcException refused = call(limiter, stateless(2, null, "calc__add"));
        assertTrue(refused.getMessage().contains("anonymous"), refused.getMessage());
    }

    @Test
    void callsWithNeitherPrincipalNorSessionShareOneBucket() {
        RateLimitInterceptor limiter = limiter(RateLimits.builder().perClient(1, 2).build());
        assertNull(call(limiter, ToolCall.of("calc__add", null)));
        assertNull(call(limiter, ToolCall.of("weather__now", null).onBehalfOf(() -> null)));
        JsonRpcException refused = call(limiter, ToolCall.of("calc__add", null));
        assertTrue(refused.getMessage().contains("anonymous"), refused.getMessage());
    }

    @Test
    void toolRulesMatchByPatternAndGiveEachToolItsOwnBucket() {
        RateLimitInterceptor limiter = limiter(RateLimits.builder()
                .perTool("github/create_*", 1, 1).perTool("github/*", 1, 2).build());
        assertNull(call(limiter, as("alice", "github__create_issue")));
        JsonRpcException refused = call(limiter, as("bob", "github__create_issue"));
        assertTrue(refused.getMessage().contains("tool 'github__create_issue' (github/create_*)"), refused.getMessage());
        assertNull(call(limiter, as("bob", "github__create_pr")), "another tool, another bucket");
        assertNull(call(limiter, as("bob", "github__search")));
        assertNull(call(limiter, as("bob", "github__search")), "the second rule's burst of 2");
        assertEquals(ErrorCodes.RATE_LIMITED, call(limiter, as("carol", "github__search")).code());
        for (int i = 0; i < 5; i++) {
            assertNull(call(limiter, as("bob", "calc__add")), "no rule matches calc");
            assertNull(call(limiter, as("bob", "unknown")), "an unknown tool is routing's to refuse");
        }
    }

    @Test
    void aClientsLimitOnEachToolAndTokensOfARefusedCallGiveBack() {
        RateLimitInterceptor limiter = limiter(RateLimits.builder().perClient(1, 2).perClientPerTool(1, 1).build());
        assertNull(call(limiter, as("alice", "calc__add")));
        JsonRpcException refused = call(limiter, as("alice", "calc__add"));
        assertTrue(refused.getMessage().contains("on tool 'calc__add'"), refused.getMessage());
        // The refused call gave its client token back: one is left for another tool.
        assertNull(call(limiter, as("alice", "weather__now")));
        assertEquals(ErrorCodes.RATE_LIMITED, call(limiter, as("alice", "calc__sub")).code());
    }

    @Test
    void bucketsAreBoundedIdleOnesGoFirst() {
        RateLimitInterceptor limiter = limiter(RateLimits.builder().perClient(1, 1).maxBuckets(100).build());
        for (int i = 0; i < 1_000; i++) {
            assertNull(call(limiter, as("client-" + i, "calc__add")));
            assertTrue(limiter.buckets() <= 100, "at most maxBuckets: " + limiter.buckets());
        }
        // The most recent clients are still remembered (evicting the oldest first): their buckets are empty.
        assertEquals(ErrorCodes.RATE_LIMITED, call(limiter, as("client-999", "calc__add")).code());
        now += 2 * SECOND; // every bucket is full again: the next sweep forgets them all, losing nothing
        for (int i = 0; i < 100; i++) {
            call(limiter, as("other-" + i, "calc__add"));
        }
        assertTrue(limiter.buckets() <= 100, "at most maxBuckets: " + limiter.buckets());
    }

    @Test
    void optionsAreValidatedWithHelpfulMessages() {
        assertEquals(false, RateLimits.none().enabled());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RateLimits.builder().perClient(0, 1))
                .getMessage().contains("perSecond must be a finite number above 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RateLimits.builder().perTool("x", 1, 0))
                .getMessage().contains("burst must be at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RateLimits.builder().perTool("", 1, 1))
                .getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RateLimits.builder().maxBuckets(0).build())
                .getMessage().contains("maxBuckets must be at least 1"));
    }
}
