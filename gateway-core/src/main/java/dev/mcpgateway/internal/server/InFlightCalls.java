package dev.mcpgateway.internal.server;

import dev.mcpgateway.jsonrpc.RequestId;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A session's requests in flight, by the ids their client gave them: its cancellation names one, and the end of the
 * session cancels them all. A request may be tracked again under the same id for each of its rounds. Thread-safe.
 */
final class InFlightCalls {
    private final Map<RequestId, CompletableFuture<?>> calls = new ConcurrentHashMap<>();

    /** Tracks a request's call until it completes. */
    void add(RequestId id, CompletableFuture<?> call) {
        calls.put(id, call);
        call.whenComplete((value, error) -> calls.remove(id, call));
    }

    /** The call of the request with this id, or null when none is in flight. */
    CompletableFuture<?> get(RequestId id) {
        return calls.get(id);
    }

    /** Cancels every call in flight: the session ended. */
    void cancelAll() {
        for (CompletableFuture<?> call : calls.values()) {
            call.cancel(true);
        }
    }
}
