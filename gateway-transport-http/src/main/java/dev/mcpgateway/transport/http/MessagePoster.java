package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.ChannelState.reason;
import static dev.mcpgateway.transport.http.ChannelState.what;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.internal.auth.UpstreamTokenException;
import dev.mcpgateway.internal.transport.http.BodyBuffers;
import dev.mcpgateway.internal.transport.http.HeaderFields;
import dev.mcpgateway.internal.transport.http.Http1Pool;
import dev.mcpgateway.internal.transport.http.McpHeaders;
import dev.mcpgateway.internal.transport.http.SessionLoss;
import dev.mcpgateway.internal.transport.http.TraceHeaders;
import dev.mcpgateway.internal.transport.http.UpstreamReply;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.SessionExpiredException;
import dev.mcpgateway.transport.UndeliveredException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The POST path of a {@link StreamableHttpChannel}: sends one message with its session and routing headers and
 * reads the answer, a JSON body delivered at once or an event stream handed to {@link ResponseStreams}. It turns
 * a lost session into {@link SessionExpiredException}, another error status into a {@link ChannelException}, and
 * an {@code initialize} refused by a server that predates Streamable HTTP into the {@link LegacySseFallback}.
 */
final class MessagePoster {
    private static final String INITIALIZE = "initialize";

    private final ChannelState state;
    private final ResponseStreams responseStreams;
    private final LegacySseFallback legacy;
    private final Map<RequestId, Exchange> exchanges = new ConcurrentHashMap<>();
    private volatile boolean streamableConfirmed;

    MessagePoster(ChannelState state, ResponseStreams responseStreams, LegacySseFallback legacy) {
        this.state = state;
        this.responseStreams = responseStreams;
        this.legacy = legacy;
    }

    /**
     * POSTs a message with the bearer token the plugin's credentials give for {@code onBehalfOf} (null: the gateway's
     * own message) and completes {@code sent} whatever happens, since later messages wait for it.
     */
    void post(JsonRpcMessage message, byte[] body, String version, CompletableFuture<Void> sent,
              Authenticated onBehalfOf) {
        try {
            URI endpoint = state.legacyEndpoint;
            if (endpoint != null) {
                legacy.post(endpoint, message, body, sent, state.auth.token(onBehalfOf));
            } else {
                postStreamable(message, body, version, sent, onBehalfOf);
            }
        } catch (UpstreamTokenException e) {
            // No token, no request: the plugin never saw it, so the call may fail at once (or go elsewhere).
            sent.completeExceptionally(new UndeliveredException(e.getMessage(), e));
        } catch (IOException e) {
            sent.completeExceptionally(state.failure("could not POST " + what(message), e));
        } catch (InterruptedException e) {
            sent.completeExceptionally(state.closed.get() ? state.closedException()
                    : new ChannelException(state.description + ": sending " + what(message) + " was cancelled"));
        } catch (RuntimeException e) {
            sent.completeExceptionally(new ChannelException(state.description + ": could not send " + what(message)
                    + ": " + reason(e), e));
        } finally {
            // Later messages wait for this one; it must never stay pending.
            if (!sent.isDone()) {
                sent.completeExceptionally(new ChannelException(state.description + ": sending " + what(message)
                        + " failed"));
            }
        }
    }

    /** Stops reading the answer to the request a {@code notifications/cancelled} names, if it is in flight. */
    void cancel(JsonNode params) {
        JsonNode requestId = params == null ? null : params.get("requestId");
        RequestId id = requestId == null ? null
                : requestId.isTextual() ? RequestId.of(requestId.textValue())
                : requestId.canConvertToLong() ? RequestId.of(requestId.longValue()) : null;
        Exchange exchange = id == null ? null : exchanges.get(id);
        if (exchange != null) {
            exchange.cancel();
        }
    }

    private void postStreamable(JsonRpcMessage message, byte[] body, String version, CompletableFuture<Void> sent,
                                Authenticated onBehalfOf) throws IOException, InterruptedException {
        String session = state.sessionId.get();
        String token = state.auth.token(onBehalfOf);
        HeaderFields headers = state.headers(session, token)
                .add("Content-Type", HttpReplies.JSON)
                .add("Accept", HttpReplies.ACCEPT_BOTH);
        if (version != null) {
            headers.add(McpHeaders.PROTOCOL_VERSION, version);
        }
        Exchange exchange = null;
        if (message instanceof JsonRpcRequest call) {
            TraceHeaders.fromMeta(call, headers::add);
            if (ProtocolVersions.isModern(version)) {
                headers.add(McpHeaders.METHOD, call.method());
                String name = McpHeaders.name(call);
                if (name != null) {
                    headers.add(McpHeaders.NAME, name);
                }
                state.paramHeaders.sending(call).forEach(headers::add);
            }
            exchange = new Exchange(call.id(), state.deliveryLock);
            exchanges.put(call.id(), exchange);
        }
        try {
            UpstreamReply reply = postOnce(headers, body);
            if (reply.status() == 401 && token != null) {
                // The plugin no longer takes the token (revoked, its keys rotated) and did not process the message:
                // the token is dropped and the message goes once more with a fresh one.
                HttpReplies.drain(reply);
                state.auth.rejected(onBehalfOf, token);
                token = state.auth.token(onBehalfOf);
                ChannelState.log.debug("{} refused its bearer token (401); retrying once with a new one",
                        state.description);
                reply = postOnce(headers.set(ChannelState.AUTHORIZATION, "Bearer " + token), body);
            }
            if (exchange != null) {
                exchange.attach(reply.body());
            }
            answered(message, body, session, reply, sent, exchange);
        } finally {
            if (exchange != null) {
                exchanges.remove(exchange.id, exchange);
                state.paramHeaders.ended(exchange.id);
            }
        }
    }

    private UpstreamReply postOnce(HeaderFields headers, byte[] body) throws IOException, InterruptedException {
        Http1Pool pool = state.posts;
        return pool != null ? pool.post(state.url, headers, state.options.requestTimeout(), body)
                : state.send(state.jdkRequest(state.url, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build());
    }

    private void answered(JsonRpcMessage message, byte[] body, String session, UpstreamReply reply,
                          CompletableFuture<Void> sent, Exchange exchange) throws IOException, InterruptedException {
        int status = reply.status();
        InputStream in = reply.body();
        if (HttpReplies.isSuccess(status)) {
            state.captureSession(reply);
            if (!(message instanceof JsonRpcRequest request)) {
                sent.complete(null);
                HttpReplies.drain(reply);
                return;
            }
            streamableConfirmed = true;
            String type = HttpReplies.mediaType(reply);
            if (HttpReplies.EVENT_STREAM.equals(type)) {
                sent.complete(null);
                responseStreams.read(request.id(), in, exchange);
                return;
            }
            BodyBuffers.Body answerBody = HttpReplies.readMessage(in, reply.headers().firstAsLong("Content-Length"));
            JsonRpcMessage answer;
            try {
                if (answerBody.length() == 0) {
                    // 202 or an empty 200: the answer will come on the server's GET stream.
                    sent.complete(null);
                    return;
                }
                answer = HttpReplies.JSON.equals(type) ? HttpReplies.decodeOrNull(answerBody.array(),
                        answerBody.length()) : null;
                if (answer == null) {
                    sent.completeExceptionally(new ChannelException(state.description + " answered " + what(message)
                            + " with HTTP " + status + " and "
                            + (type.isEmpty() ? "no content type" : "content type '" + type + "'")
                            + " that is not a JSON-RPC message" + HttpReplies.excerpt(answerBody.bytes()),
                            status / 100 == 2 ? 0 : status)); // a success status says nothing of what went wrong
                    return;
                }
            } finally {
                answerBody.release(); // a shared buffer goes back once decoded: nothing decoded refers to it
            }
            if (answer instanceof JsonRpcResponse unread && unread.id() == null) {
                // The server could not read the id (say, a parse error); this POST can only answer this request.
                answer = unread.withId(request.id());
            }
            state.deliver(answer, exchange);
            sent.complete(null);
            return;
        }
        byte[] bytes = HttpReplies.readExcerpt(in);
        if (session != null && SessionLoss.reported(status, bytes)) {
            state.sessionId.compareAndSet(session, null);
            sent.completeExceptionally(new SessionExpiredException(state.description + " no longer knows the session "
                    + "(HTTP " + status + " to " + what(message) + HttpReplies.excerpt(bytes) + "); initialize a new one"));
            return;
        }
        JsonRpcResponse error = HttpReplies.matchingError(message, bytes);
        if (error != null) {
            state.deliver(error, exchange);
            sent.complete(null);
            return;
        }
        if (message instanceof JsonRpcRequest request && INITIALIZE.equals(request.method()) && session == null
                && !streamableConfirmed && (status == 400 || status == 404 || status == 405)) {
            legacy.fallBack(message, body, status, sent);
            return;
        }
        sent.completeExceptionally(state.httpError(what(message), reply, bytes));
    }
}
