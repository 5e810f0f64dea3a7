package dev.mcpgateway.internal.upstream;

import static dev.mcpgateway.internal.Futures.unwrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.internal.logging.RateLimitedLog;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcError;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.Implementation;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.mcp.ServerCapabilities;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.MessageChannel;
import dev.mcpgateway.transport.NotSentException;
import dev.mcpgateway.transport.SessionExpiredException;
import dev.mcpgateway.transport.UndeliveredException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MCP client session with a plugin over a {@link MessageChannel}: the gateway's own id space, many calls in
 * flight, a timeout per call that cancels upstream, progress routed to its call, server-to-client requests
 * handed to the gateway, and the handshake of either era (a {@code server/discover} probe, falling back to
 * {@code initialize}). A session lives as long as its channel; {@link SupervisedConnection} replaces it.
 */
public final class ClientSession implements OwnedParamsConnection, MessageChannel.Receiver {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    /** A listen request is answered only when its stream ends; it outlives any ordinary call timeout. */
    private static final Duration LISTEN_LIFETIME = Duration.ofDays(365);

    private final MessageChannel channel;
    private final String plugin;
    private final ConnectionContext context;
    /**
     * The client info every stateless-era request carries in its {@code _meta}: one tree for all of them, like the
     * capabilities beside it, since a tree per request was a small object, its members and texts, every call.
     */
    private final ObjectNode clientInfo;
    private final UpstreamParams upstreamParams;
    private final Consumer<ChannelException> onBroken;
    // What the plugin can make the gateway log at will, each kind bounded on its own (see RateLimitedLog).
    private final RateLimitedLog invalidLines;
    private final RateLimitedLog unexpectedAnswers;
    private final RateLimitedLog pluginLogs;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, PendingCall> pending = new ConcurrentHashMap<>();
    /** A 2026-07-28 server's resource subscriptions: one listen stream per URI, open while subscribed. */
    private final ConcurrentHashMap<String, CompletableFuture<JsonNode>> resourceListens = new ConcurrentHashMap<>();
    private final Object reinitLock = new Object();
    private CompletableFuture<Void> reinitializing;
    private volatile String protocolVersion;
    private volatile ServerCapabilities capabilities = ServerCapabilities.NONE;
    private volatile Implementation serverInfo = new Implementation("unknown", "unknown", null);
    private volatile String instructions;
    private volatile boolean open = true;
    /** Set once the handshake succeeded: only an established session reports breaking (else the opener does). */
    private volatile boolean established;
    private volatile String closedBecause;

    private ClientSession(MessageChannel channel, String plugin, ConnectionContext context,
                          Consumer<ChannelException> onBroken) {
        this.channel = channel;
        this.plugin = plugin;
        this.context = context;
        this.clientInfo = context.options().clientInfo().toJson();
        this.upstreamParams = new UpstreamParams(context.options().clientCapabilities(), clientInfo);
        this.onBroken = onBroken;
        this.invalidLines = RateLimitedLog.warnings(log, plugin);
        this.unexpectedAnswers = RateLimitedLog.warnings(log, plugin);
        this.pluginLogs = RateLimitedLog.output(log, plugin);
    }

    /**
     * Starts the channel and completes the handshake.
     *
     * @param plugin   how errors and logs name the plugin, e.g. {@code plugin 'files' (files-1)}
     * @param onBroken told once if the channel ends by itself (not through {@link #close()}) after the handshake;
     *                 a channel that ends during the handshake fails the returned future instead
     */
    public static CompletableFuture<ClientSession> open(MessageChannel channel, String plugin, ConnectionContext context,
                                                        Consumer<ChannelException> onBroken) {
        ClientSession session = new ClientSession(channel, plugin, context, onBroken);
        try {
            channel.start(session);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return session.handshake().handle((ok, error) -> {
            if (error != null) {
                session.close();
                throw error instanceof CompletionException ce ? ce : new CompletionException(error);
            }
            session.established = true;
            if (!session.open) {
                // The channel ended between the handshake's answer and now: report it like any later break.
                throw new CompletionException(new ChannelException(session.closedBecause));
            }
            return session;
        });
    }

    private CompletableFuture<Void> handshake() {
        Duration timeout = context.options().handshakeTimeout();
        if (!context.options().probeModern()) {
            return initialize(timeout);
        }
        // A legacy server answers the probe with an error (or not at all); only then is initialize sent.
        JsonNode probe = upstreamParams.of(null, 0, false, true, false); // only the stateless era's _meta
        return call("server/discover", probe, CallOptions.timeout(timeout.dividedBy(3)), false).handle((result, error) -> {
            if (error == null) {
                adoptModern(result);
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = unwrap(error);
            if (cause instanceof JsonRpcException rpc && rpc.code() == ErrorCodes.UNSUPPORTED_PROTOCOL_VERSION) {
                throw new CompletionException(new ChannelException(plugin + " speaks a stateless MCP version the gateway"
                        + " does not (" + rpc.getMessage() + "); the gateway speaks " + ProtocolVersions.MODERN
                        + " and " + ProtocolVersions.LEGACY));
            }
            if (cause instanceof JsonRpcException rpc && (rpc.code() == ErrorCodes.HEADER_MISMATCH
                    || rpc.code() == ErrorCodes.MISSING_CLIENT_CAPABILITY)) {
                // Only a 2026-07-28 server answers so: falling back to initialize would only fail less clearly.
                throw new CompletionException(new ChannelException(plugin + " speaks " + ProtocolVersions.MODERN
                        + " but refused the gateway's server/discover: " + rpc.getMessage()
                        + (rpc.data() == null ? "" : " " + rpc.data())));
            }
            if (!open) {
                throw new CompletionException(cause);
            }
            log.debug("{} did not take the 2026-07-28 probe ({}); initializing as a legacy server", plugin,
                    cause.getMessage());
            return initialize(timeout);
        }).thenCompose(next -> next);
    }

    private void adoptModern(JsonNode result) {
        JsonNode supported = result.path("supportedVersions");
        boolean speaksModern = false;
        for (JsonNode version : supported) {
            speaksModern |= ProtocolVersions.MODERN.equals(version.asText());
        }
        if (!speaksModern) {
            throw new CompletionException(new ChannelException(plugin + " answered server/discover but supports "
                    + supported + ", not " + ProtocolVersions.MODERN));
        }
        protocolVersion = ProtocolVersions.MODERN;
        capabilities = ServerCapabilities.fromJson(result.get("capabilities"));
        serverInfo = Implementation.fromJson(result.path("_meta").get(ProtocolVersions.META_SERVER_INFO));
        instructions = result.path("instructions").textValue();
        channel.protocolVersionNegotiated(protocolVersion);
        log.info("{} connected: {} {}, MCP {} (stateless)", plugin, serverInfo.name(), serverInfo.version(),
                protocolVersion);
        listenForListChanges();
    }

    /**
     * A stateless-era server announces list changes only on a {@code subscriptions/listen} stream: opened for the
     * lists the server says can change, kept for the life of the session (its notifications take the normal path).
     */
    private void listenForListChanges() {
        ObjectNode wanted = Json.object().put("toolsListChanged", capabilities.toolsListChanged())
                .put("resourcesListChanged", capabilities.resourcesListChanged())
                .put("promptsListChanged", capabilities.promptsListChanged());
        if (!capabilities.toolsListChanged() && !capabilities.resourcesListChanged() && !capabilities.promptsListChanged()) {
            return;
        }
        ObjectNode params = Json.object();
        params.set("notifications", wanted);
        call("subscriptions/listen", params, CallOptions.timeout(LISTEN_LIFETIME), false).whenComplete((result, error) -> {
            if (error != null && open) {
                log.debug("{}: its listen stream ended: {}", plugin, unwrap(error).getMessage());
            }
        });
    }

    private CompletableFuture<Void> initialize(Duration timeout) {
        ObjectNode params = Json.object();
        params.put("protocolVersion", ProtocolVersions.LATEST_LEGACY);
        params.set("capabilities", context.options().clientCapabilities());
        params.set("clientInfo", clientInfo);
        return call("initialize", params, CallOptions.timeout(timeout), false).thenAccept(result -> {
            String version = result.path("protocolVersion").asText("");
            if (!ProtocolVersions.LEGACY.contains(version)) {
                throw new ChannelException(plugin + " answered initialize with protocol version '" + version
                        + "', which the gateway does not speak; it speaks " + ProtocolVersions.LEGACY);
            }
            protocolVersion = version;
            capabilities = ServerCapabilities.fromJson(result.get("capabilities"));
            serverInfo = Implementation.fromJson(result.get("serverInfo"));
            instructions = result.path("instructions").textValue();
            channel.protocolVersionNegotiated(version);
            notify("notifications/initialized", null);
            log.info("{} connected: {} {}, MCP {}", plugin, serverInfo.name(), serverInfo.version(), version);
        });
    }

    @Override
    public CompletableFuture<JsonNode> request(String method, JsonNode params, CallOptions options) {
        return request(method, params, options, false);
    }

    @Override
    public CompletableFuture<JsonNode> requestOwned(String method, ObjectNode params, CallOptions options) {
        return request(method, params, options, true);
    }

    /**
     * A 2026-07-28 server that refuses a call's mirrored headers (-32020) did not run it: its tool's schema changed
     * since the gateway listed it (say, a new {@code x-mcp-header}). As the spec asks of clients, such a call's tools
     * are listed again (the transport learns the new annotations from that listing) and it is sent once more
     * ({@link #answer}); the gateway re-lists the plugin for its catalog too.
     */
    private CompletableFuture<JsonNode> request(String method, JsonNode params, CallOptions options, boolean owned) {
        if (!open) {
            return CompletableFuture.failedFuture(new NotSentException(plugin + " is unavailable: " + closedBecause,
                    null));
        }
        boolean modern = ProtocolVersions.isModern(protocolVersion);
        if (modern && ("resources/subscribe".equals(method) || "resources/unsubscribe".equals(method))) {
            return subscribeModern("resources/subscribe".equals(method), params);
        }
        return call(method, params, options, true, owned, modern && "tools/call".equals(method));
    }

    /**
     * 2026-07-28 removed {@code resources/subscribe}: the gateway asks such a server for a resource's updates with a
     * {@code subscriptions/listen} stream of that URI, kept open until unsubscribed (closing it is the cancellation).
     * Its updates arrive as notifications like a legacy server's, so callers see one way to subscribe.
     */
    private CompletableFuture<JsonNode> subscribeModern(boolean subscribe, JsonNode params) {
        String uri = params == null ? null : params.path("uri").textValue();
        if (uri == null) {
            return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.INVALID_PARAMS,
                    "resources/subscribe needs a string 'uri'"));
        }
        if (!capabilities.resourcesSubscribe()) {
            return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND, plugin
                    + " does not offer resource subscriptions"));
        }
        if (subscribe) {
            resourceListens.computeIfAbsent(uri, key -> {
                ObjectNode wanted = Json.object();
                wanted.putObject("notifications").putArray("resourceSubscriptions").add(key);
                CompletableFuture<JsonNode> listen = call("subscriptions/listen", wanted, CallOptions.timeout(LISTEN_LIFETIME), false);
                listen.whenComplete((result, error) -> resourceListens.remove(key, listen));
                return listen;
            });
        } else {
            CompletableFuture<JsonNode> listen = resourceListens.remove(uri);
            if (listen != null) {
                listen.cancel(false);
            }
        }
        return CompletableFuture.completedFuture(Json.object());
    }

    private CompletableFuture<JsonNode> call(String method, JsonNode params, CallOptions options, boolean mayReinitialize) {
        return call(method, params, options, mayReinitialize, false, false);
    }

    /**
     * Sends a request and awaits its answer.
     *
     * @param mayReinitialize whether a server that lost the session gets a new one and the request again
     * @param owned           whether the params were built for this request alone ({@link UpstreamParams})
     * @param relists         whether a refusal of its mirrored headers re-lists the tools and sends it again
     */
    private CompletableFuture<JsonNode> call(String method, JsonNode params, CallOptions options,
                                             boolean mayReinitialize, boolean owned, boolean relists) {
        long id = ids.incrementAndGet();
        boolean modern = ProtocolVersions.isModern(protocolVersion);
        PendingCall call = new PendingCall(this, id, method, params, options, mayReinitialize, owned && modern,
                relists);
        pending.put(id, call);
        Duration timeout = options.timeout();
        call.timer = context.scheduler().schedule(() -> timedOut(id, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
        call.result.whenComplete(call);
        JsonNode sent = upstreamParams.of(params, id, options.progress() != null, modern, owned && modern);
        call.sending = channel.send(new JsonRpcRequest(RequestId.of(id), method, sent), options.onBehalfOf());
        call.sending.whenComplete((ignored, error) -> sent(call, error));
        return call.result;
    }

    private void sent(PendingCall call, Throwable error) {
        if (error == null) {
            if (!open && pending.remove(call.id, call)) {
                // The channel ended while this was being written; end() left it to us.
                call.result.completeExceptionally(unavailable());
            }
            return;
        }
        if (!pending.remove(call.id, call)) {
            return;
        }
        Throwable cause = unwrap(error);
        if (cause instanceof SessionExpiredException && call.mayReinitialize && open) {
            // 404 for the session: the request was not processed, so it may go again once.
            sendAgain(call, reinitialize(), false, call.relists);
        } else if (cause instanceof UndeliveredException) {
            call.result.completeExceptionally(new NotSentException(
                    "Could not send '" + call.method + "' to " + plugin + ": " + cause.getMessage(), cause));
        } else {
            call.result.completeExceptionally(new JsonRpcException(ErrorCodes.UPSTREAM_UNAVAILABLE, "Sending '"
                    + call.method + "' to " + plugin + " failed: " + cause.getMessage(), null, null, cause));
        }
    }

    /**
     * Sends a call again, as a new request, once {@code ready} completes; the new request's outcome settles the call's
     * result, and a caller cancelling the call cancels it. A caller that gave up meanwhile is not sent for again.
     */
    private void sendAgain(PendingCall call, CompletableFuture<?> ready, boolean mayReinitialize, boolean relists) {
        ready.whenComplete((ignored, error) -> {
            if (error != null || call.result.isDone()) {
                settle(call.result, null, error);
                return;
            }
            if (call.owned && !ProtocolVersions.isModern(protocolVersion)) {
                UpstreamParams.withoutEra(call.params); // a new session found the server speaking a legacy version
            }
            CompletableFuture<JsonNode> again = call(call.method, call.params, call.options, mayReinitialize,
                    call.owned, relists);
            call.retry = again;
            again.whenComplete((value, retryError) -> settle(call.result, value, retryError));
            if (call.result.isCancelled()) {
                again.cancel(false); // cancelled between the check above and the retry being set
            }
        });
    }

    /**
     * A server that no longer knows the session (an HTTP server restarted on the same address, and so lost it) gets a
     * new one on the same channel. The gateway hears of it like of any new session: what it concluded about the old
     * one (an ejection for the calls that failed while the server was down, say) says nothing of this one, and the
     * restarted server may offer other tools, so they are listed again.
     */
    private CompletableFuture<Void> reinitialize() {
        synchronized (reinitLock) {
            if (reinitializing == null || reinitializing.isDone()) {
                log.info("{} dropped the session; initializing a new one", plugin);
                reinitializing = initialize(context.options().handshakeTimeout()).thenRun(() -> {
                    if (open) {
                        context.listener().onConnected();
                    }
                });
            }
            return reinitializing;
        }
    }

    private void timedOut(long id, Duration timeout) {
        PendingCall call = pending.remove(id);
        if (call == null) {
            return;
        }
        if (!"initialize".equals(call.method)) { // the one request a client must never cancel
            cancelUpstream(id, "timed out after " + timeout);
        }
        call.result.completeExceptionally(new JsonRpcException(ErrorCodes.UPSTREAM_TIMEOUT, plugin + " did not answer '"
                + call.method + "' within " + timeout + "; the request was cancelled upstream"));
    }

    /** A caller cancelled the call: a request still awaiting its answer is cancelled upstream. */
    void cancelled(PendingCall call) {
        if (pending.remove(call.id) != null) {
            cancelUpstream(call.id, "cancelled by the caller");
        }
    }

    private void cancelUpstream(long id, String reason) {
        ObjectNode params = Json.object().put("requestId", id).put("reason", reason);
        notify("notifications/cancelled", params);
    }

    @Override
    public void notify(String method, JsonNode params) {
        if (open) {
            channel.send(new JsonRpcNotification(method, params)).exceptionally(error -> {
                log.debug("{}: could not send {}: {}", plugin, method, unwrap(error).getMessage());
                return null;
            });
        }
    }

    @Override
    public void onMessage(JsonRpcMessage message) {
        switch (message) {
            case JsonRpcResponse response -> answer(response);
            case JsonRpcNotification notification -> notification(notification);
            case JsonRpcRequest request -> serverRequest(request);
        }
    }

    private void answer(JsonRpcResponse response) {
        PendingCall call = response.id() instanceof RequestId.Number n ? pending.remove(n.value()) : null;
        if (call == null) {
            if (response.id() instanceof RequestId.Number n && n.value() > 0 && n.value() <= ids.get()) {
                // Sent, then timed out or cancelled: MCP lets an answer cross the cancellation, so it is no fault.
                log.debug("{} answered request id {} after it was given up (timeout or cancellation); ignored",
                        plugin, response.id());
            } else {
                unexpectedAnswers.log("{} answered request id {}, which the gateway never sent; ignored", plugin,
                        response.id());
            }
            return;
        }
        if (response.isError()) {
            JsonRpcError error = response.error();
            if (error.code() == ErrorCodes.HEADER_MISMATCH && call.relists && open) {
                log.info("{} refused a call's mirrored headers ({}); listing its tools again and retrying once",
                        plugin, error.message());
                call.timer.cancel(false);
                // The gateway's own catalog is stale too: re-listed like after the server's own list_changed.
                context.listener().onNotification(new JsonRpcNotification("notifications/tools/list_changed", null));
                sendAgain(call, Discovery.tools(this, plugin, call.options.timeout()), true, false);
                return;
            }
            call.result.completeExceptionally(new JsonRpcException(error.code(), error.message(), null, error.data(), null));
        } else {
            call.result.complete(response.result());
        }
    }

    private void notification(JsonRpcNotification notification) {
        if ("notifications/progress".equals(notification.method())) {
            JsonNode token = notification.params() == null ? null : notification.params().get("progressToken");
            PendingCall call = token != null && token.canConvertToLong() ? pending.get(token.asLong()) : null;
            if (call != null && call.options.progress() != null) {
                call.options.progress().accept(notification.params());
            }
            return;
        }
        if ("notifications/message".equals(notification.method())) {
            pluginLogs.log("{} logged: {}", plugin, notification.params());
        }
        context.listener().onNotification(notification);
    }

    private void serverRequest(JsonRpcRequest request) {
        if ("ping".equals(request.method())) {
            channel.send(JsonRpcResponse.success(request.id(), Json.object()));
            return;
        }
        CompletableFuture<JsonNode> answer;
        try {
            answer = context.listener().onRequest(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((result, error) -> {
            JsonRpcResponse response;
            if (error == null) {
                response = JsonRpcResponse.success(request.id(), result == null ? Json.object() : result);
            } else {
                Throwable cause = unwrap(error);
                response = cause instanceof JsonRpcException rpc
                        ? JsonRpcResponse.failure(request.id(), rpc.toError())
                        : JsonRpcResponse.failure(request.id(), ErrorCodes.INTERNAL_ERROR, "The gateway could not answer '"
                                + request.method() + "': " + cause.getMessage());
            }
            if (open) {
                channel.send(response);
            }
        });
    }

    @Override
    public void onInvalid(String reason) {
        invalidLines.log("{}: {}", plugin, reason);
    }

    @Override
    public void onClosed(ChannelException cause) {
        // The channel delivers nothing after this: say what was held back while it is still about this session.
        invalidLines.flush();
        unexpectedAnswers.flush();
        pluginLogs.flush();
        boolean byItself = open && cause != null && established;
        end(cause == null ? "the connection was closed" : cause.getMessage());
        if (byItself && onBroken != null) {
            onBroken.accept(cause);
        }
    }

    /**
     * Fails the calls that were handed to the channel: the plugin may have run them. Calls still being sent (or
     * whose send failed) are settled by their send callback, which knows whether they left: those the channel
     * reports undelivered fail with {@link NotSentException}, so the gateway may safely send them elsewhere.
     */
    private void end(String why) {
        closedBecause = why;
        open = false;
        for (var entry : pending.entrySet()) {
            PendingCall call = entry.getValue();
            CompletableFuture<Void> sending = call.sending;
            if (sending != null && sending.isDone() && !sending.isCompletedExceptionally()
                    && pending.remove(entry.getKey(), call)) {
                call.result.completeExceptionally(unavailable());
            }
        }
    }

    private JsonRpcException unavailable() {
        return new JsonRpcException(ErrorCodes.UPSTREAM_UNAVAILABLE, plugin + " is unavailable: " + closedBecause);
    }

    @Override
    public String protocolVersion() {
        return protocolVersion;
    }

    @Override
    public ServerCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public Implementation serverInfo() {
        return serverInfo;
    }

    /** The server's instructions for the model, or null. */
    public String instructions() {
        return instructions;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Ends the session: calls in flight fail with {@code UPSTREAM_UNAVAILABLE}; the channel is closed. */
    @Override
    public void close() {
        if (open) {
            end("the gateway closed the connection");
        }
        channel.close();
    }

    /** Calls currently waiting for an answer; for tests and dashboards. */
    public int pendingCalls() {
        return pending.size();
    }

    private static void settle(CompletableFuture<JsonNode> target, JsonNode value, Throwable error) {
        if (error != null) {
            target.completeExceptionally(unwrap(error));
        } else {
            target.complete(value);
        }
    }
}
