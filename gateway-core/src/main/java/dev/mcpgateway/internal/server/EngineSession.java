package dev.mcpgateway.internal.server;

import static dev.mcpgateway.internal.Futures.unwrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.internal.metrics.ServerOperationMeters;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.server.MessageSink;
import dev.mcpgateway.server.ServerSession;
import dev.mcpgateway.server.VirtualServer;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's session with the gateway's MCP server: what the client negotiated or declared, its calls in flight
 * (cancelled when it ends), the requests the gateway relayed to it and awaits answers for, its resource subscriptions
 * and log level, and where unsolicited messages go. Each request is checked for its era, dispatched to the method
 * handlers, and its result stamped as that era requires.
 *
 * <p>When gateways share their sessions ({@link SharedSessions}), a legacy session is what its {@link SessionRecord}
 * says, on every gateway its client's requests reach; this object is one gateway's copy of it, holding what only this
 * process has: the calls it runs, the questions it asked, the resource subscriptions it holds with plugins and the
 * client's stream if it is open here. Messages for that stream, and answers to another gateway's questions, then
 * travel between the gateways.
 */
final class EngineSession implements ServerSession {
    private static final Logger log = LoggerFactory.getLogger(EngineSession.class);
    private static final Set<String> NEEDS_NO_INITIALIZE = Set.of("initialize", "ping", "server/discover");
    /** Methods the stateless era removed. */
    private static final Set<String> LEGACY_ONLY = Set.of("initialize", "ping", "logging/setLevel",
            "resources/subscribe", "resources/unsubscribe");

    /** Numbers the stateless sessions of every engine in the process, so that their ids never repeat in it. */
    private static final AtomicLong STATELESS_NUMBERS = new AtomicLong();

    private final ServerEngine engine;
    /** The session's id; null for a stateless one, whose id is {@link #statelessId}. */
    private final String id;
    /** A stateless session's id, built on first use (most requests never need it); a race builds it twice. */
    private String statelessId;
    /** A stateless session's number in the process ({@link #stateless}), or 0. */
    private final long statelessNumber;
    private final boolean stateless;
    /** Who a stateless session's client is as its front door knows it (over HTTP its address), or null. */
    private final String frontDoorClient;
    private final boolean expires;
    /** This session's places among the session limits; null for a stateless one, which is never remembered. */
    private final SessionQuota.Place place;
    /**
     * Its requests in flight, at most {@code maxCallsPerSession}; null for a stateless session, which carries one
     * request on one HTTP exchange, so the front door's connections bound those.
     */
    private final Bound calls;
    private final InFlightCalls inFlight;
    private final ClientQuestions questions = new ClientQuestions();
    /**
     * The resource URIs whose updates this process holds a plugin subscription for, on this session's behalf; none
     * for a stateless session, which cannot subscribe ({@link #LEGACY_ONLY}).
     */
    private final Set<String> subscriptions;
    /** The URIs the client subscribed to, through whichever gateway: what the session's record shares. */
    private volatile Set<String> clientSubscriptions = Set.of();
    private volatile MessageSink unsolicited = MessageSink.NONE;
    private volatile String protocolVersion;
    /** What the client declared in {@code initialize}; a stateless session's, in each request's {@code _meta}. */
    private volatile ObjectNode clientCapabilities;
    private volatile String logLevel;
    private volatile long lastUsedNanos = System.nanoTime();
    /** Whether the client used the session since the gateway last renewed it in the shared store. */
    private volatile boolean usedSinceRenewal;
    private volatile boolean closed;

    /** Who the client authenticated as, or null when its front door does not authenticate. */
    private final Principal principal;
    /** What of the gateway the client may see and use. */
    private final CatalogView view;
    /** The bearer token of the client's latest request, for token exchange only; never logged. */
    private volatile String bearerToken;

    /**
     * A session.
     *
     * @param id    its id; null for a stateless one, which is numbered instead ({@link #stateless})
     * @param place its place among the session limits; null for a stateless one, and for a copy of a session begun on
     *              another gateway (which counts there)
     */
    EngineSession(ServerEngine engine, String id, SessionQuota.Place place, boolean stateless, boolean expires,
                  Principal principal, VirtualServer virtualServer, String frontDoorClient) {
        this.engine = engine;
        this.frontDoorClient = frontDoorClient;
        this.principal = principal;
        this.view = engine.view(principal, virtualServer);
        this.id = id;
        this.statelessNumber = stateless ? STATELESS_NUMBERS.incrementAndGet() : 0;
        this.stateless = stateless;
        this.expires = expires;
        this.place = place;
        this.calls = stateless ? null : new Bound(engine.options().clientLimits().maxCallsPerSession());
        this.inFlight = new InFlightCalls(stateless);
        this.subscriptions = stateless ? Collections.emptySet() : ConcurrentHashMap.newKeySet();
        if (stateless) {
            protocolVersion = ProtocolVersions.MODERN;
        } else {
            clientCapabilities = Json.object();
        }
    }

    /**
     * A session for stateless-era requests, never remembered. Its id is a label: in logs, the access log, traces and
     * the {@code resume} messages between gateways (which match their replies by a correlation id of their own). The
     * engine keeps no map of these sessions, the shared store never has them, and nothing takes the id from a client.
     * So the id grants nothing and need not be unguessable (a random UUID cost a SecureRandom draw per request); it
     * must only be unique: a process-wide counter makes it so in the process, the gateway's tag across the gateways
     * sharing sessions. Naming one request, it is not the key of its client's rate limits: {@code frontDoorClient} is.
     */
    static EngineSession stateless(ServerEngine engine, Principal principal, VirtualServer virtualServer,
                                   String frontDoorClient) {
        return new EngineSession(engine, null, null, true, false, principal, virtualServer, frontDoorClient);
    }

    /** This gateway's copy of a session another gateway began, as its shared record says. */
    static EngineSession adopted(ServerEngine engine, SessionRecord record, VirtualServer virtualServer) {
        EngineSession session = new EngineSession(engine, record.id(), null, false, true, record.principal(),
                virtualServer, null);
        session.protocolVersion = record.protocolVersion();
        session.clientCapabilities = record.capabilities();
        session.logLevel = record.logLevel();
        session.clientSubscriptions = record.subscriptions();
        return session;
    }

    /** What the session is, for the other gateways. */
    SessionRecord record() {
        return new SessionRecord(id(), protocolVersion, clientCapabilities, principal,
                view.virtualServer() == null ? null : view.virtualServer().name(), logLevel, clientSubscriptions);
    }

    /** Whether other gateways may serve this session: an initialized legacy HTTP session, when sessions are shared. */
    boolean shared() {
        return !stateless && expires && protocolVersion != null && engine.shared().enabled();
    }

    /**
     * Takes what another gateway changed of the session: its log level and subscriptions. Plugin subscriptions this
     * process holds for URIs the client let go of elsewhere are let go of here.
     */
    synchronized void adopt(SessionRecord record) {
        logLevel = record.logLevel();
        clientSubscriptions = record.subscriptions();
        for (String uri : subscriptions) {
            if (!record.subscriptions().contains(uri) && subscriptions.remove(uri)) {
                engine.resourceSubscriptions().release(uri);
            }
        }
    }

    @Override
    public String id() {
        if (id != null) {
            return id;
        }
        String known = statelessId;
        if (known == null) {
            known = "stateless-" + engine.shared().gatewayTag() + "-" + statelessNumber;
            statelessId = known;
        }
        return known;
    }

    @Override
    public Principal principal() {
        return principal;
    }

    /** Whether this session carries one stateless-era request only. */
    boolean isStateless() {
        return stateless;
    }

    /** Who a stateless session's client is as its front door knows it (its address), or null. */
    String frontDoorClient() {
        return frontDoorClient;
    }

    /** What of the gateway this session's client may see and use. */
    CatalogView view() {
        return view;
    }

    @Override
    public void rememberBearerToken(String token) {
        bearerToken = token;
    }

    /** The token {@link #rememberBearerToken} was last told, or null. */
    String bearerToken() {
        return bearerToken;
    }

    @Override
    public String protocolVersion() {
        return protocolVersion;
    }

    @Override
    public boolean isInitialized() {
        return protocolVersion != null;
    }

    @Override
    public void attach(MessageSink sink) {
        unsolicited = sink == null ? MessageSink.NONE : sink;
    }

    @Override
    public void close() {
        closed = true;
        if (place != null) {
            place.release();
        }
        for (String uri : subscriptions) {
            if (subscriptions.remove(uri)) {
                engine.resourceSubscriptions().release(uri);
            }
        }
        inFlight.cancelAll();
        questions.endAll();
        unsolicited = MessageSink.NONE;
    }

    void touch() {
        lastUsedNanos = System.nanoTime();
        usedSinceRenewal = true;
    }

    /** Whether the client used the session since the last call of this method. */
    boolean usedSinceRenewal() {
        boolean used = usedSinceRenewal;
        usedSinceRenewal = false;
        return used;
    }

    /** Whether this session is forgotten after being idle for longer than the given time. */
    boolean idleLongerThan(long idleNanos, long nowNanos) {
        return expires && nowNanos - lastUsedNanos > idleNanos;
    }

    /**
     * Whether this copy of a shared session does something for its client even while no request reaches it: holds
     * the client's open stream, or plugin subscriptions whose updates reach only this gateway.
     */
    boolean servesFromHere() {
        return unsolicited != MessageSink.NONE || !subscriptions.isEmpty();
    }

    /** Whether the session built its maps of calls and questions (a stateless call needs neither); for tests. */
    boolean builtMaps() {
        return inFlight.mapBuilt() || questions.everAsked();
    }

    ObjectNode clientCapabilities() {
        return clientCapabilities;
    }

    /** The level a legacy client set with {@code logging/setLevel}, or null for every message. */
    String logLevel() {
        return logLevel;
    }

    /** Whether the client subscribed to the URI, through this gateway or another. */
    boolean isSubscribedTo(String uri) {
        return clientSubscriptions.contains(uri);
    }

    /** Whether this process holds a plugin subscription to the URI for this session, so hears its updates. */
    boolean holdsSubscription(String uri) {
        return subscriptions.contains(uri);
    }

    /**
     * Records the client subscribing or letting go (shared with the other gateways); returns whether this process now
     * holds, or no longer holds, a plugin subscription for it.
     */
    boolean subscription(String uri, boolean on) {
        boolean held = on ? subscriptions.add(uri) : subscriptions.remove(uri);
        synchronized (this) {
            Set<String> next = new HashSet<>(clientSubscriptions);
            if (on ? next.add(uri) : next.remove(uri)) {
                clientSubscriptions = Set.copyOf(next);
                if (shared()) {
                    engine.shared().save(record(), true);
                }
            }
        }
        return held;
    }

    /**
     * Sends a message on the session's stream if this gateway holds it; returns whether it did. For what every
     * gateway sends its own copy of the session (a list change each sees), and for what another gateway passed on. A
     * session of the stateless era has no stream.
     */
    boolean notifyLocally(JsonRpcMessage message) {
        return protocolVersion != null && !stateless && unsolicited.send(message);
    }

    /**
     * Sends a notification only this gateway has (a plugin's log message or resource update, heard here) on the
     * client's stream: this gateway's, or else the one another gateway holds.
     */
    void notifyUnsolicited(JsonRpcNotification notification) {
        if (!notifyLocally(notification) && shared()) {
            engine.shared().forward("deliver", id(), notification);
        }
    }

    /** Relays a plugin's request under an id of the gateway's, down the call's stream or else the session's. */
    CompletableFuture<JsonNode> askClient(JsonRpcRequest request, MessageSink callStream) {
        RequestId askId = engine.nextServerRequestId();
        CompletableFuture<JsonNode> answer = questions.open(askId);
        JsonRpcRequest relayed = request.withId(askId);
        if (callStream.send(relayed) || unsolicited.send(relayed)) {
            return answer;
        }
        if (shared()) {
            // The client's stream may be open on another gateway; its answer, wherever it arrives, comes back here.
            engine.shared().forward("deliver", id(), relayed);
            return answer;
        }
        questions.withdraw(askId, "The client has no open stream to receive '" + request.method() + "'");
        return answer;
    }

    /** Remembers a call, so the client's cancellation or the session's end cancels it. */
    <T> CompletableFuture<T> tracked(JsonRpcRequest request, CompletableFuture<T> result) {
        inFlight.add(request.id(), result);
        if (closed) {
            result.cancel(true); // closed while this call was being started
        }
        return result;
    }

    @Override
    public CompletableFuture<JsonRpcResponse> handle(JsonRpcMessage message, MessageSink callStream) {
        // Every request answered is timed, from here to its answer, when the gateway records metrics.
        ServerOperationMeters operations = engine.operations();
        return operations != null && message instanceof JsonRpcRequest request
                ? operations.timed(this, request, () -> handled(message, callStream)) : handled(message, callStream);
    }

    private CompletableFuture<JsonRpcResponse> handled(JsonRpcMessage message, MessageSink callStream) {
        touch();
        if (closed) {
            return CompletableFuture.completedFuture(message instanceof JsonRpcRequest request
                    ? JsonRpcResponse.failure(request.id(), ErrorCodes.INVALID_REQUEST,
                            "The session has ended; start a new one with initialize")
                    : null);
        }
        switch (message) {
            case JsonRpcRequest request -> {
                if (calls != null && !calls.tryAcquire()) {
                    return CompletableFuture.completedFuture(tooManyCalls(request));
                }
                return answer(request, callStream == null ? MessageSink.NONE : callStream);
            }
            case JsonRpcNotification notification -> {
                if (!placed(notification) && shared()) {
                    engine.shared().forward("client", id(), notification); // the call may run on another gateway
                }
            }
            case JsonRpcResponse response -> {
                if (!placed(response) && shared()) {
                    engine.shared().forward("client", id(), response); // another gateway may have asked
                }
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Takes a client's answer or cancellation that reached another gateway: acted on if it is for a question this
     * gateway asked or a call it runs, else ignored (never passed on again).
     */
    void placeForwarded(JsonRpcMessage message) {
        if (!closed && (message instanceof JsonRpcResponse || message instanceof JsonRpcNotification)) {
            placed(message);
        }
    }

    /** Acts on a client's answer or notification; returns false for one meant for a question or call not held here. */
    private boolean placed(JsonRpcMessage message) {
        if (message instanceof JsonRpcResponse response) {
            boolean answered = questions.answer(response);
            if (!answered) {
                log.debug("Client session {} answered {}, which this gateway did not ask", id(), response.id());
            }
            return answered;
        }
        JsonRpcNotification notification = (JsonRpcNotification) message;
        if ("notifications/cancelled".equals(notification.method())) {
            JsonNode requestId = notification.params() == null ? null : notification.params().get("requestId");
            RequestId target = requestId == null ? null : requestId.isIntegralNumber()
                    ? RequestId.of(requestId.asLong()) : requestId.isTextual() ? RequestId.of(requestId.asText()) : null;
            CompletableFuture<?> call = target == null ? null : inFlight.get(target);
            if (call == null) {
                return false;
            }
            call.cancel(true);
        } else if (!"notifications/initialized".equals(notification.method())) {
            log.debug("Client session {} sent {}; ignored", id(), notification.method());
        }
        return true;
    }

    private JsonRpcResponse tooManyCalls(JsonRpcRequest request) {
        String message = "This session has " + calls.max() + " requests in flight, its limit (maxCallsPerSession); "
                + "'" + request.method() + "' was not carried out: send it again once others have finished";
        engine.rejections().record("maxCallsPerSession", message);
        return JsonRpcResponse.failure(request.id(), ErrorCodes.OVERLOADED, message);
    }

    /**
     * Answers a request that holds a place among a legacy session's calls in flight, and gives the place back before
     * the caller sees the response (so its next request finds it free): in the stage that makes the response, not in
     * one more after it.
     */
    private CompletableFuture<JsonRpcResponse> answer(JsonRpcRequest request, MessageSink callStream) {
        CompletableFuture<JsonNode> result;
        boolean modern;
        AtomicReference<String> sentTo = new AtomicReference<>();
        try {
            ObjectNode declared = RequestMeta.modernCapabilities(request, stateless);
            modern = declared != null;
            if (modern) {
                clientCapabilities = declared;
            }
            String owner = modern && engine.shared().enabled()
                    ? InputRequiredBridge.servedElsewhere(request.params(), engine.shared().gatewayTag()) : null;
            if (owner != null) {
                return tracked(request, engine.remoteRetries().forward(owner, this, request))
                        .whenComplete((done, error) -> release());
            }
            // Lenient like common servers: once initialize was answered, requests are served even if the
            // client never sends notifications/initialized.
            if (protocolVersion == null && !modern && !NEEDS_NO_INITIALIZE.contains(request.method())) {
                throw new JsonRpcException(ErrorCodes.INVALID_REQUEST, "The session is not initialized: send"
                        + " 'initialize' (and 'notifications/initialized') before '" + request.method() + "'");
            }
            JsonNode params = request.params() == null ? Json.object() : request.params();
            result = dispatch(new Incoming(this, request, params, callStream, modern, sentTo));
        } catch (JsonRpcException e) {
            release();
            return CompletableFuture.completedFuture(JsonRpcResponse.failure(request.id(), e.toError()));
        } catch (RuntimeException e) {
            release();
            return CompletableFuture.completedFuture(JsonRpcResponse.failure(request.id(),
                    ClientErrors.forClient(e, () -> null, request.method(), id()).toError()));
        }
        boolean stamp = modern;
        return result.handle((value, error) -> {
            try {
                return response(request, stamp, sentTo, value, error);
            } finally {
                release();
            }
        });
    }

    /** The response to a request whose handling ended with {@code value} or {@code error}. */
    private JsonRpcResponse response(JsonRpcRequest request, boolean stamp, AtomicReference<String> sentTo,
                                     JsonNode value, Throwable error) {
        if (error == null) {
            JsonNode body = value == null ? Json.object() : value;
            return JsonRpcResponse.success(request.id(), stamp ? ModernResults.stamped(engine, view, request.method(),
                    body) : body);
        }
        Throwable cause = unwrap(error);
        if (cause instanceof CancellationException) {
            return JsonRpcResponse.failure(request.id(), ErrorCodes.INTERNAL_ERROR, "The request was cancelled");
        }
        JsonRpcException rpc = ClientErrors.forClient(cause,
                () -> ClientErrors.pluginOf(engine.gateway(), sentTo.get(), request), request.method(), id());
        if (stamp) {
            try {
                JsonNode interim = LegacyErrors.asResult(rpc, clientCapabilities);
                return interim != null ? JsonRpcResponse.success(request.id(),
                        ModernResults.stamped(engine, view, request.method(), interim))
                        : JsonRpcResponse.failure(request.id(), LegacyErrors.renumbered(rpc).toError());
            } catch (JsonRpcException missingCapability) {
                return JsonRpcResponse.failure(request.id(), missingCapability.toError());
            }
        }
        return JsonRpcResponse.failure(request.id(), rpc.toError());
    }

    /** Gives back a request's place among the session's calls in flight; a stateless session counts none. */
    private void release() {
        if (calls != null) {
            calls.release();
        }
    }

    private CompletableFuture<JsonNode> dispatch(Incoming in) {
        String method = in.method();
        if ((stateless || in.modern()) && LEGACY_ONLY.contains(method)) {
            throw new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + method
                    + " does not exist in " + ProtocolVersions.MODERN, in.id());
        }
        return switch (method) {
            case "initialize" -> done(initialize(in));
            case "ping" -> done(Json.object());
            case "server/discover" -> done(engine.discover());
            case "tools/list" -> done(engine.toolList(in.params(), view));
            case "tools/call" -> engine.toolCalls().call(in);
            case "resources/list", "resources/templates/list", "prompts/list" -> done(engine.catalogList(method,
                    in.params(), view));
            case "resources/read" -> engine.catalogRequests().read(in);
            case "resources/subscribe" -> engine.catalogRequests().subscribe(in, true);
            case "resources/unsubscribe" -> engine.catalogRequests().subscribe(in, false);
            case "prompts/get" -> engine.catalogRequests().getPrompt(in);
            case "completion/complete" -> engine.catalogRequests().complete(in);
            case "logging/setLevel" -> done(setLevel(in));
            case "subscriptions/listen" -> listen(in);
            default -> throw new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + method, in.id());
        };
    }

    /**
     * Opens the session. Initialize is a session's first request and only once: a second one is refused and leaves
     * the session as it was, since re-negotiating under the same id would change the version and capabilities that
     * calls already in flight and the client's other streams rely on. Synchronized so two racing ones cannot both win.
     */
    private synchronized JsonNode initialize(Incoming in) {
        if (protocolVersion != null) {
            throw new JsonRpcException(ErrorCodes.INVALID_REQUEST, "This session is already initialized (protocol "
                    + "version " + protocolVersion + "); initialize comes once, as a session's first request. To "
                    + "start over, open a new session: over HTTP send initialize without Mcp-Session-Id (and DELETE "
                    + "this one), over stdio start a new gateway process", in.id());
        }
        JsonNode params = in.params();
        String requested = params.path("protocolVersion").asText("");
        clientCapabilities = params.get("capabilities") instanceof ObjectNode caps ? caps : Json.object();
        protocolVersion = ProtocolVersions.LEGACY.contains(requested) ? requested : ProtocolVersions.LATEST_LEGACY;
        if (shared()) {
            engine.shared().save(record(), false); // before the client has the id, so any gateway knows it next
        }
        return engine.initializeResult(protocolVersion);
    }

    private JsonNode setLevel(Incoming in) {
        String level = in.params().path("level").asText("");
        if (!RequestMeta.isLevel(level)) {
            throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "logging/setLevel needs a 'level' of debug, info,"
                    + " notice, warning, error, critical, alert or emergency, not '" + level + "'", in.id());
        }
        logLevel = level;
        if (shared()) {
            engine.shared().save(record(), true);
        }
        return Json.object();
    }

    private CompletableFuture<JsonNode> listen(Incoming in) {
        if (!in.modern() && !stateless) {
            throw new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND, "subscriptions/listen is a " + ProtocolVersions.MODERN
                    + " method; this session speaks " + protocolVersion + " (use the GET stream)", in.id());
        }
        return tracked(in.request(), engine.listChanges().listen(in));
    }

    private static CompletableFuture<JsonNode> done(JsonNode result) {
        return CompletableFuture.completedFuture(result);
    }
}
