package dev.mcpgateway.internal.server;

import dev.mcpgateway.server.ClientLimits;
import dev.mcpgateway.server.Rejections;
import dev.mcpgateway.server.SessionLimitException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The places for sessions: {@link ClientLimits#maxSessions()} in all, {@link ClientLimits#maxSessionsPerClient()}
 * per client. A session takes its places when it is created and gives them back when it ends, however it ends
 * (DELETE, idle expiry, a failed {@code initialize}, the server closing). Clients are opaque keys chosen by the front
 * door (an HTTP client's address); a client holding no session has no entry, so the map stays as small as the
 * sessions. Thread-safe.
 */
final class SessionQuota {
    static final String TOTAL = "maxSessions";
    static final String PER_CLIENT = "maxSessionsPerClient";

    private final Bound total;
    private final int perClientMax;
    private final Rejections rejections;
    private final Map<String, Integer> perClient = new ConcurrentHashMap<>();

    SessionQuota(ClientLimits limits, Rejections rejections) {
        this.total = new Bound(limits.maxSessions());
        this.perClientMax = limits.maxSessionsPerClient();
        this.rejections = rejections;
    }

    /**
     * Takes the places of a new session of the client.
     *
     * @param client who the session counts against, or null for none but the total (the stdio client)
     * @return what gives the places back; idempotent
     * @throws SessionLimitException if the client, or every client together, holds all its places
     */
    Place admit(String client) {
        // The total first: when every place is taken, that is the answer, whoever asks.
        if (!total.tryAcquire()) {
            throw refused(TOTAL, "The gateway holds " + total.max() + " sessions, its limit (" + TOTAL
                    + "); retry later, or ask its operator to raise the limit", false);
        }
        if (client != null && !takePerClient(client)) {
            total.release();
            throw refused(PER_CLIENT, "This client holds " + perClientMax + " sessions, the limit per client ("
                    + PER_CLIENT + "); end the sessions it no longer uses (HTTP DELETE) before starting another", true);
        }
        return new Place(client);
    }

    private boolean takePerClient(String client) {
        boolean[] taken = {false};
        perClient.compute(client, (key, held) -> {
            int now = held == null ? 0 : held;
            if (now >= perClientMax) {
                return held;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private void releasePerClient(String client) {
        perClient.computeIfPresent(client, (key, held) -> held <= 1 ? null : held - 1);
    }

    private SessionLimitException refused(String limit, String message, boolean perClientLimit) {
        rejections.record(limit, message);
        return new SessionLimitException(message, perClientLimit);
    }

    /** One session's places; given back once, however often its session is closed. */
    final class Place {
        private final String client;
        private final AtomicBoolean released = new AtomicBoolean();

        private Place(String client) {
            this.client = client;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                total.release();
                if (client != null) {
                    releasePerClient(client);
                }
            }
        }
    }
}
