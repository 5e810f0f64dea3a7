package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.server.MessageSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells clients what changed: list changes gathered over a short debounce and compared with what clients were last
 * told (so only real changes are announced, and none is lost), to legacy sessions on their unsolicited stream and to
 * 2026-07-28 clients on their {@code subscriptions/listen} streams, which also carry the resource updates they
 * subscribed to.
 */
final class ListChanges implements AutoCloseable {
    /** The {@code _meta} key tagging everything sent on a {@code subscriptions/listen} stream. */
    static final String META_SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    /**
     * A 2026-07-28 client's listen stream: which notifications it asked for and where they go. Its request stays
     * open until the client cancels it or the server closes. Everything sent on it goes out under its lock, one
     * message at a time; opening it holds the lock from before notifiers can find it until its acknowledgment is out,
     * so nothing overtakes the acknowledgment.
     */
    private record Listen(JsonNode subscriptionId, MessageSink stream, boolean tools, boolean resources, boolean prompts,
                          Set<String> resourceUris, CompletableFuture<JsonNode> open, ReentrantLock sending) {
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
            sending.lock();
            try {
                stream.send(new JsonRpcNotification(method, tagged));
            } finally {
                sending.unlock();
            }
        }
    }

    private final ServerEngine engine;
    private final ScheduledExecutorService timer;
    private final long debounceMillis;
    private final AtomicBoolean notifyScheduled = new AtomicBoolean();
    private final Set<Listen> listens = ConcurrentHashMap.newKeySet();
    /** What clients were last told about, to notify only on real changes. */
    private volatile List<Object> lastTools;
    private volatile List<ObjectNode> lastResources;
    private volatile List<ObjectNode> lastPrompts;

    ListChanges(ServerEngine engine, ScheduledExecutorService timer, long debounceMillis) {
        this.engine = engine;
        this.timer = timer;
        this.debounceMillis = debounceMillis;
        RoutingTable table = engine.gateway().routingTable();
        Catalog now = engine.catalog(table);
        this.lastTools = fingerprint(table.tools());
        this.lastResources = now.resources;
        this.lastPrompts = now.prompts;
    }

    /** The routing table changed: look again once the debounce has gathered what else changes with it. */
    void tableChanged() {
        if (notifyScheduled.compareAndSet(false, true)) {
            timer.schedule(this::notifyListChanges, debounceMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** A plugin's resource changed: told to every session and listen stream subscribed to it. */
    void resourceUpdated(JsonRpcNotification notification) {
        String uri = notification.params() == null ? null : notification.params().path("uri").asText(null);
        if (uri == null) {
            return;
        }
        for (EngineSession session : engine.sessions()) {
            if (session.holdsSubscription(uri)) {
                session.notifyUnsolicited(notification);
            }
        }
        for (Listen listen : listens) {
            if (listen.resourceUris().contains(uri)) {
                listen.send(notification.method(), notification.params());
            }
        }
    }

    /**
     * Opens a listen stream: the resources it names are subscribed upstream (shared with other clients), then it is
     * acknowledged with what the gateway honours (a URI no plugin offers, or whose plugin refused, is left out),
     * then fed until it ends, when its subscriptions are released.
     *
     * @return completes when the stream ends (the server closing it); cancelling it ends it too
     */
    CompletableFuture<JsonNode> listen(Incoming in) {
        JsonNode wanted = in.params().path("notifications");
        CompletableFuture<JsonNode> open = new CompletableFuture<>();
        Catalog catalog = engine.catalog(engine.gateway().routingTable());
        List<CompletableFuture<String>> subscribing = new ArrayList<>();
        for (JsonNode uri : wanted.path("resourceSubscriptions")) {
            List<String> owners = catalog.ownersOf(uri.asText());
            if (!owners.isEmpty()) {
                subscribing.add(engine.resourceSubscriptions().acquire(uri.asText(), Catalog.any(owners))
                        .handle((result, error) -> error == null ? uri.asText() : null));
            }
        }
        CompletableFuture.allOf(subscribing.toArray(CompletableFuture[]::new)).thenRun(() -> {
            Set<String> uris = ConcurrentHashMap.newKeySet();
            subscribing.forEach(uri -> {
                if (uri.join() != null) {
                    uris.add(uri.join());
                }
            });
            open(in.request(), wanted, in.stream(), uris, open);
        });
        return open;
    }

    private void open(JsonRpcRequest request, JsonNode wanted, MessageSink stream, Set<String> uris,
                      CompletableFuture<JsonNode> open) {
        JsonNode subscriptionId = request.id() instanceof RequestId.Number n ? Json.nodes().numberNode(n.value())
                : Json.nodes().textNode(((RequestId.Text) request.id()).value());
        Listen listen = new Listen(subscriptionId, stream, wanted.path("toolsListChanged").asBoolean(false),
                wanted.path("resourcesListChanged").asBoolean(false), wanted.path("promptsListChanged").asBoolean(false),
                uris, open, new ReentrantLock());
        ObjectNode honoured = Json.object().put("toolsListChanged", listen.tools())
                .put("resourcesListChanged", listen.resources()).put("promptsListChanged", listen.prompts());
        var subscribed = honoured.putArray("resourceSubscriptions");
        uris.forEach(subscribed::add);
        ObjectNode ack = Json.object();
        ack.set("notifications", honoured);
        // The spec wants the acknowledgment first on the stream, and no change after it missed: the stream is listed
        // for notifiers before it is acknowledged, and one that finds it meanwhile waits for the lock.
        listen.sending().lock();
        try {
            listens.add(listen);
            open.whenComplete((value, error) -> {
                listens.remove(listen);
                uris.forEach(engine.resourceSubscriptions()::release);
            });
            if (open.isDone()) {
                return; // the client left while its subscriptions were being made
            }
            listen.send("notifications/subscriptions/acknowledged", ack);
        } finally {
            listen.sending().unlock();
        }
    }

    /**
     * Ends every listen stream as the server tearing it down must: {@code notifications/cancelled} naming the listen
     * request, then its final result, both tagged like every message on it.
     */
    @Override
    public void close() {
        for (Listen listen : listens) {
            listen.send("notifications/cancelled", Json.object().<ObjectNode>set("requestId", listen.subscriptionId())
                    .put("reason", "the gateway's MCP server is shutting down"));
            ObjectNode result = Json.object().put("resultType", "complete");
            result.putObject("_meta").set(META_SUBSCRIPTION_ID, listen.subscriptionId());
            listen.open().complete(result);
        }
    }

    /** Compares what clients would see now with what they were last told, and tells every client what changed. */
    private void notifyListChanges() {
        notifyScheduled.set(false);
        RoutingTable table = engine.gateway().routingTable();
        List<Object> tools = fingerprint(table.tools());
        Catalog now = engine.catalog(table);
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
            for (EngineSession session : engine.sessions()) {
                session.notifyLocally(new JsonRpcNotification(method, null)); // every gateway sees the change
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
}
