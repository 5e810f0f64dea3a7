package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.ChannelState.describe;
import static dev.mcpgateway.transport.http.ChannelState.log;
import static dev.mcpgateway.transport.http.ChannelState.reason;
import static dev.mcpgateway.transport.http.ChannelState.what;

import dev.mcpgateway.internal.transport.http.SseReader;
import dev.mcpgateway.internal.transport.http.UpstreamReply;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.transport.ChannelException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The 2024-11-05 HTTP+SSE transport a {@link StreamableHttpChannel} falls back to for servers that predate
 * Streamable HTTP: it GETs the URL as an event stream, waits for its {@code endpoint} event (which must name the
 * same origin, since credentials go there), POSTs every message to that endpoint and delivers the server's
 * messages from the stream; when that stream ends the channel shuts down with a cause.
 */
final class LegacySseFallback {
    private static final String ENDPOINT_EVENT = "endpoint";

    private final ChannelState state;
    private final ChannelShutdown shutdown;
    private final ReentrantLock lock = new ReentrantLock();

    LegacySseFallback(ChannelState state, ChannelShutdown shutdown) {
        this.state = state;
        this.shutdown = shutdown;
    }

    /** Switches to the legacy transport, once, after {@code initialize} got {@code status}; then posts it there. */
    void fallBack(JsonRpcMessage message, byte[] body, int status, CompletableFuture<Void> sent)
            throws IOException, InterruptedException {
        URI endpoint;
        lock.lockInterruptibly();
        try {
            endpoint = state.legacyEndpoint;
            if (endpoint == null) {
                endpoint = openStream(status);
                state.legacyEndpoint = endpoint;
                log.info("{} does not speak Streamable HTTP (HTTP {} to initialize); using the legacy HTTP+SSE "
                        + "transport, posting to {}", state.description, status, describe(endpoint));
            }
        } catch (ChannelException e) {
            sent.completeExceptionally(e);
            return;
        } finally {
            lock.unlock();
        }
        post(endpoint, message, body, sent, state.auth.token(null));
    }

    void post(URI endpoint, JsonRpcMessage message, byte[] body, CompletableFuture<Void> sent, String token)
            throws IOException, InterruptedException {
        HttpRequest request = state.request(endpoint, null, token)
                .header("Content-Type", HttpReplies.JSON)
                .header("Accept", HttpReplies.ACCEPT_BOTH)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        UpstreamReply reply = state.send(request);
        if (HttpReplies.isSuccess(reply.status())) {
            // Answers arrive on the event stream; a body beyond the status ("Accepted") is not the answer.
            sent.complete(null);
            HttpReplies.drain(reply);
            return;
        }
        byte[] bytes = HttpReplies.readExcerpt(reply.body());
        JsonRpcResponse error = HttpReplies.matchingError(message, bytes);
        if (error != null) {
            state.deliver(error, null);
            sent.complete(null);
            return;
        }
        sent.completeExceptionally(state.httpError(what(message) + " (legacy HTTP+SSE)", reply, bytes));
    }

    /** Opens the legacy event stream and waits for its {@code endpoint} event. */
    private URI openStream(int postStatus) throws IOException, InterruptedException {
        UpstreamReply response;
        try {
            response = state.send(
                    state.request(state.url, null).header("Accept", HttpReplies.EVENT_STREAM).GET().build());
        } catch (IOException e) {
            throw state.failure("answered initialize with HTTP " + postStatus + ", and a GET for the legacy HTTP+SSE "
                    + "transport failed", e);
        }
        String type = HttpReplies.mediaType(response);
        if (!HttpReplies.isSuccess(response.status()) || !HttpReplies.EVENT_STREAM.equals(type)) {
            byte[] bytes = HttpReplies.readExcerpt(response.body());
            throw new ChannelException(state.description + " answered initialize with HTTP " + postStatus
                    + " and a GET for the legacy HTTP+SSE transport with HTTP " + response.status() + " ("
                    + (type.isEmpty() ? "no content type" : type)
                    + "): it speaks neither MCP HTTP transport" + HttpReplies.excerpt(bytes));
        }
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        InputStream in = response.body();
        state.openBodies.add(in);
        try {
            state.workers.execute(() -> readStream(in, endpoint));
        } catch (RejectedExecutionException e) {
            HttpReplies.closeQuietly(in);
            throw state.closedException();
        }
        try {
            return endpoint.get(state.options.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            ChannelException failure = new ChannelException(state.description
                    + "'s legacy HTTP+SSE stream sent no endpoint event within " + state.options.requestTimeout());
            // Stops the reader at its next event; closing the stream makes the server notice.
            endpoint.completeExceptionally(failure);
            HttpReplies.closeQuietly(in);
            throw failure;
        } catch (ExecutionException e) {
            HttpReplies.closeQuietly(in);
            throw e.getCause() instanceof ChannelException c ? c
                    : new ChannelException(state.description + ": " + reason(e.getCause()), e.getCause());
        }
    }

    private void readStream(InputStream in, CompletableFuture<URI> endpoint) {
        SseReader events = new SseReader(in, null, HttpReplies.MAX_MESSAGE_BYTES);
        String why;
        try {
            SseReader.Event event;
            while ((event = events.next()) != null) {
                if (endpoint.isCompletedExceptionally()) {
                    break;
                }
                if (ENDPOINT_EVENT.equals(event.type())) {
                    if (!endpoint.isDone()) {
                        resolveEndpoint(event.data(), endpoint);
                    } else {
                        log.debug("{}: ignoring a second endpoint event on the legacy stream", state.description);
                    }
                    continue;
                }
                state.relay(event, null);
            }
            why = "the server ended the legacy HTTP+SSE stream";
        } catch (IOException e) {
            why = "the legacy HTTP+SSE stream broke: " + reason(e);
        } finally {
            HttpReplies.closeQuietly(in);
            state.openBodies.remove(in);
        }
        ChannelException cause = new ChannelException(state.description + ": " + why);
        // Once the endpoint is known the stream is the channel's only way back: without it the channel is over.
        if (!endpoint.completeExceptionally(cause) && !endpoint.isCompletedExceptionally()) {
            shutdown.run(cause);
        }
    }

    private void resolveEndpoint(String data, CompletableFuture<URI> endpoint) {
        URI resolved;
        try {
            resolved = state.url.resolve(data.strip());
        } catch (IllegalArgumentException e) {
            endpoint.completeExceptionally(new ChannelException(state.description
                    + "'s legacy HTTP+SSE stream sent an endpoint event that is not a URI"));
            return;
        }
        if (!sameOrigin(resolved, state.url)) {
            endpoint.completeExceptionally(new ChannelException(state.description + "'s legacy HTTP+SSE stream named "
                    + "an endpoint on another origin (" + describe(resolved) + "); the gateway sends this plugin's "
                    + "credentials only to its own origin"));
            return;
        }
        endpoint.complete(resolved);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
