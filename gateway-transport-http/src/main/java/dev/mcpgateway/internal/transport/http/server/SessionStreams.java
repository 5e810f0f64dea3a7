package dev.mcpgateway.internal.transport.http.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the event streams each MCP session holds open (its GET stream and the answers that became streams) against
 * a limit, so one session cannot take every connection and thread of the front door. A session's count disappears
 * when its last stream ends. Thread-safe.
 */
final class SessionStreams {
    private final int limit;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    /** Counts against {@code limit} streams per session (at least 1). */
    SessionStreams(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a session needs at least one stream, got a limit of " + limit);
        }
        this.limit = limit;
    }

    /** How many streams a session may hold open. */
    int limit() {
        return limit;
    }

    /** A place for one more stream of the session, or null when the session holds its limit. */
    Permit tryOpen(String sessionId) {
        boolean[] granted = new boolean[1];
        open.compute(sessionId, (id, count) -> {
            int held = count == null ? 0 : count;
            if (held >= limit) {
                return count;
            }
            granted[0] = true;
            return held + 1;
        });
        return granted[0] ? new Permit(sessionId) : null;
    }

    /** One open stream's place; closing it gives the place back, once however often it is closed. */
    final class Permit implements AutoCloseable {
        private final String sessionId;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(String sessionId) {
            this.sessionId = sessionId;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                open.computeIfPresent(sessionId, (id, count) -> count == 1 ? null : count - 1);
            }
        }
    }
}
