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
     * open until the client cancels it or the server closes.
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
            if (session.isSubscribedTo(uri)) {
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
     * Opens a listen stream: acknowledged at once with what the gateway honours, then fed until it ends.
     *
     * @return completes when the stream ends (the server closing it); cancelling it ends it too
     */
    CompletableFuture<JsonNode> listen(JsonRpcRequest request, JsonNode params, MessageSink stream) {
        JsonNode wanted = params.path("notifications");
        Set<String> uris = ConcurrentHashMap.newKeySet();
        wanted.path("resourceSubscriptions").forEach(uri -> uris.add(uri.asText()));
        JsonNode subscriptionId = request.id() instanceof RequestId.Number n ? Json.nodes().numberNode(n.value())
                : Json.nodes().textNode(((RequestId.Text) request.id()).value());
        Listen listen = new Listen(subscriptionId, stream, wanted.path("toolsListChanged").asBoolean(false),
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
        return listen.open();
    }

    /** Ends every listen stream gracefully: its final result, tagged like every message on it. */
    @Override
    public void close() {
        for (Listen listen : listens) {
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
                session.notifyUnsolicited(new JsonRpcNotification(method, null));
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
