package dev.mcpgateway.internal.transport.http.server;

import java.io.IOException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door's connection limit, told of every connection Jetty accepts and closes. A connection beyond the limit
 * is still accepted, but marked refused: its requests are answered {@code 503} with {@code Retry-After} and it is
 * closed, so a client learns why rather than waiting in the accept queue. Refused connections are themselves bounded:
 * beyond {@link #REFUSAL_ALLOWANCE} more, new ones are closed at once (a flood, not clients). Thread-safe.
 */
public final class ConnectionCap implements SelectorManager.AcceptListener {
    /** How many refused connections may be open at once, answered 503, on top of the limit. */
    static final int REFUSAL_ALLOWANCE = 256;
    private static final Logger log = LoggerFactory.getLogger(ConnectionCap.class);

    private final int max;
    private final String path;
    // Accepts being set up count too, so a burst cannot overtake the limit between accepting and accepted.
    private final AtomicInteger open = new AtomicInteger();
    private final Set<SelectableChannel> refused = ConcurrentHashMap.newKeySet();
    /** Whether the limit is being held, so reaching it is logged once, not once per connection. */
    private final AtomicBoolean atLimit = new AtomicBoolean();

    /**
     * A limit of {@code max} connections.
     *
     * @param path the endpoint's path, which the warning logged when the limit is reached names
     */
    public ConnectionCap(int max, String path) {
        this.max = max;
        this.path = path;
    }

    /** The limit. */
    public int max() {
        return max;
    }

    /** How many connections are open (refused ones included), the number the limit counts. */
    public int openConnections() {
        return open.get();
    }

    /** Whether this endpoint's connection (a network or TLS one) is beyond the limit. */
    public boolean refuses(EndPoint endPoint) {
        return !refused.isEmpty() && refused.contains(channel(endPoint));
    }

    @Override
    public void onAccepting(SelectableChannel channel) {
        int now = open.incrementAndGet();
        if (now <= max) {
            return;
        }
        if (atLimit.compareAndSet(false, true)) {
            log.warn("The MCP endpoint {} on {} holds its limit of {} connections; new ones are answered 503 until "
                    + "some close (raise maxConnections if this load is expected)", path, localAddress(channel), max);
        }
        if (now > max + REFUSAL_ALLOWANCE) {
            closeQuietly(channel); // Jetty then reports the accept as failed, which gives the place back
        } else {
            refused.add(channel);
        }
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        release(channel);
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        release(channel);
    }

    private void release(SelectableChannel channel) {
        refused.remove(channel);
        if (open.decrementAndGet() < max) {
            atLimit.set(false);
        }
    }

    /** The socket under an endpoint: TLS endpoints wrap the network one. */
    static Object channel(EndPoint endPoint) {
        Object transport = endPoint.getTransport();
        while (transport instanceof EndPoint wrapped) {
            transport = wrapped.getTransport();
        }
        return transport;
    }

    private static Object localAddress(SelectableChannel channel) {
        try {
            return channel instanceof NetworkChannel network ? network.getLocalAddress() : channel;
        } catch (IOException e) {
            return channel;
        }
    }

    private static void closeQuietly(SelectableChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
