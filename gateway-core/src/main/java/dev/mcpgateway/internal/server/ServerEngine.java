package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.server.MessageSink;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.server.ServerSession;
import dev.mcpgateway.server.SessionStore;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.PluginListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol engine behind {@code McpServer}: answers each client method in either era, aggregates what
 * every routable plugin offers, routes calls through the gateway, maps progress and cancellation per client,
 * tells clients when lists change (gathered over a short debounce, never lost), and relays what plugins send
 * their clients (log messages, resource updates, sampling/elicitation/roots requests).
 */
public final class ServerEngine implements AutoCloseable, GatewayListener, PluginListener {
    private static final Logger log = LoggerFactory.getLogger(ServerEngine.class);
    private static final Set<String> NEEDS_NO_INITIALIZE = Set.of("initialize", "ping", "server/discover");
    /** Methods the stateless era removed. */
    private static final Set<String> LEGACY_ONLY = Set.of("initialize", "ping", "logging/setLevel",
            "resources/subscribe", "resources/unsubscribe");
    private static final java.time.Duration PIN_LIFETIME = java.time.Duration.ofMinutes(10);

    /** The {@code _meta} key tagging everything sent on a {@code subscriptions/listen} stream. */
    private static final String META_SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    /**
     * A stateless-era client's {@code subscriptions/listen} stream: which notifications it asked for and where
     * they go. Its request stays open until the client cancels it or the server closes.
     */
    private record Listen(JsonNode subscriptionId, MessageSink stream, boolean tools, boolean resources, boolean prompts,
                          Set<String> resourceUris, CompletableFuture<JsonNode> open) {
        boolean wants(String method) {
            return switch (method) {
                case "notifications/tools/list_changed" -> tools;
                case "notifications/resources/list_changed" -> resources;
                case "notifications/prompts/list_changed" -> prompts;
                default -> false;
            };
        }

        void send(String method, JsonNode params) {
            ObjectNode tagged = params instanceof ObjectNode object ? object.deepCopy() : Json.object();
            ObjectNode meta = tagged.get("_meta") instanceof ObjectNode existing ? existing : tagged.putObject("_meta");
            meta.set(META_SUBSCRIPTION_ID, subscriptionId);
            stream.send(new JsonRpcNotification(method, tagged));
        }
    }

    /** Who made a call: the client session and the stream of that call, where a plugin's requests go first. */
    private record Caller(Session session, MessageSink stream) {
    }

    /** The instance a multi-round-trip call is pinned to, until when. */
    private record Pin(String instanceId, long expiresAtNanos) {
    }

    private final McpGateway gateway;
    private final ServerOptions options;
    private final SessionStore store;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("mcp-gateway-server").daemon(true).factory());
    private final AtomicLong serverRequestIds = new AtomicLong();
    private final AtomicBoolean notifyScheduled = new AtomicBoolean();
    private volatile Catalog catalog = Catalog.EMPTY;
    /**
     * Which instance asked for input in a multi-round-trip call, by the {@code requestState} it returned: the
     * retry must reach the same instance. Kept for {@link #PIN_LIFETIME}.
     */
    private final Map<String, Pin> pins = new ConcurrentHashMap<>();
    private final Set<Listen> listens = ConcurrentHashMap.newKeySet();
    /** What clients were last told about, to notify only on real changes. */
    private volatile List<Object> lastTools = List.of();
    private volatile List<ObjectNode> lastResources = List.of();
    private volatile List<ObjectNode> lastPrompts = List.of();

    public ServerEngine(McpGateway gateway, ServerOptions options, SessionStore store) {
        this.gateway = gateway;
        this.options = options;
        this.store = store;
        RoutingTable table = gateway.routingTable();
        this.lastTools = fingerprint(table.tools());
        Catalog now = catalog(table);
        this.lastResources = now.resources;
        this.lastPrompts = now.prompts;
        gateway.registry().addListener(this);
        gateway.pluginListener(this);
        long sweepMillis = Math.max(1_000, options.sessionIdleTimeout().toMillis() / 4);
        timer.scheduleWithFixedDelay(this::forgetIdleSessions, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    /** An in-memory session store. */
    public static SessionStore inMemoryStore() {
        return new SessionStore() {
            private final Map<String, ServerSession> sessions = new ConcurrentHashMap<>();

            @Override
            public void put(ServerSession session) {
                sessions.put(session.id(), session);
            }

            @Override
            public Optional<ServerSession> get(String id) {
                return Optional.ofNullable(sessions.get(id));
            }

            @Override
            public Optional<ServerSession> remove(String id) {
                return Optional.ofNullable(sessions.remove(id));
            }

            @Override
            public Collection<ServerSession> all() {
                return List.copyOf(sessions.values());
            }
        };
    }

    public ServerOptions options() {
        return options;
    }

    public ServerSession newSession(boolean expiresWhenIdle) {
        Session session = new Session(UUID.randomUUID().toString(), false);
        session.expires = expiresWhenIdle;
        store.put(session);
        return session;
    }

    public Optional<ServerSession> session(String id) {
        Optional<ServerSession> found = store.get(id);
        found.ifPresent(s -> ((Session) s).touch());
        return found;
    }

    public ServerSession statelessSession() {
        return new Session("stateless-" + UUID.randomUUID(), true);
    }

    public boolean endSession(String id) {
        Optional<ServerSession> removed = store.remove(id);
        removed.ifPresent(ServerSession::close);
        return removed.isPresent();
    }

    @Override
    public void close() {
        gateway.registry().removeListener(this);
        timer.shutdownNow();
        for (Listen listen : listens) {
            // A graceful end of a listen stream is its final result, tagged like every message on it.
            ObjectNode result = Json.object().put("resultType", "complete");
            result.putObject("_meta").set(META_SUBSCRIPTION_ID, listen.subscriptionId());
            listen.open().complete(result);
        }
        for (ServerSession session : store.all()) {
            store.remove(session.id());
            session.close();
        }
    }

    private void forgetIdleSessions() {
        long idleNanos = options.sessionIdleTimeout().toNanos();
        long now = System.nanoTime();
        pins.values().removeIf(pin -> now - pin.expiresAtNanos() > 0);
        for (ServerSession session : store.all()) {
            if (((Session) session).expires && now - ((Session) session).lastUsedNanos > idleNanos) {
                log.info("Client session {} was idle for {}; forgetting it", session.id(), options.sessionIdleTimeout());
                endSession(session.id());
            }
        }
    }

    private Catalog catalog(RoutingTable table) {
        Catalog current = catalog;
        if (current.version != table.version()) {
            current = Catalog.of(table, gateway.config().toolNaming());
            catalog = current;
        }
        return current;
    }

    // ---- list changes --------------------------------------------------------------------------------------

    @Override
    public void onEvent(GatewayEvent event) {
        if (event instanceof GatewayEvent.RoutingTableUpdated && notifyScheduled.compareAndSet(false, true)) {
            timer.schedule(this::notifyListChanges, options.listChangedDebounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Compares what clients would see now with what they were last told, and tells every session what changed. */
    private void notifyListChanges() {
        notifyScheduled.set(false);
        RoutingTable table = gateway.routingTable();
        List<Object> tools = fingerprint(table.tools());
        Catalog now = catalog(table);
        List<String> changed = new ArrayList<>(3);
        if (!tools.equals(lastTools)) {
            lastTools = tools;
            changed.add("notifications/tools/list_changed");
        }
        if (!now.resources.equals(lastResources)) {
            lastResources = now.resources;
            changed.add("notifications/resources/list_changed");
        }
        if (!now.prompts.equals(lastPrompts)) {
            lastPrompts = now.prompts;
            changed.add("notifications/prompts/list_changed");
        }
        for (String method : changed) {
            for (ServerSession session : store.all()) {
                ((Session) session).notifyUnsolicited(new JsonRpcNotification(method, null));
            }
            for (Listen listen : listens) {
                if (listen.wants(method)) {
                    listen.send(method, null);
                }
            }
        }
    }

    private static List<Object> fingerprint(List<ExposedTool> tools) {
        List<Object> print = new ArrayList<>(tools.size() * 2);
        for (ExposedTool tool : tools) {
            print.add(tool.exposedName());
            print.add(tool.definition());
        }
        return print;
    }

    // ---- what plugins send ---------------------------------------------------------------------------------

    @Override
    public void onNotification(String instanceId, JsonRpcNotification notification) {
        switch (notification.method()) {
            case "notifications/resources/updated" -> {
                String uri = notification.params() == null ? null : notification.params().path("uri").asText(null);
                for (ServerSession session : store.all()) {
                    if (uri != null && ((Session) session).subscriptions.contains(uri)) {
                        ((Session) session).notifyUnsolicited(notification);
                    }
                }
                for (Listen listen : listens) {
                    if (uri != null && listen.resourceUris().contains(uri)) {
                        listen.send(notification.method(), notification.params());
                    }
                }
            }
            case "notifications/message" -> {
                Caller caller = soleCaller(instanceId);
                if (caller != null && !caller.stream().send(notification)) {
                    caller.session().notifyUnsolicited(notification);
                }
            }
            default -> log.debug("Plugin instance {} sent {}; not relayed", instanceId, notification.method());
        }
    }

    @Override
    public CompletableFuture<JsonNode> onRequest(String instanceId, JsonRpcRequest request) {
        String capability = switch (request.method()) {
            case "sampling/createMessage" -> "sampling";
            case "elicitation/create" -> "elicitation";
            case "roots/list" -> "roots";
            default -> null;
        };
        if (capability == null) {
            return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND,
                    "The gateway does not relay '" + request.method() + "' to its clients"));
        }
        List<Caller> callers = callersOn(instanceId);
        if (callers.isEmpty()) {
            return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND, "No client call is in"
                    + " flight on this plugin instance, so '" + request.method() + "' has nobody to go to"));
        }
        Caller caller = soleCaller(instanceId);
        if (caller == null) {
            // Asking the wrong client would leak one client's question and answer into another's call.
            return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.INTERNAL_ERROR, "Several clients have"
                    + " calls in flight on this plugin instance, so the gateway cannot tell whose call sent '"
                    + request.method() + "'; it is not relayed"));
        }
        if (!caller.session().clientCapabilities.has(capability)) {
            return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND, "The calling client"
                    + " did not declare the '" + capability + "' capability, so '" + request.method()
                    + "' cannot be relayed"));
        }
        return caller.session().askClient(request, caller.stream());
    }

    private List<Caller> callersOn(String instanceId) {
        List<Caller> callers = new ArrayList<>();
        for (Object requester : gateway.requestersOn(instanceId)) {
            if (requester instanceof Caller caller) {
                callers.add(caller);
            }
        }
        return callers;
    }

    /**
     * The oldest call on an instance, if every call in flight there belongs to one client session: a plugin's
     * request or log message cannot name the call it belongs to (over stdio), so only then is its client known.
     */
    private Caller soleCaller(String instanceId) {
        List<Caller> callers = callersOn(instanceId);
        if (callers.isEmpty()) {
            return null;
        }
        Session session = callers.get(0).session();
        for (Caller caller : callers) {
            if (caller.session() != session) {
                return null;
            }
        }
        return callers.get(0);
    }

    // ---- sessions ------------------------------------------------------------------------------------------

    /** One client's session. */
    private final class Session implements ServerSession {
        private final String id;
        private final boolean stateless;
        private final Map<RequestId, CompletableFuture<?>> inFlight = new ConcurrentHashMap<>();
        private final Map<RequestId, CompletableFuture<JsonNode>> askedClient = new ConcurrentHashMap<>();
        private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
        private volatile MessageSink unsolicited = MessageSink.NONE;
        private volatile String protocolVersion;
        private volatile boolean initialized;
        private volatile ObjectNode clientCapabilities = Json.object();
        private volatile long lastUsedNanos = System.nanoTime();
        private volatile boolean expires = true;
        private volatile boolean closed;

        Session(String id, boolean stateless) {
            this.id = id;
            this.stateless = stateless;
            if (stateless) {
                protocolVersion = ProtocolVersions.MODERN;
                initialized = true;
            }
        }

        void touch() {
            lastUsedNanos = System.nanoTime();
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String protocolVersion() {
            return protocolVersion;
        }

        @Override
        public boolean isInitialized() {
            return initialized;
        }

        @Override
        public void attach(MessageSink sink) {
            unsolicited = sink == null ? MessageSink.NONE : sink;
        }

        @Override
        public void close() {
            closed = true;
            for (CompletableFuture<?> call : inFlight.values()) {
                call.cancel(true);
            }
            for (CompletableFuture<JsonNode> asked : askedClient.values()) {
                asked.completeExceptionally(new JsonRpcException(ErrorCodes.UPSTREAM_UNAVAILABLE,
                        "The client session ended before it answered"));
            }
            unsolicited = MessageSink.NONE;
        }

        void notifyUnsolicited(JsonRpcNotification notification) {
            if (protocolVersion != null && !stateless) {
                unsolicited.send(notification);
            }
        }

        /** Relays a plugin's request under an id of the gateway's, down the call's stream or else the session's. */
        CompletableFuture<JsonNode> askClient(JsonRpcRequest request, MessageSink callStream) {
            RequestId id = RequestId.of("gw-" + serverRequestIds.incrementAndGet());
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            askedClient.put(id, answer);
            JsonRpcRequest relayed = request.withId(id);
            if (!callStream.send(relayed) && !unsolicited.send(relayed)) {
                askedClient.remove(id);
                answer.completeExceptionally(new JsonRpcException(ErrorCodes.UPSTREAM_UNAVAILABLE,
                        "The client has no open stream to receive '" + request.method() + "'"));
            }
            return answer;
        }

        @Override
        public CompletableFuture<JsonRpcResponse> handle(JsonRpcMessage message, MessageSink callStream) {
            touch();
            if (closed) {
                return CompletableFuture.completedFuture(message instanceof JsonRpcRequest request
                        ? JsonRpcResponse.failure(request.id(), ErrorCodes.INVALID_REQUEST,
                                "The session has ended; start a new one with initialize")
                        : null);
            }
            switch (message) {
                case JsonRpcRequest request -> {
                    return answer(request, callStream == null ? MessageSink.NONE : callStream);
                }
                case JsonRpcNotification notification -> clientNotification(notification);
                case JsonRpcResponse response -> {
                    CompletableFuture<JsonNode> asked = askedClient.remove(response.id());
                    if (asked == null) {
                        log.debug("Client session {} answered {}, which nobody asked", id, response.id());
                    } else if (response.isError()) {
                        asked.completeExceptionally(new JsonRpcException(response.error().code(),
                                response.error().message(), null, response.error().data(), null));
                    } else {
                        asked.complete(response.result());
                    }
                }
            }
            return CompletableFuture.completedFuture(null);
        }

        private void clientNotification(JsonRpcNotification notification) {
            switch (notification.method()) {
                case "notifications/initialized" -> initialized = true;
                case "notifications/cancelled" -> {
                    JsonNode requestId = notification.params() == null ? null : notification.params().get("requestId");
                    RequestId target = requestId == null ? null : requestId.isIntegralNumber()
                            ? RequestId.of(requestId.asLong()) : requestId.isTextual() ? RequestId.of(requestId.asText()) : null;
                    CompletableFuture<?> call = target == null ? null : inFlight.get(target);
                    if (call != null) {
                        call.cancel(true);
                    }
                }
                default -> log.debug("Client session {} sent {}; ignored", id, notification.method());
            }
        }

        private CompletableFuture<JsonRpcResponse> answer(JsonRpcRequest request, MessageSink callStream) {
            CompletableFuture<JsonNode> result;
            boolean modern;
            try {
                modern = adoptRequestMeta(request);
                // Lenient like common servers: once initialize was answered, requests are served even if the
                // client never sends notifications/initialized.
                if (protocolVersion == null && !modern && !NEEDS_NO_INITIALIZE.contains(request.method())) {
                    throw new JsonRpcException(ErrorCodes.INVALID_REQUEST, "The session is not initialized: send"
                            + " 'initialize' (and 'notifications/initialized') before '" + request.method() + "'");
                }
                result = dispatch(request, callStream);
            } catch (JsonRpcException e) {
                return CompletableFuture.completedFuture(JsonRpcResponse.failure(request.id(), e.toError()));
            } catch (RuntimeException e) {
                log.warn("Answering {} for client session {} failed", request.method(), id, e);
                return CompletableFuture.completedFuture(JsonRpcResponse.failure(request.id(), ErrorCodes.INTERNAL_ERROR,
                        "Internal error: " + e.getMessage()));
            }
            boolean stamp = modern;
            return result.handle((value, error) -> {
                if (error == null) {
                    JsonNode body = value == null ? Json.object() : value;
                    if (stamp && body instanceof ObjectNode object && !object.has("resultType")) {
                        // A shallow copy: the result may be shared (a cached one), and only its top level changes.
                        ObjectNode stamped = Json.object();
                        stamped.setAll(object);
                        body = stamped.put("resultType", "complete");
                    }
                    return JsonRpcResponse.success(request.id(), body);
                }
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof JsonRpcException rpc) {
                    return JsonRpcResponse.failure(request.id(), rpc.toError());
                }
                if (cause instanceof java.util.concurrent.CancellationException) {
                    return JsonRpcResponse.failure(request.id(), ErrorCodes.INTERNAL_ERROR, "The request was cancelled");
                }
                log.warn("Answering {} for client session {} failed", request.method(), id, cause);
                return JsonRpcResponse.failure(request.id(), ErrorCodes.INTERNAL_ERROR, "Internal error: " + cause.getMessage());
            });
        }

        /** Reads a stateless-era request's {@code _meta}; returns whether the request is of that era. */
        private boolean adoptRequestMeta(JsonRpcRequest request) {
            JsonNode meta = request.params() == null ? null : request.params().get("_meta");
            JsonNode version = meta == null ? null : meta.get(ProtocolVersions.META_PROTOCOL_VERSION);
            if (version == null) {
                if (stateless) {
                    throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "A request without a session must carry _meta['"
                            + ProtocolVersions.META_PROTOCOL_VERSION + "'] (2026-07-28), or send 'initialize' first");
                }
                return false;
            }
            if (!ProtocolVersions.MODERN.equals(version.asText())) {
                ObjectNode data = Json.object();
                data.putArray("supported").add(ProtocolVersions.MODERN);
                data.put("requested", version.asText());
                throw new JsonRpcException(ErrorCodes.UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version '"
                        + version.asText() + "'; this server speaks " + ProtocolVersions.MODERN + " (stateless) and "
                        + ProtocolVersions.LEGACY + " (with initialize)", request.id(), data, null);
            }
            JsonNode capabilities = meta.get(ProtocolVersions.META_CLIENT_CAPABILITIES);
            if (capabilities instanceof ObjectNode object) {
                clientCapabilities = object;
            }
            return true;
        }

        private CompletableFuture<JsonNode> dispatch(JsonRpcRequest request, MessageSink callStream) {
            JsonNode params = request.params() == null ? Json.object() : request.params();
            if (stateless && LEGACY_ONLY.contains(request.method())) {
                throw new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + request.method()
                        + " does not exist in " + ProtocolVersions.MODERN, request.id());
            }
            RoutingTable table = gateway.routingTable();
            return switch (request.method()) {
                case "initialize" -> done(initialize(params));
                case "ping" -> done(Json.object());
                case "server/discover" -> done(discover());
                case "tools/list" -> done(page(toolDefinitions(table.tools()), params, "tools"));
                case "tools/call" -> callTool(request, params, callStream);
                case "resources/list" -> done(page(catalog(table).resources, params, "resources"));
                case "resources/templates/list" -> done(page(catalog(table).templates, params, "resourceTemplates"));
                case "resources/read" -> toResourceOwner(request, params);
                case "resources/subscribe" -> subscribe(request, params, true);
                case "resources/unsubscribe" -> subscribe(request, params, false);
                case "prompts/list" -> done(page(catalog(table).prompts, params, "prompts"));
                case "prompts/get" -> getPrompt(request, params, table);
                case "completion/complete" -> complete(request, params, table);
                case "logging/setLevel" -> done(Json.object());
                case "subscriptions/listen" -> listen(request, params, callStream);
                default -> throw new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + request.method());
            };
        }

        private JsonNode initialize(JsonNode params) {
            String requested = params.path("protocolVersion").asText("");
            protocolVersion = ProtocolVersions.LEGACY.contains(requested) ? requested : ProtocolVersions.LATEST_LEGACY;
            clientCapabilities = params.get("capabilities") instanceof ObjectNode caps ? caps : Json.object();
            ObjectNode result = Json.object().put("protocolVersion", protocolVersion);
            result.set("capabilities", serverCapabilities());
            result.set("serverInfo", options.serverInfo().toJson());
            if (options.instructions() != null) {
                result.put("instructions", options.instructions());
            }
            return result;
        }

        private JsonNode discover() {
            ObjectNode result = Json.object();
            result.putArray("supportedVersions").add(ProtocolVersions.MODERN);
            result.set("capabilities", serverCapabilities());
            if (options.instructions() != null) {
                result.put("instructions", options.instructions());
            }
            result.putObject("_meta").set(ProtocolVersions.META_SERVER_INFO, options.serverInfo().toJson());
            return result;
        }

        /** What the gateway can honour: tools, resources (with subscriptions routed to owners), prompts, completion. */
        private ObjectNode serverCapabilities() {
            ObjectNode capabilities = Json.object();
            capabilities.putObject("tools").put("listChanged", true);
            capabilities.putObject("resources").put("listChanged", true).put("subscribe", true);
            capabilities.putObject("prompts").put("listChanged", true);
            capabilities.putObject("completions");
            capabilities.putObject("logging");
            return capabilities;
        }

        private CompletableFuture<JsonNode> callTool(JsonRpcRequest request, JsonNode params, MessageSink callStream) {
            JsonNode name = params.get("name");
            if (name == null || !name.isTextual()) {
                throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "tools/call needs a string 'name' (one of the names"
                        + " tools/list returns)", request.id());
            }
            JsonNode arguments = params.get("arguments");
            if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
                throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "tools/call 'arguments' must be an object",
                        request.id());
            }
            JsonNode token = params.path("_meta").get("progressToken");
            AtomicReference<String> servedBy = new AtomicReference<>();
            ToolCall call = ToolCall.of(name.textValue(), arguments).withRequester(new Caller(this, callStream))
                    .onRouted(servedBy::set);
            // Members beyond these pass on upstream; _meta is per hop: tokens and versions are our own. Copied
            // one by one, not as a whole, so the arguments (the bulk of a call) are not copied on every call.
            ObjectNode extra = null;
            for (Map.Entry<String, JsonNode> member : params.properties()) {
                String key = member.getKey();
                if (!key.equals("name") && !key.equals("arguments") && !key.equals("_meta")) {
                    if (extra == null) {
                        extra = Json.object();
                    }
                    extra.set(key, member.getValue().deepCopy());
                }
            }
            if (extra != null) {
                call = call.withExtra(extra);
            }
            String retriedState = params.path("requestState").textValue();
            Pin pin = retriedState == null ? null : pins.get(retriedState);
            if (pin != null) {
                call = call.onInstance(pin.instanceId());
            }
            if (token != null) {
                call = call.withProgress(progress -> relayProgress(token, progress, callStream));
            }
            // Tracked is the gateway's own future: cancelling it reaches the plugin (a derived one would not).
            CompletableFuture<CallToolResult> outcome = gateway.callTool(call);
            tracked(request, outcome);
            return outcome.thenApply(result -> {
                JsonNode state = result.json().get("requestState");
                if ("input_required".equals(result.json().path("resultType").asText()) && state != null && state.isTextual()) {
                    pins.put(state.textValue(), new Pin(servedBy.get(), System.nanoTime() + PIN_LIFETIME.toNanos()));
                }
                return result.json();
            });
        }

        private void relayProgress(JsonNode token, JsonNode progress, MessageSink callStream) {
            ObjectNode params = Json.object();
            params.set("progressToken", token); // the client's own token, whatever the plugin used
            for (String field : List.of("progress", "total", "message")) {
                if (progress.has(field)) {
                    params.set(field, progress.get(field));
                }
            }
            JsonRpcNotification notification = new JsonRpcNotification("notifications/progress", params);
            if (!callStream.send(notification)) {
                unsolicited.send(notification);
            }
        }

        private <T> CompletableFuture<T> tracked(JsonRpcRequest request, CompletableFuture<T> result) {
            inFlight.put(request.id(), result);
            result.whenComplete((value, error) -> inFlight.remove(request.id(), result));
            if (closed) {
                result.cancel(true); // closed while this call was being started
            }
            return result;
        }

        /** Opens a listen stream: acknowledged at once with what the gateway honours, then fed until it ends. */
        private CompletableFuture<JsonNode> listen(JsonRpcRequest request, JsonNode params, MessageSink callStream) {
            if (!ProtocolVersions.isModern(protocolVersion) && !stateless) {
                throw new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND, "subscriptions/listen is a " + ProtocolVersions.MODERN
                        + " method; this session speaks " + protocolVersion + " (use the GET stream)", request.id());
            }
            JsonNode wanted = params.path("notifications");
            Set<String> uris = ConcurrentHashMap.newKeySet();
            wanted.path("resourceSubscriptions").forEach(uri -> uris.add(uri.asText()));
            JsonNode subscriptionId = request.id() instanceof RequestId.Number n ? Json.nodes().numberNode(n.value())
                    : Json.nodes().textNode(((RequestId.Text) request.id()).value());
            Listen listen = new Listen(subscriptionId, callStream, wanted.path("toolsListChanged").asBoolean(false),
                    wanted.path("resourcesListChanged").asBoolean(false), wanted.path("promptsListChanged").asBoolean(false),
                    uris, new CompletableFuture<>());
            ObjectNode honoured = Json.object().put("toolsListChanged", listen.tools())
                    .put("resourcesListChanged", listen.resources()).put("promptsListChanged", listen.prompts());
            var subscribed = honoured.putArray("resourceSubscriptions");
            uris.forEach(subscribed::add);
            ObjectNode ack = Json.object();
            ack.set("notifications", honoured);
            listens.add(listen);
            listen.open().whenComplete((value, error) -> listens.remove(listen));
            listen.send("notifications/subscriptions/acknowledged", ack);
            return tracked(request, listen.open());
        }

        private CompletableFuture<JsonNode> toResourceOwner(JsonRpcRequest request, JsonNode params) {
            String uri = params.path("uri").asText(null);
            if (uri == null) {
                throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "resources/read needs a string 'uri'", request.id());
            }
            return tracked(request, forward(ownerOf(uri, request), request.method(), params));
        }

        private CompletableFuture<JsonNode> subscribe(JsonRpcRequest request, JsonNode params, boolean on) {
            String uri = params.path("uri").asText(null);
            if (uri == null) {
                throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, request.method() + " needs a string 'uri'",
                        request.id());
            }
            return forward(ownerOf(uri, request), request.method(), params).thenApply(result -> {
                if (on) {
                    subscriptions.add(uri);
                } else {
                    subscriptions.remove(uri);
                }
                return result;
            });
        }

        private String ownerOf(String uri, JsonRpcRequest request) {
            List<String> owners = catalog(gateway.routingTable()).ownersOf(uri);
            if (owners.isEmpty()) {
                boolean modern = ProtocolVersions.isModern(protocolVersion);
                throw new JsonRpcException(modern ? ErrorCodes.INVALID_PARAMS : ErrorCodes.RESOURCE_NOT_FOUND,
                        "Resource not found: " + uri, request.id());
            }
            return any(owners);
        }

        private CompletableFuture<JsonNode> getPrompt(JsonRpcRequest request, JsonNode params, RoutingTable table) {
            String name = params.path("name").asText(null);
            Catalog.Prompt prompt = name == null ? null : catalog(table).prompt(name);
            if (prompt == null) {
                throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "Unknown prompt: " + name, request.id());
            }
            ObjectNode upstream = ((ObjectNode) params).deepCopy().put("name", prompt.originalName());
            return tracked(request, forward(any(prompt.instances()), request.method(), upstream));
        }

        private CompletableFuture<JsonNode> complete(JsonRpcRequest request, JsonNode params, RoutingTable table) {
            JsonNode ref = params.path("ref");
            ObjectNode upstream = ((ObjectNode) params).deepCopy();
            String owner;
            if ("ref/prompt".equals(ref.path("type").asText())) {
                Catalog.Prompt prompt = catalog(table).prompt(ref.path("name").asText(""));
                if (prompt == null) {
                    throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "Unknown prompt: " + ref.path("name").asText(),
                            request.id());
                }
                ((ObjectNode) upstream.get("ref")).put("name", prompt.originalName());
                owner = any(prompt.instances());
            } else if ("ref/resource".equals(ref.path("type").asText())) {
                owner = ownerOf(ref.path("uri").asText(""), request);
            } else {
                throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "completion/complete needs a 'ref' of type "
                        + "'ref/prompt' or 'ref/resource'", request.id());
            }
            return forward(owner, request.method(), upstream);
        }

        private CompletableFuture<JsonNode> forward(String instanceId, String method, JsonNode params) {
            return gateway.forward(instanceId, method, params, CallOptions.timeout(gateway.config().callTimeout()));
        }
    }

    /** One of the instances offering an item, spread over them (they are replicas of one plugin or alternatives). */
    private static String any(List<String> instances) {
        return instances.get(instances.size() == 1 ? 0 : java.util.concurrent.ThreadLocalRandom.current().nextInt(instances.size()));
    }

    private static CompletableFuture<JsonNode> done(JsonNode result) {
        return CompletableFuture.completedFuture(result);
    }

    private static List<ObjectNode> toolDefinitions(List<ExposedTool> tools) {
        List<ObjectNode> definitions = new ArrayList<>(tools.size());
        for (ExposedTool tool : tools) {
            definitions.add(tool.toJson());
        }
        return definitions;
    }

    /** One page of a list; cursors are opaque to clients (an encoded offset) and checked on the way back. */
    private ObjectNode page(List<ObjectNode> items, JsonNode params, String field) {
        int offset = 0;
        JsonNode cursor = params.get("cursor");
        if (cursor != null && !cursor.isNull()) {
            offset = decodeCursor(cursor);
            if (offset > items.size()) {
                throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "Invalid cursor: it points past the end of the "
                        + "list (the list changed); list again from the start");
            }
        }
        int end = Math.min(items.size(), offset + options.pageSize());
        ObjectNode result = Json.object();
        ArrayNode page = result.putArray(field);
        for (int i = offset; i < end; i++) {
            page.add(items.get(i));
        }
        if (end < items.size()) {
            result.put("nextCursor", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("o" + end).getBytes(StandardCharsets.US_ASCII)));
        }
        return result;
    }

    private static int decodeCursor(JsonNode cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.asText()), StandardCharsets.US_ASCII);
            if (text.startsWith("o")) {
                int offset = Integer.parseInt(text.substring(1));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "Invalid cursor '" + cursor.asText()
                + "': pass back a nextCursor exactly as received");
    }
}
