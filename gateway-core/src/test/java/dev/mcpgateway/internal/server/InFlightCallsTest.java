package dev.mcpgateway.internal.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.jsonrpc.RequestId;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A session's calls in flight: found by their request's id while they run, cancelled when the session ends. */
class InFlightCallsTest {
    @Test
    void aStatelessSessionsOneCallNeedsNoMap() {
        InFlightCalls calls = new InFlightCalls(true);
        CompletableFuture<String> call = new CompletableFuture<>();

        calls.add(RequestId.of(1), call);

        assertSame(call, calls.get(RequestId.of(1)));
        assertNull(calls.get(RequestId.of(2)));
        assertFalse(calls.mapBuilt());
        calls.cancelAll();
        assertTrue(call.isCancelled());
    }

    @Test
    void aFinishedCallIsNoLongerFoundAndEndingTheSessionLeavesItAsItWas() {
        InFlightCalls calls = new InFlightCalls(true);
        CompletableFuture<String> call = new CompletableFuture<>();
        calls.add(RequestId.of(1), call);

        call.complete("done");

        assertNull(calls.get(RequestId.of(1)));
        calls.cancelAll();
        assertFalse(call.isCancelled());
    }

    @Test
    void furtherCallsOfAStatelessSessionAndEveryCallOfALegacyOneAreMappedUntilTheyFinish() {
        for (boolean stateless : new boolean[] {true, false}) {
            InFlightCalls calls = new InFlightCalls(stateless);
            CompletableFuture<String> first = new CompletableFuture<>();
            CompletableFuture<String> second = new CompletableFuture<>();
            calls.add(RequestId.of("a"), first);
            calls.add(RequestId.of("b"), second);

            assertTrue(calls.mapBuilt());
            assertSame(first, calls.get(RequestId.of("a")));
            assertSame(second, calls.get(RequestId.of("b")));
            second.complete("done");
            assertNull(calls.get(RequestId.of("b")));

            calls.cancelAll();
            assertTrue(first.isCancelled());
        }
    }

    @Test
    void aRequestTrackedAgainForItsNextRoundIsFoundByTheNewCall() {
        InFlightCalls calls = new InFlightCalls(false);
        CompletableFuture<String> round1 = new CompletableFuture<>();
        CompletableFuture<String> round2 = new CompletableFuture<>();
        calls.add(RequestId.of(7), round1);
        calls.add(RequestId.of(7), round2);

        round1.complete("asked");

        assertSame(round2, calls.get(RequestId.of(7)), "the first round's end does not forget the second");
    }
}
