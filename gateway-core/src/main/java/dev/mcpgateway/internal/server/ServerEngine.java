package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.Timers;
import dev.mcpgateway.internal.gateway.GatewayInternals;
import dev.mcpgateway.internal.gateway.PluginListener;
import dev.mcpgateway.internal.metrics.MicrometerGatewayMetrics;
import dev.mcpgateway.internal.metrics.ServerOperationMeters;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.server.Rejections;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.server.ServerSession;
import dev.mcpgateway.server.SessionStore;
import dev.mcpgateway.server.VirtualServer;
import io.micrometer.core.instrument.Meter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol engine behind {@code McpServer}: keeps the client sessions, answers the methods that describe the
 * gateway itself (initialize, discover, the aggregated lists), and relays what plugins send their clients — log
 * messages and resource updates to whoever should hear them, and a plugin's requests (sampling, elicitation, roots)
 * to the client whose call caused them: asked directly in the legacy era, or as {@code input_required} in 2026-07-28.
 * Calls and catalog requests are handled by {@link ToolCalls} and {@link CatalogRequests}, list changes by
 * {@link ListChanges}; each session's bookkeeping lives in {@link EngineSession}.
 */
public final class ServerEngine implements AutoCloseable, GatewayListener, PluginListener {
    private static final Logger log = LoggerFactory.getLogger(ServerEngine.class);

    private final McpGateway gateway;
    private final ServerOptions options;
    /** This gateway's sessions, and its copies of sessions other gateways began (stateless ones are never kept). */
    private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
    private final SharedSessions shared;
    private final RemoteRetries remoteRetries;
    private final SessionStore store;
    private final ScheduledExecutorService timer = Timers.daemon("mcp-gateway-server");
    private final AtomicLong serverRequestIds = new AtomicLong();
    private final ObjectNode serverInfoJson;
    private final Pins pins = new Pins();
    private final InputRequiredBridge bridge;
    private final ListChanges listChanges;
    private final ToolCalls toolCalls;
    private final CatalogRequests catalogRequests;
    private final ResourceSubscriptions resourceSubscriptions;
    private final Rejections rejections = new Rejections();
    private final SessionQuota sessionQuota;
    private volatile Catalog catalog = Catalog.EMPTY;
    /** What every client that did not authenticate sees of the whole server: one view for all (it is immutable). */
    private final CatalogView anonymousView;
    /** The server's meters when its gateway records metrics, removed on close; else empty. */
    private final List<Meter> meters;
    /** Times the requests answered, when its gateway records metrics; else null. */
    private final ServerOperationMeters operations;

    public ServerEngine(McpGateway gateway, ServerOptions options, SessionStore store) {
        this.gateway = gateway;
        this.options = options;
        this.store = store;
        long sweepMillis = Math.max(1_000, options.sessionIdleTimeout().toMillis() / 4);
        this.shared = new SharedSessions(store, options.sessionIdleTimeout().plusMillis(sweepMillis));
        this.serverInfoJson = options.serverInfo().toJson();
        this.anonymousView = new CatalogView(this, null, null);
        this.bridge = new InputRequiredBridge(timer, options.inputRequiredTimeout(), options.maxSuspendedCalls(),
                shared.gatewayTag());
        this.listChanges = new ListChanges(this, timer, options.listChangedDebounce().toMillis());
        this.toolCalls = new ToolCalls(gateway, bridge, pins);
        this.catalogRequests = new CatalogRequests(this, bridge, pins);
        this.resourceSubscriptions = new ResourceSubscriptions(gateway);
        this.sessionQuota = new SessionQuota(options.clientLimits(), rejections);
        gateway.registry().addListener(this);
        GatewayInternals.addPluginListener(gateway, this);
        this.remoteRetries = new RemoteRetries(this, shared, timer, options.inputRequiredTimeout());
        shared.listen(this::fromElsewhere);
        timer.scheduleWithFixedDelay(this::forgetIdleSessions, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        this.meters = gateway.metrics().map(metrics -> SessionMeters.bind(this, metrics.registry())).orElse(List.of());
        // The gateway's metrics are always its own implementation, which keeps the meters its parts record into.
        this.operations = gateway.metrics().map(metrics -> ((MicrometerGatewayMetrics) metrics).operations())
                .orElse(null);
    }

    public ServerOptions options() {
        return options;
    }

    /**
     * A new remembered session, counted against the session limits.
     *
     * @param client    who it counts against besides the total, or null
     * @param principal     who the client authenticated as, or null
     * @param virtualServer the view of the server the session sees, or null for the whole
     * @throws dev.mcpgateway.server.SessionLimitException if a session limit is reached
     */
    public ServerSession newSession(String client, boolean expiresWhenIdle, Principal principal,
                                    VirtualServer virtualServer) {
        SessionQuota.Place place = sessionQuota.admit(client);
        EngineSession session = new EngineSession(this, UUID.randomUUID().toString(), place, false, expiresWhenIdle,
                principal, virtualServer, null);
        sessions.put(session.id(), session);
        return session;
    }

    /** The refusals of the server's limits, and of its front doors' (which record theirs here). */
    public Rejections rejections() {
        return rejections;
    }

    /**
     * The session with this id if it was opened on {@code virtualServer} (null: the whole server): one this gateway
     * holds, or else one another gateway sharing the session store began, which this one then holds a copy of.
     */
    public Optional<ServerSession> session(String id, VirtualServer virtualServer) {
        EngineSession session = sessions.get(id);
        if (session == null) {
            session = adopt(id);
        }
        if (session == null || session.view().virtualServer() != virtualServer) {
            return Optional.empty();
        }
        session.touch();
        return Optional.of(session);
    }

    /** This gateway's copy of a session another began, as the shared store has it; null when it has none. */
    private EngineSession adopt(String id) {
        SessionRecord record = shared.load(id).orElse(null);
        if (record == null || !servesVirtualServerOf(record)) {
            return null;
        }
        EngineSession adopted = EngineSession.adopted(this, record, virtualServerOf(record));
        EngineSession raced = sessions.putIfAbsent(id, adopted);
        return raced != null ? raced : adopted;
    }

    /**
     * A stateless session for a request another gateway passed on, as its record says (its principal and virtual
     * server); null if this gateway does not serve that virtual server. It has no front door client: the request is
     * a retry resuming a call suspended here, which counted against its client's rate limits when it began, and a
     * retry starts no call through the gateway, so there is nothing for a rate limit to count again.
     */
    EngineSession statelessSession(SessionRecord record) {
        return servesVirtualServerOf(record)
                ? EngineSession.stateless(this, record.principal(), virtualServerOf(record), null) : null;
    }

    private boolean servesVirtualServerOf(SessionRecord record) {
        if (record.virtualServer() == null || virtualServerOf(record) != null) {
            return true;
        }
        log.warn("Client session {} was opened on virtual server '{}', which this gateway does not serve; configure"
                + " the same virtual servers on every gateway sharing sessions", record.id(), record.virtualServer());
        return false;
    }

    private VirtualServer virtualServerOf(SessionRecord record) {
        return record.virtualServer() == null ? null : options.virtualServers().stream()
                .filter(server -> server.name().equals(record.virtualServer())).findFirst().orElse(null);
    }

    /**
     * The tool a client of {@code virtualServer} (null: the whole server), authenticated as {@code principal}, knows
     * by {@code name} and may use; null if there is none.
     */
    public ExposedTool tool(String name, Principal principal, VirtualServer virtualServer) {
        return view(principal, virtualServer).tool(name);
    }

    /**
     * What a client of {@code virtualServer} (null: the whole server), authenticated as {@code principal} (null:
     * not), sees of the gateway: shared by the clients that did not authenticate and use the whole server, as
     * a view is made per request for 2026-07-28 clients.
     */
    CatalogView view(Principal principal, VirtualServer virtualServer) {
        return principal == null && virtualServer == null ? anonymousView
                : new CatalogView(this, principal, virtualServer);
    }

    /**
     * A session for one stateless-era request of a client authenticated as {@code principal} (null: not), known to its
     * front door as {@code client} (null: no front door, or none that knows it), on {@code virtualServer} (null: the
     * whole server).
     */
    public ServerSession statelessSession(Principal principal, String client, VirtualServer virtualServer) {
        return EngineSession.stateless(this, principal, virtualServer, client);
    }

    /** Ends a session: here, and on every gateway sharing it. Returns whether it was known here. */
    public boolean endSession(String id) {
        EngineSession removed = sessions.remove(id);
        if (removed == null) {
            return false;
        }
        boolean wasShared = removed.shared();
        removed.close();
        if (wasShared) {
            shared.ended(id);
        }
        return true;
    }

    @Override
    public void close() {
        gateway.registry().removeListener(this);
        GatewayInternals.removePluginListener(gateway, this);
        gateway.metrics().ifPresent(metrics -> meters.forEach(metrics.registry()::remove));
        timer.shutdownNow();
        listChanges.close();
        bridge.close();
        // Sessions other gateways share stay in the store: their clients go on there.
        for (EngineSession session : List.copyOf(sessions.values())) {
            sessions.remove(session.id());
            session.close();
        }
        store.close();
    }

    /**
     * The periodic sweep. It never throws: an exception would end every later sweep of the schedule, and sessions
     * would then never expire; a session that fails to end is logged and the sweep goes on with the others.
     */
    private void forgetIdleSessions() {
        long idleNanos = options.sessionIdleTimeout().toNanos();
        long now = System.nanoTime();
        try {
            pins.forgetExpired();
        } catch (RuntimeException e) {
            log.warn("Forgetting expired pins failed; trying again at the next sweep", e);
        }
        List<String> used = new ArrayList<>();
        for (EngineSession session : sessions()) {
            try {
                if (!session.shared()) {
                    if (session.idleLongerThan(idleNanos, now)) {
                        log.info("Client session {} was idle for {}; forgetting it", session.id(),
                                options.sessionIdleTimeout());
                        endSession(session.id());
                    }
                } else if (session.usedSinceRenewal()
                        || (session.servesFromHere() && !session.idleLongerThan(idleNanos, now))) {
                    used.add(session.id());
                } else if (session.servesFromHere() && shared.kept(session.id())) {
                    // No request for a while, but its stream or plugin subscriptions are here and it lives on.
                    used.add(session.id());
                } else if (session.idleLongerThan(idleNanos, now)) {
                    // Idle here, maybe not elsewhere: only this copy goes (so does one whose session ended elsewhere
                    // while this gateway could not hear it); the store forgets the session once no gateway renews it.
                    sessions.remove(session.id(), session);
                    session.close();
                }
            } catch (RuntimeException e) {
                log.warn("Sweeping client session {} failed; trying again at the next sweep", session.id(), e);
            }
        }
        shared.touch(used);
    }

    // ---- for the method handlers -----------------------------------------------------------------------------

    McpGateway gateway() {
        return gateway;
    }

    /** Times the requests the sessions answer; null when the gateway records no metrics. */
    ServerOperationMeters operations() {
        return operations;
    }

    ToolCalls toolCalls() {
        return toolCalls;
    }

    CatalogRequests catalogRequests() {
        return catalogRequests;
    }

    ListChanges listChanges() {
        return listChanges;
    }

    ResourceSubscriptions resourceSubscriptions() {
        return resourceSubscriptions;
    }

    /** Every session this gateway holds (stateless ones are never held). */
    Collection<EngineSession> sessions() {
        return sessions.values();
    }

    /** Where sessions are shared with other gateways. */
    SharedSessions shared() {
        return shared;
    }

    /** Retries of 2026-07-28 calls suspended on other gateways. */
    RemoteRetries remoteRetries() {
        return remoteRetries;
    }

    /**
     * A message another gateway sent: a retry meant for this one, or news of a session, acted on if this gateway
     * holds a copy of it.
     */
    private void fromElsewhere(SharedSessions.Message message) {
        if (message.to() != null) {
            remoteRetries.received(message);
            return;
        }
        EngineSession session = sessions.get(message.session());
        if (session == null) {
            return;
        }
        switch (message.kind()) {
            case "changed" -> session.adopt(message.data());
            case "ended" -> {
                if (sessions.remove(message.session(), session)) {
                    session.close();
                }
            }
            case "deliver" -> session.notifyLocally(message.payload());
            case "client" -> session.placeForwarded(message.payload());
            default -> log.debug("Ignored a session message of kind '{}' from another gateway", message.kind());
        }
    }

    /** The catalog of a routing table, built once per table version. */
    Catalog catalog(RoutingTable table) {
        Catalog current = catalog;
        if (current.version != table.version()) {
            current = Catalog.of(table, gateway.config().toolNaming());
            catalog = current;
        }
        return current;
    }

    RequestId nextServerRequestId() {
        // Tagged, so a client's answer reaching another gateway finds the one that asked, and no other.
        return RequestId.of("gw-" + shared.gatewayTag() + "-" + serverRequestIds.incrementAndGet());
    }

    /** The gateway's name and version as results' {@code _meta} carry it (shared; never modified). */
    ObjectNode serverInfoJson() {
        return serverInfoJson;
    }

    JsonNode initializeResult(String protocolVersion) {
        ObjectNode result = Json.object().put("protocolVersion", protocolVersion);
        result.set("capabilities", serverCapabilities());
        result.set("serverInfo", options.serverInfo().toJson());
        if (options.instructions() != null) {
            result.put("instructions", options.instructions());
        }
        return result;
    }

    JsonNode discover() {
        ObjectNode result = Json.object();
        result.putArray("supportedVersions").add(ProtocolVersions.MODERN);
        result.set("capabilities", serverCapabilities());
        if (options.instructions() != null) {
            result.put("instructions", options.instructions());
        }
        result.putObject("_meta").set(ProtocolVersions.META_SERVER_INFO, serverInfoJson);
        return result;
    }

    /** A page of the tools a session's clients see. */
    JsonNode toolList(JsonNode params, CatalogView view) {
        return Pages.page(view.tools(), params, "tools", options.pageSize());
    }

    /** A page of an aggregated resources, templates or prompts list, as a session's client sees it. */
    JsonNode catalogList(String method, JsonNode params, CatalogView view) {
        Catalog now = catalog(gateway.routingTable());
        return switch (method) {
            case "resources/list" -> Pages.page(view.resources(now.resources, "uri", now), params, "resources",
                    options.pageSize());
            case "resources/templates/list" -> Pages.page(view.resources(now.templates, "uriTemplate", now), params,
                    "resourceTemplates", options.pageSize());
            default -> Pages.page(view.prompts(now), params, "prompts", options.pageSize());
        };
    }

    /** What the gateway can honour: tools, resources (with subscriptions routed to owners), prompts, completion. */
    private static ObjectNode serverCapabilities() {
        ObjectNode capabilities = Json.object();
        capabilities.putObject("tools").put("listChanged", true);
        capabilities.putObject("resources").put("listChanged", true).put("subscribe", true);
        capabilities.putObject("prompts").put("listChanged", true);
        capabilities.putObject("completions");
        capabilities.putObject("logging");
        return capabilities;
    }

    // ---- what happens elsewhere --------------------------------------------------------------------------------

    @Override
    public void onEvent(GatewayEvent event) {
        switch (event) {
            case GatewayEvent.RoutingTableUpdated updated -> listChanges.tableChanged();
            case GatewayEvent.HealthChanged changed when changed.instance().health() == Health.HEALTHY
                    && changed.previous() != Health.HEALTHY -> resourceSubscriptions.renew(changed.instance().id());
            case GatewayEvent.InstanceDeregistered gone -> resourceSubscriptions.moveFrom(gone.instance().id(),
                    uri -> catalog(gateway.routingTable()).ownersOf(uri));
            default -> {
            }
        }
    }

    @Override
    public void onNotification(String instanceId, JsonRpcNotification notification) {
        switch (notification.method()) {
            case "notifications/resources/updated" -> listChanges.resourceUpdated(notification);
            case "notifications/message" -> {
                Caller caller = soleCaller(instanceId);
                if (caller == null) {
                    return;
                }
                boolean modern = caller.bridged() != null;
                String level = caller.logLevel();
                // 2026-07-28: no log messages for a request that asked for none; otherwise those at its level.
                if ((modern && level == null) || (level != null && !RequestMeta.atLeast(notification.params(), level))) {
                    return;
                }
                if (!caller.currentStream().send(notification)) {
                    caller.session().notifyUnsolicited(notification);
                }
            }
            default -> log.debug("Plugin instance {} sent {}; not relayed", instanceId, notification.method());
        }
    }

    @Override
    public boolean serves(String instanceId) {
        return !callersOn(instanceId).isEmpty();
    }

    @Override
    public CompletableFuture<JsonNode> onRequest(String instanceId, JsonRpcRequest request) {
        String capability = InputRequests.capabilityOf(request.method());
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
        JsonNode declared = caller.bridged() != null ? caller.bridged().capabilities()
                : caller.session().clientCapabilities();
        ObjectNode missing = InputRequests.missing(request.method(), request.params(), declared);
        if (missing != null) {
            return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND, "The calling client"
                    + " did not declare the '" + capability + "' capability (" + missing + " is needed), so '"
                    + request.method() + "' cannot be relayed"));
        }
        return caller.bridged() != null ? caller.bridged().ask(request)
                : caller.session().askClient(request, caller.stream());
    }

    private List<Caller> callersOn(String instanceId) {
        List<Caller> callers = new ArrayList<>();
        for (Authenticated client : GatewayInternals.clientsOn(gateway, instanceId)) {
            if (client instanceof Caller caller) {
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
        EngineSession session = callers.get(0).session();
        for (Caller caller : callers) {
            if (caller.session() != session) {
                return null;
            }
        }
        return callers.get(0);
    }
}
