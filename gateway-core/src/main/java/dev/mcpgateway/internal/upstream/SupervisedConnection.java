package dev.mcpgateway.internal.upstream;

import dev.mcpgateway.internal.Futures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.mcp.Implementation;
import dev.mcpgateway.mcp.ServerCapabilities;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.MessageChannel;
import dev.mcpgateway.transport.NotSentException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an MCP session with one plugin instance alive: when its channel ends (the process exited, the stream
 * broke) calls in flight fail at once, calls made meanwhile fail fast, and a new channel is opened after an
 * exponential backoff; each successful handshake is reported with {@code onConnected}. A session that stays up
 * for the longest backoff resets the backoff, so a crash loop slows down while a rare crash restarts quickly.
 */
public final class SupervisedConnection implements OwnedParamsConnection {
    private static final Logger log = LoggerFactory.getLogger(SupervisedConnection.class);

    private final Supplier<MessageChannel> channels;
    private final String plugin;
    private final ConnectionContext context;
    private volatile ClientSession session;
    private volatile boolean closed;
    private volatile String notConnectedBecause = "it has not connected yet";
    /**
     * Completes when the first attempt ends, with its session or null. An instance registered with its tools is
     * routable at once, before its first handshake: calls that reach it meanwhile wait for that handshake rather than
     * fail, so "registered" means "callable". After that, a connection that is down fails calls fast, so they are
     * retried elsewhere.
     */
    private final CompletableFuture<ClientSession> firstAttempt = new CompletableFuture<>();
    /** Touched only by the attempt chain, which never runs twice at once. */
    private int failuresInARow;
    private long connectedAtNanos;

    private SupervisedConnection(Supplier<MessageChannel> channels, String plugin, ConnectionContext context) {
        this.channels = channels;
        this.plugin = plugin;
        this.context = context;
    }

    /** Starts supervising: the first connection attempt begins at once, in the background. */
    public static SupervisedConnection start(Supplier<MessageChannel> channels, String plugin, ConnectionContext context) {
        SupervisedConnection connection = new SupervisedConnection(channels, plugin, context);
        context.scheduler().execute(connection::attempt);
        return connection;
    }

    private void attempt() {
        if (closed) {
            return;
        }
        MessageChannel channel;
        try {
            channel = channels.get();
        } catch (RuntimeException e) {
            firstAttempt.complete(null);
            failed(e);
            return;
        }
        ClientSession.open(channel, plugin, context, this::broken).whenComplete((opened, error) -> {
            if (error != null) {
                firstAttempt.complete(null);
                failed(Futures.unwrap(error));
            } else if (closed) {
                firstAttempt.complete(null);
                opened.close();
            } else {
                connectedAtNanos = System.nanoTime();
                session = opened;
                firstAttempt.complete(opened);
                context.listener().onConnected();
            }
        });
    }

    private void broken(ChannelException cause) {
        session = null;
        if (System.nanoTime() - connectedAtNanos >= context.options().restartBackoffMax().toNanos()) {
            failuresInARow = 0;
        }
        down(cause, "restarting");
    }

    private void failed(Throwable cause) {
        down(cause, "could not connect; trying again");
    }

    /** Reports the instance as not connected and schedules the next attempt after the backoff. */
    private void down(Throwable cause, String next) {
        if (closed) {
            return;
        }
        notConnectedBecause = cause.getMessage();
        Duration delay = nextDelay();
        log.warn("{}: {}; {} in {} ms", plugin, cause.getMessage(), next, delay.toMillis());
        context.listener().onDisconnected(cause);
        retryAfter(delay);
    }

    private void retryAfter(Duration delay) {
        try {
            context.scheduler().schedule(this::attempt, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("{}: not restarting, the gateway is shutting down", plugin);
        }
    }

    private Duration nextDelay() {
        Duration min = context.options().restartBackoffMin();
        Duration max = context.options().restartBackoffMax();
        int doublings = Math.min(failuresInARow++, 30);
        Duration delay = min.multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 || delay.isNegative() ? max : delay;
    }

    @Override
    public CompletableFuture<JsonNode> request(String method, JsonNode params, CallOptions options) {
        ClientSession current = session;
        if (current != null) {
            return current.request(method, params, options);
        }
        if (!firstAttempt.isDone() && !closed) {
            // The wait counts against the call's timeout; one that runs out first was never sent, so may go elsewhere.
            long waitFromNanos = System.nanoTime();
            return firstAttempt.copy().completeOnTimeout(null, options.timeout().toNanos(), TimeUnit.NANOSECONDS)
                    .thenCompose(first -> {
                        Duration left = options.timeout().minusNanos(System.nanoTime() - waitFromNanos);
                        return first != null && left.isPositive()
                                ? first.request(method, params, new CallOptions(left, options.progress(), options.onBehalfOf()))
                                : notConnected();
                    });
        }
        return notConnected();
    }

    @Override
    public CompletableFuture<JsonNode> requestOwned(String method, ObjectNode params, CallOptions options) {
        ClientSession current = session;
        // Only while connected: a call waiting for the first session is sent the general way, rarely enough to copy.
        return current != null ? current.requestOwned(method, params, options) : request(method, params, options);
    }

    private CompletableFuture<JsonNode> notConnected() {
        return CompletableFuture.failedFuture(new NotSentException(
                plugin + " is not connected: " + (closed ? "the gateway closed it" : notConnectedBecause), null));
    }

    @Override
    public void notify(String method, JsonNode params) {
        ClientSession current = session;
        if (current != null) {
            current.notify(method, params);
        }
    }

    @Override
    public String protocolVersion() {
        ClientSession current = session;
        return current == null ? null : current.protocolVersion();
    }

    @Override
    public ServerCapabilities capabilities() {
        ClientSession current = session;
        return current == null ? ServerCapabilities.NONE : current.capabilities();
    }

    @Override
    public Implementation serverInfo() {
        ClientSession current = session;
        return current == null ? new Implementation("unknown", "unknown", null) : current.serverInfo();
    }

    @Override
    public boolean isOpen() {
        ClientSession current = session;
        return current != null && current.isOpen();
    }

    /** Stops supervising and closes the current session (for stdio: the process is shut down). */
    @Override
    public void close() {
        closed = true;
        firstAttempt.complete(null);
        ClientSession current = session;
        session = null;
        if (current != null) {
            current.close();
        }
    }
}
