package dev.mcpgateway.server;

import java.util.Collection;
import java.util.Optional;

/**
 * Where the gateway keeps its client sessions. In memory by default; a shared store lets several gateway
 * instances recognise each other's sessions.
 */
public interface SessionStore {
    /** Remembers a session. */
    void put(ServerSession session);

    /** The session with this id, if it is known. */
    Optional<ServerSession> get(String id);

    /** Forgets a session; returns it if it was known. */
    Optional<ServerSession> remove(String id);

    /** Every known session. */
    Collection<ServerSession> all();
}
