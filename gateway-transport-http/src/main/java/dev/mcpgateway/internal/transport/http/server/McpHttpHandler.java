package dev.mcpgateway.internal.transport.http.server;

import static dev.mcpgateway.internal.transport.http.server.RequestChecks.EVENT_STREAM;
import static dev.mcpgateway.internal.transport.http.server.RequestChecks.JSON;
import static dev.mcpgateway.internal.transport.http.server.RequestChecks.accepts;
import static dev.mcpgateway.internal.transport.http.server.RequestChecks.checkLegacyVersion;
import static dev.mcpgateway.internal.transport.http.server.RequestChecks.mediaType;
import static dev.mcpgateway.internal.transport.http.server.RequestChecks.requireAcceptForRequests;
import static dev.mcpgateway.internal.transport.http.server.RequestChecks.statelessStatus;
import static dev.mcpgateway.internal.transport.http.server.RequestChecks.statelessVersion;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.internal.gateway.GatewayInternals;
import dev.mcpgateway.internal.transport.http.BodyBuffers;
import dev.mcpgateway.internal.transport.http.McpHeaders;
import dev.mcpgateway.internal.transport.http.TraceHeaders;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.server.MessageSink;
import dev.mcpgateway.server.ServerSession;
import dev.mcpgateway.server.SessionLimitException;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's Streamable HTTP endpoint, written once for every HTTP server: checks {@code Origin}, media types,
 * size, sessions and protocol-version headers, feeds each message to its {@link ServerSession}, and answers with
 * JSON, with an event stream (once a request has something to send before its response, or runs longer than the
 * keep-alive interval), or with a status alone. Serves both eras on the same endpoint: {@code initialize} and
 * {@code Mcp-Session-Id} sessions (2025-03-26 to 2025-11-25, GET streams, DELETE, batches in 2025-03-26 only), and
 * stateless 2026-07-28 requests recognised by their {@code _meta} protocol version, whose mirrored headers
 * {@link StatelessHeaders} checks against the body. A session holds at most
 * {@link HttpFrontDoorOptions#maxStreamsPerSession()} event streams open at once ({@link SessionStreams}); stateless
 * requests have no session to count against. {@code Host} and {@code Origin} must be allowed ({@link RequestGuard});
 * with CORS on, preflights are answered and answers marked for the calling page ({@link CorsPolicy}). Bodies in flight share one
 * budget ({@link BodyBudget}); sessions count against their client ({@link ClientKey}) and batches are held to the
 * server's {@code maxBatchSize}. With {@link HttpFrontDoorOptions#auth()} set every request needs a bearer token
 * ({@link BearerAuth}), checked before its body is read; a session keeps the principal of its {@code initialize},
 * later requests of it must come from the same one, and sessions count against the principal instead of the
 * address. Every error body is a JSON-RPC error response. Thread-safe; blocks the calling thread
 * for as long as its answer takes (streams included).
 */
public final class McpHttpHandler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(McpHttpHandler.class);
    private static final JsonRpcCodec CODEC = JsonRpcCodec.INSTANCE;

    private static final String ALLOW_LEGACY = "GET, POST, DELETE";
    private static final String ALLOW_STATELESS = "POST";
    /** The only protocol version with JSON-RPC batches. */
    private static final String BATCH_VERSION = "2025-03-26";
    private static final byte[] NO_BODY = new byte[0];
    /**
     * The {@code Retry-After} of an {@code initialize} refused for a session limit: places free as clients end their
     * sessions or as idle ones expire, which takes longer; sooner retries would only be refused again.
     */
    private static final String SESSION_RETRY_AFTER = "30";

    private final McpServer server;
    private final StatelessHeaders statelessHeaders;
    private final RequestGuard guard;
    /** Whether CORS is on ({@link CorsPolicy}). */
    private final boolean cors;
    private final long keepAliveNanos;
    private final SessionStreams streams;
    private final BodyBudget bodies;
    private final RequestBodies requestBodies;
    private final ClientKey clients;
    /** Null when clients do not authenticate. */
    private final SessionAccess access;
    /**
     * The {@code Retry-After} of a GET refused for too many streams: one keep-alive interval, in whole seconds. A
     * place frees when a stream ends, and a vanished client is noticed at its stream's next keep-alive at the latest.
     */
    private final String streamRetryAfter;
    /** Event ids of legacy streams: one counter for all, so they are unique within every session. */
    private final AtomicLong eventIds = new AtomicLong();
    /** The GET stream of each session that has one. */
    private final Map<String, GetStream> getStreams = new ConcurrentHashMap<>();
    /** Stopped by {@link #close} to release every thread writing a stream or waiting for a response. */
    private final WaitingOutboxes waiting;
    private volatile boolean closed;

    /**
     * A handler feeding the server's sessions, with the options' origins, size limits, keep-alive interval and limit
     * of streams per session, counting sessions per client address.
     */
    public McpHttpHandler(McpServer server, HttpFrontDoorOptions options) {
        this(server, options, ClientKey.ADDRESS);
    }

    /** A handler counting sessions per client as {@code clients} names them (a principal, once clients authenticate). */
    public McpHttpHandler(McpServer server, HttpFrontDoorOptions options, ClientKey clients) {
        this(server, options, clients, new BodyBudget(options.maxBodyBytesInFlight()));
    }

    /** A handler whose request bodies count in a budget it shares with other routes of its front door. */
    McpHttpHandler(McpServer server, HttpFrontDoorOptions options, ClientKey clients, BodyBudget bodies) {
        this.server = server;
        this.clients = clients;
        this.access = new SessionAccess(server, options);
        this.bodies = bodies;
        this.statelessHeaders = new StatelessHeaders(server);
        this.guard = new RequestGuard(options);
        this.cors = options.cors();
        this.requestBodies = new RequestBodies(options.maxRequestBytes(), bodies, server.rejections());
        this.keepAliveNanos = options.sseKeepAlive().toNanos();
        this.waiting = new WaitingOutboxes(GatewayInternals.scheduler(server.gateway()), keepAliveNanos);
        this.streams = new SessionStreams(options.maxStreamsPerSession());
        this.streamRetryAfter = Long.toString(Math.max(1, options.sseKeepAlive().plusMillis(999).toSeconds()));
    }

    /** The budget of request bodies in flight, which the front door's other routes share. */
    BodyBudget bodies() {
        return bodies;
    }

    /** Answers one exchange; never throws (a client that went away is logged at debug level). */
    public void handle(HttpExchangeAdapter exchange) {
        try {
            if (closed) {
                throw new Rejection(503, ErrorCodes.GATEWAY_CLOSED, "The gateway is shutting down; retry elsewhere",
                        null);
            }
            RequestGuard.Refusal refusal = guard.check(exchange);
            if (refusal != null) {
                throw new Rejection(refusal.status(), ErrorCodes.INVALID_REQUEST, refusal.message(), null);
            }
            if (cors) {
                if (CorsPolicy.isPreflight(exchange)) {
                    CorsPolicy.answerPreflight(exchange);
                    return;
                }
                CorsPolicy.annotate(exchange); // on every answer, errors included, so the page can read them
            }
            Principal principal = access.authenticate(exchange);
            switch (exchange.method()) {
                case "POST" -> {
                    try (BodyBudget.Lease lease = bodies.lease()) {
                        post(exchange, lease, principal);
                    }
                }
                case "GET" -> get(exchange, principal);
                case "DELETE" -> delete(exchange, principal);
                default -> {
                    exchange.setHeader("Allow", ALLOW_LEGACY);
                    throw new Rejection(405, ErrorCodes.INVALID_REQUEST, "Method " + exchange.method()
                            + " is not supported; the MCP endpoint takes POST, GET and DELETE", null);
                }
            }
        } catch (Rejection rejection) {
            answer(exchange, rejection.status, rejection.response);
        } catch (IOException e) {
            log.debug("An MCP client went away before its answer was complete", e);
        } catch (RuntimeException e) {
            log.warn("Answering an MCP request over HTTP failed", e);
            answer(exchange, 500, JsonRpcResponse.failure(null, ErrorCodes.INTERNAL_ERROR,
                    "Internal error in the gateway; see its log"));
        }
    }

    /** Ends every open stream and releases every waiting request; later requests are answered with 503. */
    @Override
    public void close() {
        closed = true;
        waiting.close();
    }

    // ---- POST ----------------------------------------------------------------------------------------------

    private void post(HttpExchangeAdapter exchange, BodyBudget.Lease lease, Principal principal) throws IOException {
        String contentType = mediaType(exchange.header("Content-Type"));
        if (!JSON.equalsIgnoreCase(contentType)) {
            throw new Rejection(415, ErrorCodes.INVALID_REQUEST, "Content-Type must be application/json, not "
                    + (contentType == null ? "missing" : "'" + contentType + "'"), null);
        }
        JsonRpcCodec.Batch batch;
        BodyBuffers.Body body = requestBodies.read(exchange, lease);
        try {
            batch = CODEC.decodeBatch(body.array(), body.length());
        } catch (JsonRpcException e) {
            throw new Rejection(400, e.toResponse());
        } finally {
            body.release(); // nothing decoded refers to it
        }
        String sessionId = exchange.header(McpHeaders.SESSION_ID);
        if (batch.array()) {
            postBatch(exchange, batch, sessionId, principal);
            return;
        }
        JsonRpcCodec.Entry entry = batch.entries().getFirst();
        if (entry.error() != null) {
            throw new Rejection(400, entry.error().toResponse());
        }
        JsonRpcMessage message = TraceHeaders.intoMeta(entry.message(), exchange::header);
        RequestId id = message instanceof JsonRpcRequest request ? request.id() : null;
        if (id != null) {
            requireAcceptForRequests(exchange, id);
        }
        String statelessVersion = statelessVersion(message, id);
        if (statelessVersion != null) {
            // The 2026-07-28 era has no sessions: a stray Mcp-Session-Id is ignored, as the spec asks.
            String mismatch = statelessHeaders.mismatch(exchange::header, message, statelessVersion,
                    principal);
            if (mismatch != null) {
                throw new Rejection(400, ErrorCodes.HEADER_MISMATCH, mismatch, id);
            }
            String malformed = message instanceof JsonRpcRequest request && ProtocolVersions.isModern(statelessVersion)
                    ? ProtocolVersions.malformedModernMeta(request.params().get("_meta")) : null;
            if (malformed != null) {
                throw new Rejection(400, ErrorCodes.INVALID_PARAMS, malformed, id); // the spec's status for it
            }
            // Without a principal, the client is who it is to the front door: its rate limits count it so.
            ServerSession session = principal == null ? server.statelessSession(clients.of(exchange))
                    : server.statelessSession(principal);
            access.remember(session, exchange);
            try {
                deliver(exchange, session, message, true);
            } finally {
                session.close(); // cancels what still runs: in this era a client that left has cancelled
            }
        } else if (sessionId == null && message instanceof JsonRpcRequest request
                && "initialize".equals(request.method())) {
            ServerSession session = newSession(exchange, id, principal);
            access.remember(session, exchange);
            exchange.setHeader(McpHeaders.SESSION_ID, session.id());
            JsonRpcResponse response = null;
            try {
                response = deliver(exchange, session, message, false);
            } finally {
                if (response == null || response.isError()) {
                    server.endSession(session.id()); // no InitializeResult reached the client: the id names nothing
                }
            }
        } else {
            ServerSession session = access.requireSession(sessionId, id, principal, exchange);
            access.remember(session, exchange);
            checkLegacyVersion(exchange, session, id);
            deliver(exchange, session, message, false);
        }
    }

    /** A new session of the exchange's client, or the refusal of a session limit: 429 for the client's, 503 for all. */
    private ServerSession newSession(HttpExchangeAdapter exchange, RequestId id, Principal principal) {
        try {
            // An authenticated client counts as itself, wherever it connects from (NAT, proxies, several machines).
            return principal == null ? server.newSession(clients.of(exchange))
                    : server.newSession("principal " + principal.issuer() + " " + principal.subject(), principal);
        } catch (SessionLimitException e) {
            exchange.setHeader("Retry-After", SESSION_RETRY_AFTER);
            throw new Rejection(e.perClient() ? 429 : 503, ErrorCodes.OVERLOADED, e.getMessage(), id);
        }
    }

    /** Hands one message to its session and answers: 202 for anything but a request, else its response. */
    private JsonRpcResponse deliver(HttpExchangeAdapter exchange, ServerSession session, JsonRpcMessage message,
                                    boolean stateless) throws IOException {
        if (message instanceof JsonRpcRequest request) {
            return respond(exchange, session, request, stateless);
        }
        session.handle(message, MessageSink.NONE);
        exchange.send(202, NO_BODY);
        return null;
    }

    /**
     * Runs one request and writes its answer.
     *
     * @return the response written, or null if none was (the client went away)
     */
    private JsonRpcResponse respond(HttpExchangeAdapter exchange, ServerSession session, JsonRpcRequest request,
                                    boolean stateless) throws IOException {
        Outbox outbox = new Outbox();
        waiting.add(outbox);
        try {
            session.handle(request, outbox).whenComplete((response, error) -> {
                if (error == null) {
                    outbox.complete(response);
                } else {
                    log.warn("The MCP server failed to answer {} '{}'", request.id(), request.method(), error);
                    outbox.complete(JsonRpcResponse.failure(request.id(), ErrorCodes.INTERNAL_ERROR,
                            "Internal error in the gateway; see its log"));
                }
            });
            JsonRpcResponse written = writeAnswer(exchange, outbox, session, request, stateless);
            if (written == null) {
                log.debug("MCP client left before the response to {} '{}' (session {})", request.id(),
                        request.method(), session.id());
            }
            return written;
        } finally {
            outbox.refuse();
            waiting.remove(outbox);
        }
    }

    /**
     * Writes what the request sends its client, then its response: as plain JSON if the response comes first,
     * otherwise as an event stream that starts with the first message (or keep-alive) and ends with the response;
     * a stream one too many for the session is refused instead.
     *
     * @return the response written, or null if the client went away first
     */
    private JsonRpcResponse writeAnswer(HttpExchangeAdapter exchange, Outbox outbox, ServerSession session,
                                        JsonRpcRequest request, boolean stateless) throws IOException {
        SseWriter events = null;
        SessionStreams.Permit permit = null;
        try {
            while (true) {
                Object item;
                try {
                    item = outbox.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                if (item instanceof Outbox.Final(JsonRpcResponse response)) {
                    if (events == null) {
                        exchange.setHeader("Content-Type", JSON);
                        exchange.send(stateless ? statelessStatus(response) : 200, CODEC.encode(response));
                        return response;
                    }
                    return events.message(response, nextEventId(stateless)) ? response : null;
                }
                if (item == Outbox.STOP) {
                    throw new Rejection(503, ErrorCodes.GATEWAY_CLOSED, "The gateway is shutting down; the request "
                            + "may or may not have been carried out", request.id());
                }
                if (events == null) {
                    if (!stateless) {
                        permit = streams.tryOpen(session.id());
                        if (permit == null) {
                            return refuseStream(exchange, session, request);
                        }
                    }
                    eventStreamHeaders(exchange);
                    events = new SseWriter(exchange.stream(200));
                }
                boolean written = item == null ? events.keepAlive()
                        : events.message((JsonRpcMessage) item, nextEventId(stateless));
                if (!written) {
                    return null;
                }
            }
        } finally {
            if (permit != null) {
                permit.close();
            }
        }
    }

    /**
     * Answers a request whose answer would be one stream too many for its session with a JSON-RPC error instead,
     * and cancels the call, whose result nobody would receive. The error travels with 200 as every other response
     * to a request does: the transport answers a request with its JSON-RPC response, and clients hand that to the
     * waiting caller, whereas an HTTP error status leaves some of them with a bare transport failure, or waiting.
     */
    private JsonRpcResponse refuseStream(HttpExchangeAdapter exchange, ServerSession session, JsonRpcRequest request)
            throws IOException {
        String limit = streamLimitReached();
        ObjectNode cancel = Json.object().put("reason", limit + "; the client was sent an error instead");
        switch (request.id()) {
            case RequestId.Text text -> cancel.put("requestId", text.value());
            case RequestId.Number number -> cancel.put("requestId", number.value());
        }
        session.handle(new JsonRpcNotification("notifications/cancelled", cancel), MessageSink.NONE);
        JsonRpcResponse refusal = JsonRpcResponse.failure(request.id(), ErrorCodes.OVERLOADED, limit
                + "; the request was cancelled: retry once one of them ends, or send fewer requests at once");
        exchange.setHeader("Content-Type", JSON);
        exchange.send(200, CODEC.encode(refusal));
        return refusal;
    }

    private String streamLimitReached() {
        return "This session holds its limit of " + streams.limit() + " open event streams (its GET stream and the "
                + "answers being streamed to it)";
    }

    private long nextEventId(boolean stateless) {
        return stateless ? SseWriter.NO_ID : eventIds.incrementAndGet(); // the stateless era has no event ids
    }

    /** A JSON-RPC batch: allowed only in sessions that negotiated 2025-03-26; answered with one JSON array. */
    private void postBatch(HttpExchangeAdapter exchange, JsonRpcCodec.Batch batch, String sessionId,
                           Principal principal) throws IOException {
        ServerSession session = access.requireSession(sessionId, null, principal, exchange);
        access.remember(session, exchange);
        checkLegacyVersion(exchange, session, null);
        if (!BATCH_VERSION.equals(session.protocolVersion())) {
            String version = session.protocolVersion() == null ? "none negotiated yet" : session.protocolVersion();
            throw new Rejection(400, ErrorCodes.INVALID_REQUEST, "JSON-RPC batches are not supported in this "
                    + "protocol version (" + version + "); only 2025-03-26 allows them: send one message per POST",
                    null);
        }
        int maxBatch = server.options().clientLimits().maxBatchSize();
        if (batch.entries().size() > maxBatch) {
            // The JSON-RPC spec answers a batch that is invalid as a whole with one error, Invalid Request.
            String message = "The batch holds " + batch.entries().size() + " messages, more than this server's "
                    + "limit of " + maxBatch + " (maxBatchSize); none of it was carried out: send smaller batches";
            server.rejections().record("maxBatchSize", message);
            throw new Rejection(400, ErrorCodes.INVALID_REQUEST, message, null);
        }
        if (batch.entries().stream().anyMatch(entry -> entry.message() instanceof JsonRpcRequest)) {
            requireAcceptForRequests(exchange, null);
        }
        List<CompletableFuture<JsonRpcResponse>> answers = new ArrayList<>(batch.entries().size());
        for (JsonRpcCodec.Entry entry : batch.entries()) {
            answers.add(entry.error() != null ? CompletableFuture.completedFuture(entry.error().toResponse())
                    : session.handle(entry.message(), MessageSink.NONE));
        }
        Outbox outbox = new Outbox(false);
        waiting.add(outbox);
        try {
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .whenComplete((done, error) -> outbox.complete(null));
            if (outbox.take() == Outbox.STOP) {
                throw new Rejection(503, ErrorCodes.GATEWAY_CLOSED, "The gateway is shutting down; the batch may "
                        + "or may not have been carried out", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            waiting.remove(outbox);
        }
        List<JsonRpcResponse> responses = new ArrayList<>(answers.size());
        for (CompletableFuture<JsonRpcResponse> answer : answers) {
            JsonRpcResponse response = answer.join();
            if (response != null) {
                responses.add(response);
            }
        }
        if (responses.isEmpty()) {
            exchange.send(202, NO_BODY);
        } else {
            exchange.setHeader("Content-Type", JSON);
            exchange.send(200, CODEC.encodeBatch(responses));
        }
    }

    // ---- GET and DELETE -----------------------------------------------------------------------------------

    /** Opens the session's stream for unsolicited messages; a newer GET stream of the same session replaces it. */
    private void get(HttpExchangeAdapter exchange, Principal principal) throws IOException {
        String sessionId = exchange.header(McpHeaders.SESSION_ID);
        if (sessionId == null && ProtocolVersions.isModern(exchange.header(McpHeaders.PROTOCOL_VERSION))) {
            exchange.setHeader("Allow", ALLOW_STATELESS);
            throw new Rejection(405, ErrorCodes.INVALID_REQUEST, "Protocol version " + ProtocolVersions.MODERN
                    + " has no GET stream; POST subscriptions/listen to receive notifications", null);
        }
        if (!accepts(exchange.header("Accept"), EVENT_STREAM)) {
            throw new Rejection(406, ErrorCodes.INVALID_REQUEST, "A GET opens an event stream: send it with "
                    + "Accept: text/event-stream", null);
        }
        ServerSession session = access.requireSession(sessionId, null, principal, exchange);
        checkLegacyVersion(exchange, session, null);
        Outbox outbox = new Outbox();
        // Attached before the headers go out: whatever the session sends from then on waits in the outbox. The
        // stream it replaces gives its place up at once, so replacing never counts as one stream more.
        GetStream stream = getStreams.compute(sessionId, (id, previous) -> {
            if (previous != null) {
                previous.end();
            }
            SessionStreams.Permit permit = streams.tryOpen(id);
            if (permit == null) {
                exchange.setHeader("Retry-After", streamRetryAfter);
                throw new Rejection(429, ErrorCodes.OVERLOADED, streamLimitReached() + "; open this one once "
                        + "another ends", null);
            }
            session.attach(outbox);
            return new GetStream(outbox, permit);
        });
        waiting.add(outbox);
        try {
            eventStreamHeaders(exchange);
            SseWriter events = new SseWriter(exchange.stream(200));
            while (true) {
                Object item = outbox.take();
                if (item == Outbox.STOP) {
                    break;
                }
                // The session lookup also counts as activity: a client holding a stream open is not idle.
                boolean written = item == null ? events.keepAlive() && server.session(sessionId).isPresent()
                        : events.message((JsonRpcMessage) item, eventIds.incrementAndGet());
                if (!written) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            outbox.refuse();
            stream.permit().close();
            getStreams.computeIfPresent(sessionId, (id, current) -> {
                if (current != stream) {
                    return current;
                }
                session.attach(MessageSink.NONE);
                return null;
            });
            waiting.remove(outbox);
        }
    }

    private void delete(HttpExchangeAdapter exchange, Principal principal) throws IOException {
        String sessionId = exchange.header(McpHeaders.SESSION_ID);
        if (sessionId == null && ProtocolVersions.isModern(exchange.header(McpHeaders.PROTOCOL_VERSION))) {
            exchange.setHeader("Allow", ALLOW_STATELESS);
            throw new Rejection(405, ErrorCodes.INVALID_REQUEST, "Protocol version " + ProtocolVersions.MODERN
                    + " has no sessions to delete", null);
        }
        if (sessionId == null) {
            throw new Rejection(400, ErrorCodes.INVALID_REQUEST, "DELETE ends a session: send its Mcp-Session-Id",
                    null);
        }
        if (principal != null) {
            access.requireSession(sessionId, null, principal, exchange); // only its own client may end a session
        }
        if (!server.endSession(sessionId)) {
            throw new Rejection(404, ErrorCodes.INVALID_REQUEST, "Session not found: it already ended or expired",
                    null);
        }
        GetStream stream = getStreams.remove(sessionId);
        if (stream != null) {
            stream.end();
        }
        exchange.send(204, NO_BODY);
    }

    // ---- writing ------------------------------------------------------------------------------------------

    /** Writes a JSON-RPC body, unless the answer already began (then the client sees the stream end). */
    private static void answer(HttpExchangeAdapter exchange, int status, JsonRpcResponse response) {
        if (exchange.isCommitted()) {
            return;
        }
        try {
            exchange.setHeader("Content-Type", JSON);
            exchange.send(status, CODEC.encode(response));
        } catch (IOException e) {
            log.debug("An MCP client went away before its error answer ({}) was written", status, e);
        }
    }

    private static void eventStreamHeaders(HttpExchangeAdapter exchange) {
        exchange.setHeader("Content-Type", EVENT_STREAM);
        exchange.setHeader("Cache-Control", "no-cache");
        exchange.setHeader("X-Accel-Buffering", "no"); // reverse proxies must not hold events back
    }

    /** A session's open GET stream: where its unsolicited messages wait, and its place among the session's streams. */
    private record GetStream(Outbox outbox, SessionStreams.Permit permit) {
        /** Ends the stream and gives its place up now, before its thread gets round to it. */
        void end() {
            outbox.stop();
            permit.close();
        }
    }
}
