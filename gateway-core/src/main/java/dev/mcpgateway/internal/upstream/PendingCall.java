package dev.mcpgateway.internal.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.transport.CallOptions;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiConsumer;

/**
 * A request of a {@link ClientSession} awaiting its answer: what it was (so it can be sent again), its result, its
 * timer and send. It is also its result's completion callback, which stops the timer and passes a caller's
 * cancellation on upstream: one object per call rather than a lambda and a future stage for each.
 */
final class PendingCall implements BiConsumer<JsonNode, Throwable> {
    final long id;
    final String method;
    final JsonNode params;
    final CallOptions options;
    /** Whether a server that lost the session gets a new one and the request again. */
    final boolean mayReinitialize;
    /**
     * Whether the params were built for this request alone ({@link UpstreamParams}) and so completed in place: only
     * toward a 2026-07-28 server, since what that era adds would stay in them for a resend to a server a new session
     * found speaking a legacy version.
     */
    final boolean owned;
    /** Whether a refusal of the call's mirrored headers re-lists the tools and sends it again. */
    final boolean relists;
    final CompletableFuture<JsonNode> result = new CompletableFuture<>();
    volatile ScheduledFuture<?> timer;
    volatile CompletableFuture<Void> sending;
    /** The call sent again as a new request (a new session, or its tools re-listed), which settles its result. */
    volatile CompletableFuture<JsonNode> retry;
    private final ClientSession session;

    PendingCall(ClientSession session, long id, String method, JsonNode params, CallOptions options,
                boolean mayReinitialize, boolean owned, boolean relists) {
        this.session = session;
        this.id = id;
        this.method = method;
        this.params = params;
        this.options = options;
        this.mayReinitialize = mayReinitialize;
        this.owned = owned;
        this.relists = relists;
    }

    @Override
    public void accept(JsonNode value, Throwable error) {
        timer.cancel(false);
        if (error instanceof CancellationException) {
            session.cancelled(this);
            CompletableFuture<JsonNode> again = retry;
            if (again != null) {
                again.cancel(false);
            }
        }
    }
}
