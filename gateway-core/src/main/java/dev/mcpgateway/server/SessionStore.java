package dev.mcpgateway.server;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where gateways that serve the same clients share their client sessions, so a client may send each request of a
 * legacy session ({@code Mcp-Session-Id}) to any of them, with no sticky load balancer in front.
 *
 * <p>A session is two things. What it <em>is</em> — its protocol version, the client's capabilities, the principal
 * that began it, its virtual server, log level and resource subscriptions — is plain data, which the server writes
 * here as an opaque, versioned JSON text when the session is initialized and whenever it changes, and which any
 * other gateway reads when a request names a session it has not seen yet. What a process <em>holds</em> for it —
 * the client's open streams, calls in flight, questions asked of the client — stays with that process; messages that
 * must reach it (a notification for the stream the client holds open elsewhere, the client's answer to a question
 * another gateway asked it) travel between gateways through {@link #publish}.
 *
 * <p>The store is never read on a call's path once a gateway knows a session: each gateway reads a session at most
 * once (on the first request naming it that reaches that gateway), and renews the sessions its clients used in
 * batches, in the background.
 *
 * <p>Implementations: {@link #none()} (the default: sessions live in the process that began them), Redis in
 * {@code gateway-persistence}. Thread-safe. A store that cannot answer throws {@link SessionStoreUnavailableException};
 * the gateway then goes on serving the sessions it holds, and logs it.
 */
public interface SessionStore extends AutoCloseable {

    /**
     * Keeps a session's data (replacing what was kept), to be forgotten once nobody {@linkplain #touch touched} it for
     * {@code idleTimeout}.
     *
     * @throws SessionStoreUnavailableException when it could not be kept
     */
    void put(String id, String data, Duration idleTimeout);

    /**
     * A session's data as last {@linkplain #put put}, if it is kept and has not expired.
     *
     * @throws SessionStoreUnavailableException when the store cannot be read
     */
    Optional<String> get(String id);

    /**
     * Restarts the idle timeouts of sessions still in use: each is kept for another {@code idleTimeout}; ids no longer
     * kept are ignored.
     *
     * @throws SessionStoreUnavailableException when they could not be renewed
     */
    void touch(Iterable<String> ids, Duration idleTimeout);

    /**
     * Forgets a session (the client ended it); forgetting one that is not kept does nothing.
     *
     * @throws SessionStoreUnavailableException when it could not be forgotten
     */
    void remove(String id);

    /**
     * Sends a message to every other gateway sharing the store (not back to this one); returns at once and never
     * throws. Delivery is at most once: a message published while the other gateways cannot hear it is lost.
     */
    void publish(String message);

    /** Who receives the messages other gateways {@linkplain #publish published}; called once, when the server starts. */
    void onMessage(Consumer<String> receiver);

    /** Releases the store's connections. */
    @Override
    void close();

    /** The store that shares nothing: each session lives only in the gateway that began it (the default). */
    static SessionStore none() {
        return NoSessionStore.INSTANCE;
    }
}
