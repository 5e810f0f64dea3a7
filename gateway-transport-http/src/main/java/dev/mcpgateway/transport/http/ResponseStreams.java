package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.ChannelState.log;
import static dev.mcpgateway.transport.http.ChannelState.reason;

import dev.mcpgateway.internal.transport.http.Http1Pool;
import dev.mcpgateway.internal.transport.http.SseReader;
import dev.mcpgateway.internal.transport.http.UpstreamReply;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Reads the event stream answering one request of a {@link StreamableHttpChannel} and resumes it with GET and
 * {@code Last-Event-ID} when it breaks before the response; when it cannot be resumed the request fails with
 * {@link ErrorCodes#UPSTREAM_UNAVAILABLE} at once, so its caller need not wait for a timeout.
 */
final class ResponseStreams {
    private final ChannelState state;

    ResponseStreams(ChannelState state) {
        this.state = state;
    }

    /** Reads a request's event stream, resuming it with {@code Last-Event-ID} when it breaks before the response. */
    void read(RequestId id, InputStream first, Exchange exchange) throws InterruptedException {
        InputStream in = first;
        String lastEventId = null;
        long retryMillis = -1;
        int failures = 0;
        while (true) {
            if (in != null) {
                SseReader events = new SseReader(in, lastEventId, HttpReplies.MAX_MESSAGE_BYTES);
                state.openBodies.add(in);
                boolean answered = false;
                try {
                    if (relayUntilAnswer(events, id, exchange)) {
                        answered = true;
                        return;
                    }
                    log.debug("{}: the response stream for request {} ended before the response", state.description, id);
                } catch (IOException e) {
                    if (stopped(exchange)) {
                        return;
                    }
                    log.debug("{}: the response stream for request {} broke: {}", state.description, id, reason(e));
                } finally {
                    state.openBodies.remove(in);
                    if (answered) {
                        Http1Pool.finish(in); // the server ends the stream next: its connection serves again
                    } else {
                        HttpReplies.closeQuietly(in);
                    }
                }
                lastEventId = events.lastEventId();
                retryMillis = events.retryMillis() >= 0 ? events.retryMillis() : retryMillis;
                in = null;
            }
            if (stopped(exchange)) {
                return;
            }
            if (lastEventId == null) {
                lost(id, "the server ended the response stream before the response and gave no event id to resume from");
                return;
            }
            if (failures >= state.options.maxResumeAttempts()) {
                lost(id, "the response stream broke and " + failures + " attempts to resume it failed");
                return;
            }
            if (!state.pause(retryMillis >= 0 ? Duration.ofMillis(retryMillis) : state.options.reconnectDelay())) {
                return;
            }
            try {
                UpstreamReply response = state.send(state.streamRequest(state.sessionId.get(), lastEventId));
                int status = response.status();
                if (HttpReplies.isSuccess(status) && HttpReplies.EVENT_STREAM.equals(HttpReplies.mediaType(response))) {
                    failures = 0;
                    in = response.body();
                    if (exchange != null) {
                        exchange.attach(in);
                    }
                    continue;
                }
                HttpReplies.readExcerpt(response.body());
                if (status == 404 || status == 405) {
                    lost(id, "the server refused to resume the response stream (HTTP " + status + ")");
                    return;
                }
                failures++;
                log.debug("{}: resuming the response stream for request {} got HTTP {}", state.description, id, status);
            } catch (IOException e) {
                failures++;
                log.debug("{}: resuming the response stream for request {} failed: {}", state.description, id,
                        reason(e));
            }
        }
    }

    /** Delivers a stream's messages; true once the response to {@code id} was among them. */
    private boolean relayUntilAnswer(SseReader events, RequestId id, Exchange exchange) throws IOException {
        SseReader.Event event;
        while ((event = events.next()) != null) {
            if (state.relay(event, exchange) instanceof JsonRpcResponse response && id.equals(response.id())) {
                return true;
            }
        }
        return false;
    }

    /** Fails a request whose response can no longer arrive, so its caller need not wait for a timeout. */
    private void lost(RequestId id, String why) {
        log.warn("{}: {}; request {} fails", state.description, why, id);
        state.deliver(JsonRpcResponse.failure(id, ErrorCodes.UPSTREAM_UNAVAILABLE, state.description + ": " + why),
                null);
    }

    private boolean stopped(Exchange exchange) {
        return state.closed.get() || exchange != null && exchange.cancelled;
    }
}
