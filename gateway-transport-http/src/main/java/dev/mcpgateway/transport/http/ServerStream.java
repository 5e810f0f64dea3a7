package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.ChannelState.log;
import static dev.mcpgateway.transport.http.ChannelState.reason;

import dev.mcpgateway.internal.transport.http.SseReader;
import dev.mcpgateway.internal.transport.http.UpstreamReply;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The GET stream on which a session-based server sends a {@link StreamableHttpChannel} the messages that answer
 * none of its requests; reopened with backoff, from the last event id, until the channel closes or the server
 * shows it has no such stream.
 */
final class ServerStream {
    private final ChannelState state;
    private final AtomicBoolean running = new AtomicBoolean();

    ServerStream(ChannelState state) {
        this.state = state;
    }

    /** Starts reading the stream on a worker unless it is read already. */
    void open() {
        if (running.compareAndSet(false, true)) {
            try {
                state.workers.execute(this::run);
            } catch (RejectedExecutionException e) {
                running.set(false);
            }
        }
    }

    /** The GET stream of unrelated server messages, reopened with backoff until the channel closes. */
    private void run() {
        try {
            Duration delay = state.options.reconnectDelay();
            String lastEventId = null;
            String lastEventSession = null;
            long retryMillis = -1;
            while (!state.closed.get()) {
                String session = state.sessionId.get();
                if (!Objects.equals(session, lastEventSession)) {
                    // Event ids belong to a session; a new session starts from scratch.
                    lastEventId = null;
                }
                try {
                    UpstreamReply response = state.send(state.streamRequest(session, lastEventId));
                    int status = response.status();
                    if (!HttpReplies.isSuccess(status)
                            || !HttpReplies.EVENT_STREAM.equals(HttpReplies.mediaType(response))) {
                        HttpReplies.readExcerpt(response.body());
                        if (status == 405 || HttpReplies.isSuccess(status) || status / 100 == 4) {
                            log.debug("{} offers no stream of server messages (HTTP {} to GET)", state.description,
                                    status);
                            return;
                        }
                        log.debug("{}: the server-message stream got HTTP {}; retrying in {}", state.description,
                                status, delay);
                    } else {
                        delay = state.options.reconnectDelay();
                        SseReader events = new SseReader(response.body(), lastEventId, HttpReplies.MAX_MESSAGE_BYTES);
                        try {
                            relayAll(events, response.body());
                        } finally {
                            lastEventId = events.lastEventId();
                            lastEventSession = session;
                            retryMillis = events.retryMillis() >= 0 ? events.retryMillis() : retryMillis;
                        }
                        log.debug("{}: the server-message stream ended; reopening it", state.description);
                    }
                } catch (IOException e) {
                    if (state.closed.get()) {
                        return;
                    }
                    log.debug("{}: the server-message stream broke: {}", state.description, reason(e));
                }
                if (!state.pause(retryMillis >= 0 ? Duration.ofMillis(retryMillis) : delay)) {
                    return;
                }
                delay = delay.multipliedBy(2).compareTo(state.options.maxReconnectDelay()) > 0
                        ? state.options.maxReconnectDelay() : delay.multipliedBy(2);
            }
        } catch (InterruptedException e) {
            // The channel is closing.
        } finally {
            running.set(false);
        }
    }

    private void relayAll(SseReader events, InputStream in) throws IOException {
        state.openBodies.add(in);
        try {
            SseReader.Event event;
            while ((event = events.next()) != null) {
                state.relay(event, null);
            }
        } finally {
            HttpReplies.closeQuietly(in);
            state.openBodies.remove(in);
        }
    }
}
