package dev.mcpgateway.internal.transport.http.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.server.NegotiatingServerConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes the connections Jetty's idle timeout cannot catch because they send a byte now and then: an HTTP/1.1
 * request head (line and headers) still incomplete {@code headerTimeout} after it began (slowloris), a TLS handshake
 * or protocol negotiation not done within it, and a connection refused by the {@link ConnectionCap} still open a
 * second after it was accepted (its 503 was sent; a client that sends nothing gets none). Looks at every connection
 * about four times per deadline. Started and stopped with the server it is a bean of.
 *
 * <p>Jetty keeps its parser's state to itself, so a head in progress is told from public counters: no request being
 * answered (every request in was answered, and none is with the handler) yet bytes arriving. The first head of a
 * connection is timed from the connection's start; a later one from the first look that saw its bytes, so a client
 * that sends part of a later head and then nothing at all is left to the idle timeout.
 */
public final class SlowClientReaper extends AbstractLifeCycle implements Runnable {
    /** How long a refused connection may stay to read its 503 (or send its request, to get one). */
    private static final long REFUSED_LINGER_MILLIS = 1_000;

    private final AbstractConnector connector;
    private final ConnectionCap cap;
    private final Set<Connection> answering;
    private final long headerTimeoutNanos;
    private final long periodMillis;
    /** What the last look saw of each idle HTTP/1 connection; only the scheduler's thread touches it. */
    private Map<Connection, Look> looks = new HashMap<>();
    private volatile Scheduler.Task next;

    /**
     * A reaper of the connector's connections.
     *
     * @param answering the connections whose request the handler is answering now
     */
    public SlowClientReaper(AbstractConnector connector, ConnectionCap cap, Set<Connection> answering,
                            Duration headerTimeout) {
        this.connector = connector;
        this.cap = cap;
        this.answering = answering;
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.periodMillis = Math.clamp(headerTimeout.toMillis() / 4, 10, 1_000);
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
    }

    private void schedule() {
        if (isStarting() || isRunning()) {
            next = connector.getScheduler().schedule(this, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** One look at every connection; only the scheduler's thread runs it, one look at a time. */
    @Override
    public void run() {
        long now = System.nanoTime();
        Map<Connection, Look> seen = new HashMap<>();
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            long ageNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - endPoint.getCreatedTimeStamp());
            if (cap.refuses(endPoint) && ageNanos > TimeUnit.MILLISECONDS.toNanos(REFUSED_LINGER_MILLIS)) {
                endPoint.close();
                continue;
            }
            Connection connection = endPoint.getConnection();
            if (connection instanceof SslConnection tls) {
                connection = tls.getSslEndPoint().getConnection();
            }
            if (connection instanceof NegotiatingServerConnection && ageNanos > headerTimeoutNanos) {
                endPoint.close(); // a TLS handshake or ALPN negotiation dragged on
            } else if (connection instanceof AbstractMetaDataConnection http1 && headOverdue(http1, now, ageNanos,
                    seen)) {
                endPoint.close();
            }
        }
        looks = seen;
        schedule();
    }

    private boolean headOverdue(Connection http1, long now, long ageNanos, Map<Connection, Look> seen) {
        long in = http1.getMessagesIn();
        if (in > http1.getMessagesOut() || answering.contains(http1)) {
            return false; // a request is being answered: its body has a deadline of its own
        }
        long bytes = http1.getBytesIn();
        if (in == 0) {
            return bytes > 0 && ageNanos > headerTimeoutNanos; // the first head, timed from the connection's start
        }
        Look before = looks.get(http1);
        Look look;
        if (before == null || before.request != in) {
            look = new Look(in, bytes, 0); // the baseline after a request: what arrives beyond it is the next head
        } else if (before.headSince == 0 && bytes > before.bytes) {
            look = new Look(in, before.bytes, now);
        } else {
            look = before;
        }
        if (look.headSince != 0 && now - look.headSince > headerTimeoutNanos) {
            return true;
        }
        seen.put(http1, look);
        return false;
    }

    /** A connection as last seen: its requests so far, its bytes in then, and since when a new head arrives. */
    private record Look(long request, long bytes, long headSince) {
    }
}
