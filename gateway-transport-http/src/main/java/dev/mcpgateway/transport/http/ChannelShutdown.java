package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.ChannelState.log;
import static dev.mcpgateway.transport.http.ChannelState.reason;

import dev.mcpgateway.internal.transport.http.Http1Pool;
import dev.mcpgateway.internal.transport.http.McpHeaders;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.MessageChannel.Receiver;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Closes a {@link StreamableHttpChannel} once, whether its owner closes it or its legacy stream ended: ends the
 * session with DELETE (within the close timeout), stops every stream and worker and tells the receiver.
 */
final class ChannelShutdown {
    private final ChannelState state;

    ChannelShutdown(ChannelState state) {
        this.state = state;
    }

    /** Shuts the channel down unless it was already; {@code cause} is null for an orderly close. */
    void run(ChannelException cause) {
        if (!state.closed.compareAndSet(false, true)) {
            return;
        }
        state.closing.countDown();
        HttpClient http = state.client;
        String session = state.sessionId.get();
        if (cause == null && http != null && state.legacyEndpoint == null && session != null) {
            endSession(http, session);
        }
        state.openBodies.forEach(HttpReplies::closeQuietly);
        boolean wasInterrupted = Thread.currentThread().isInterrupted();
        boolean locked = false;
        try {
            // Holding the delivery lock, no worker is inside the receiver when the workers are interrupted.
            locked = state.deliveryLock.tryLock(state.options.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            wasInterrupted = true;
        }
        try {
            state.workers.shutdownNow();
            Http1Pool pool = state.posts;
            if (pool != null) {
                pool.close();
            }
            if (http != null && state.options.httpClient() == null) {
                http.shutdownNow();
            }
            if (!wasInterrupted) {
                // shutdownNow() interrupts the calling thread too when close() runs on one of the workers.
                Thread.interrupted();
            }
            Receiver r = state.receiver;
            if (r != null) {
                r.onClosed(cause);
            }
        } catch (RuntimeException e) {
            log.warn("{}: the receiver failed while being told the channel closed", state.description, e);
        } finally {
            if (locked) {
                state.deliveryLock.unlock();
            }
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (cause != null) {
            log.debug("{} closed: {}", state.description, cause.getMessage());
        }
    }

    private void endSession(HttpClient http, String session) {
        HttpRequest.Builder request = state.request(state.url, session).timeout(state.options.closeTimeout()).DELETE();
        String version = state.negotiatedVersion;
        if (version != null) {
            request.header(McpHeaders.PROTOCOL_VERSION, version);
        }
        CompletableFuture<HttpResponse<Void>> deleted;
        try {
            deleted = http.sendAsync(request.build(), BodyHandlers.discarding());
        } catch (RuntimeException e) {
            log.debug("{}: could not end the session: {}", state.description, reason(e));
            return;
        }
        try {
            int status = deleted.get(state.options.closeTimeout().toNanos(), TimeUnit.NANOSECONDS).statusCode();
            log.debug("{}: ended the session (HTTP {})", state.description, status);
        } catch (TimeoutException e) {
            deleted.cancel(true);
            log.debug("{}: the server did not acknowledge the session's end within {}", state.description,
                    state.options.closeTimeout());
        } catch (ExecutionException e) {
            log.debug("{}: could not end the session: {}", state.description, reason(e.getCause()));
        } catch (InterruptedException e) {
            deleted.cancel(true);
            Thread.currentThread().interrupt();
        }
    }
}
