package dev.mcpgateway.internal.server;

import dev.mcpgateway.jsonrpc.RequestId;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * A session's requests in flight, by the ids their client gave them: its cancellation names one, and the end of the
 * session cancels them all. A request may be tracked again under the same id for each of its rounds. Thread-safe.
 *
 * <p>A stateless session is made for one request on one HTTP exchange and closed when the exchange ends, so its first
 * call is held in a single slot, not in a map, and stays there once complete (cancelling a finished call does
 * nothing; a finished call is not found by its id): no map and no stage removing the call from it per request.
 * Further calls, of a stateless session used for more requests or of a legacy session, go into the map and leave it
 * as they complete.
 */
final class InFlightCalls {
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<InFlightCalls, Map> CALLS =
            AtomicReferenceFieldUpdater.newUpdater(InFlightCalls.class, Map.class, "calls");
    /** Whether the first call takes the slot. */
    private final boolean slotFirst;
    /** The call in the slot and its request's id (guarded by this); null while the slot is empty. */
    private RequestId slotId;
    private CompletableFuture<?> slot;
    /** The other calls; created on first use. */
    private volatile Map<RequestId, CompletableFuture<?>> calls;

    /** @param stateless whether the session is a stateless one, whose first call takes the slot */
    InFlightCalls(boolean stateless) {
        this.slotFirst = stateless;
    }

    /** Tracks a request's call until it completes. */
    void add(RequestId id, CompletableFuture<?> call) {
        if (slotFirst) {
            synchronized (this) {
                if (slot == null) {
                    slotId = id;
                    slot = call;
                    return;
                }
            }
        }
        Map<RequestId, CompletableFuture<?>> map = calls();
        map.put(id, call);
        call.whenComplete((value, error) -> map.remove(id, call));
    }

    /** The call of the request with this id, or null when none is in flight. */
    CompletableFuture<?> get(RequestId id) {
        Map<RequestId, CompletableFuture<?>> map = calls;
        CompletableFuture<?> call = map == null ? null : map.get(id);
        if (call == null) {
            synchronized (this) {
                if (slot != null && !slot.isDone() && slotId.equals(id)) {
                    call = slot;
                }
            }
        }
        return call;
    }

    /** Cancels every call in flight: the session ended. */
    void cancelAll() {
        CompletableFuture<?> first;
        synchronized (this) {
            first = slot;
        }
        if (first != null) {
            first.cancel(true);
        }
        Map<RequestId, CompletableFuture<?>> map = calls;
        if (map != null) {
            for (CompletableFuture<?> call : map.values()) {
                call.cancel(true);
            }
        }
    }

    /** Whether any call was ever tracked outside the slot; for tests. */
    boolean mapBuilt() {
        return calls != null;
    }

    private Map<RequestId, CompletableFuture<?>> calls() {
        return LazyMaps.of(CALLS, this);
    }
}
