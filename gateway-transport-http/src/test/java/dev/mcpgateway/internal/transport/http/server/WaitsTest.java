package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.registry.UnknownInstanceException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** How routes wait for the gateway, and the problem each failure becomes. */
class WaitsTest {
    private final Waits waits = new Waits();

    @Test
    void failedToolCallsMapToStatuses() {
        assertStatus(503, ErrorCodes.NO_HEALTHY_INSTANCE);
        assertStatus(503, ErrorCodes.NO_MATCHING_INSTANCE);
        assertStatus(503, ErrorCodes.GATEWAY_CLOSED);
        assertStatus(504, ErrorCodes.UPSTREAM_TIMEOUT);
        assertStatus(502, ErrorCodes.UPSTREAM_UNAVAILABLE);
        assertStatus(502, ErrorCodes.INTERNAL_ERROR);
        assertStatus(400, ErrorCodes.INVALID_PARAMS);
        RouteReply overloaded = Waits.problemOf(new JsonRpcException(ErrorCodes.OVERLOADED, "busy"));
        assertEquals(503, overloaded.status());
        assertEquals("1", overloaded.headers().get("Retry-After"));
        assertEquals(ErrorCodes.OVERLOADED, overloaded.body().path("code").asInt());
        assertNull(Waits.problemOf(new JsonRpcException(ErrorCodes.UPSTREAM_TIMEOUT, "late")).headers()
                .get("Retry-After"));
    }

    @Test
    void otherFailuresMapToo() {
        assertEquals(404, status(new UnknownInstanceException("x-1")));
        assertEquals(504, status(new TimeoutException("2 calls in flight")));
        assertEquals(400, status(new IllegalArgumentException("bad")));
        assertEquals(503, status(new IllegalStateException("closed")));
        RuntimeException fault = new UnsupportedOperationException("bug");
        assertEquals(fault, Waits.translate(fault), "a fault stays a fault, answered 500 and logged");
    }

    @Test
    void aWaitIsBoundedAndReleasedOnClose() {
        ProblemException late = assertThrows(ProblemException.class,
                () -> waits.await(new CompletableFuture<>(), Duration.ofMillis(10), "answer"));
        assertEquals(503, late.reply().status());
        assertEquals("done", waits.await(CompletableFuture.completedFuture("done"), Duration.ofSeconds(1), "x"));

        CompletableFuture<String> never = new CompletableFuture<>();
        CompletableFuture<ProblemException> released = CompletableFuture.supplyAsync(() -> assertThrows(
                ProblemException.class, () -> waits.await(never, Duration.ofMinutes(1), "drain")));
        dev.mcpgateway.testing.Await.until("the wait began", Duration.ofSeconds(10), () -> {
            waits.close();
            return released.isDone();
        });
        assertEquals(503, released.join().reply().status());
        assertTrue(released.join().getMessage().contains("shutting down"), released.join().getMessage());
        assertTrue(!never.isDone(), "the gateway's own future is left alone");
    }

    private static void assertStatus(int status, int code) {
        RouteReply reply = Waits.problemOf(new JsonRpcException(code, "why"));
        assertEquals(status, reply.status(), "code " + code);
        assertEquals(code, reply.body().path("code").asInt());
        assertEquals("application/problem+json", reply.contentType());
    }

    private static int status(Throwable failure) {
        return ((ProblemException) Waits.translate(failure)).reply().status();
    }
}
