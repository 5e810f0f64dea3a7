package dev.mcpgateway.server;

import static dev.mcpgateway.server.ServerFixture.list;
import static dev.mcpgateway.server.ServerFixture.modernParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resource subscriptions across clients and eras: one upstream subscription per URI shared by every client that
 * wants it (legacy {@code resources/subscribe}, 2026-07-28 listen streams), made the way the owning plugin's era
 * asks, and released only when the last client lets go.
 */
class ResourceSubscriptionsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String URI = "docs://readme";
    private final ServerFixture fixture = new ServerFixture(ServerOptions.defaults());

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A plugin of either era offering one subscribable resource. */
    static ScriptedServer docs(ScriptedServer.Era era) {
        ScriptedServer docs = new ScriptedServer(era);
        docs.handle(era == ScriptedServer.Era.MODERN ? "server/discover" : "initialize", (s, r) -> {
            ObjectNode result = Json.object();
            if (era == ScriptedServer.Era.MODERN) {
                result.putArray("supportedVersions").add(ProtocolVersions.MODERN);
            } else {
                result.put("protocolVersion", r.params().path("protocolVersion").asText());
            }
            result.putObject("capabilities").putObject("resources").put("subscribe", true);
            return JsonRpcResponse.success(r.id(), result);
        });
        docs.handle("resources/list", (s, r) -> list(r, "resources", Json.object().put("uri", URI).put("name", "readme")));
        docs.handle("resources/templates/list", (s, r) -> JsonRpcResponse.success(r.id(),
                Json.object().set("resourceTemplates", Json.object().arrayNode())));
        docs.handle("resources/subscribe", (s, r) -> JsonRpcResponse.success(r.id(), Json.object()));
        docs.handle("resources/unsubscribe", (s, r) -> JsonRpcResponse.success(r.id(), Json.object()));
        docs.handle("subscriptions/listen", (s, r) -> null); // a listen stream stays open
        return docs;
    }

    private static JsonRpcNotification updated() {
        return new JsonRpcNotification("notifications/resources/updated", Json.object().put("uri", URI));
    }

    private long updatesIn(List<JsonRpcMessage> messages) {
        return messages.stream().filter(m -> m instanceof JsonRpcNotification n
                && n.method().equals("notifications/resources/updated")).count();
    }

    @Test
    void legacySessionsShareOneUpstreamSubscriptionReleasedByTheLastOne() {
        ScriptedServer docs = docs(ScriptedServer.Era.LEGACY);
        fixture.plugin("docs", docs);
        ServerSession first = fixture.initialized("2025-11-25");
        ServerSession second = fixture.initialized("2025-11-25");

        assertFalse(fixture.request(first, "resources/subscribe", Json.object().put("uri", URI)).isError());
        assertFalse(fixture.request(second, "resources/subscribe", Json.object().put("uri", URI)).isError());
        assertEquals(1, docs.requests("resources/subscribe").size(), "one upstream subscription for both");

        assertFalse(fixture.request(first, "resources/unsubscribe", Json.object().put("uri", URI)).isError());
        assertTrue(docs.requests("resources/unsubscribe").isEmpty(), "the second session still holds it");
        docs.emit(updated());
        Await.until("the update reaches the session still subscribed", WAIT, () -> updatesIn(fixture.unsolicited) == 1);

        fixture.server.endSession(second.id());
        Await.until("the last holder leaving unsubscribes upstream", WAIT,
                () -> docs.requests("resources/unsubscribe").size() == 1);
    }

    @Test
    void aModernListenStreamSubscribesALegacyPluginAndReleasesItWhenItEnds() {
        ScriptedServer docs = docs(ScriptedServer.Era.LEGACY);
        fixture.plugin("docs", docs);
        ServerSession stateless = fixture.server.statelessSession();
        List<JsonRpcMessage> stream = new CopyOnWriteArrayList<>();
        ObjectNode params = modernParams();
        params.putObject("notifications").putArray("resourceSubscriptions").add(URI).add("nope://unknown");

        CompletableFuture<JsonRpcResponse> listening = fixture.send(stateless, "subscriptions/listen", params, stream::add);
        Await.until("the listen stream is acknowledged", WAIT, () -> !stream.isEmpty());
        JsonRpcNotification ack = (JsonRpcNotification) stream.get(0);
        assertEquals("notifications/subscriptions/acknowledged", ack.method());
        assertEquals(List.of(URI), Json.mapper().convertValue(ack.params().path("notifications")
                .path("resourceSubscriptions"), List.class), "only what a plugin offers is honoured");
        assertEquals(URI, docs.requests("resources/subscribe").get(0).params().path("uri").asText());

        docs.emit(updated());
        Await.until("the update reaches the listen stream", WAIT, () -> updatesIn(stream) == 1);
        JsonRpcNotification update = (JsonRpcNotification) stream.get(1);
        assertTrue(update.params().path("_meta").has("io.modelcontextprotocol/subscriptionId"));

        stateless.close(); // the client closed its stream
        assertTrue(listening.join().isError());
        Await.until("the plugin is unsubscribed", WAIT, () -> docs.requests("resources/unsubscribe").size() == 1);
    }

    @Test
    void aLegacySessionSubscribesAModernPluginWithAListenStreamOfItsOwn() {
        ScriptedServer docs = docs(ScriptedServer.Era.MODERN);
        fixture.plugin("docs", docs);
        ServerSession legacy = fixture.initialized("2025-11-25");

        assertFalse(fixture.request(legacy, "resources/subscribe", Json.object().put("uri", URI)).isError());
        Await.until("the modern plugin is asked for a listen stream of the URI", WAIT, () -> docs.requests(
                "subscriptions/listen").stream().anyMatch(r -> r.params().path("notifications")
                .path("resourceSubscriptions").toString().contains(URI)));
        assertTrue(docs.requests("resources/subscribe").isEmpty(), "2026-07-28 has no resources/subscribe");

        docs.emit(updated());
        Await.until("the update reaches the legacy session", WAIT, () -> updatesIn(fixture.unsolicited) == 1);

        assertFalse(fixture.request(legacy, "resources/unsubscribe", Json.object().put("uri", URI)).isError());
        Await.until("the listen stream is closed upstream", WAIT,
                () -> !docs.notifications("notifications/cancelled").isEmpty());
    }

    @Test
    void aPluginThatRestartsIsSubscribedAgain() {
        ScriptedServer first = docs(ScriptedServer.Era.LEGACY);
        fixture.plugin("docs", first);
        ServerSession legacy = fixture.initialized("2025-11-25");
        assertFalse(fixture.request(legacy, "resources/subscribe", Json.object().put("uri", URI)).isError());

        ScriptedServer restarted = docs(ScriptedServer.Era.LEGACY);
        fixture.scripted.put("docs", restarted); // what the next launch of the plugin will be
        first.die("crashed");
        Await.until("the restarted plugin is subscribed again", WAIT,
                () -> restarted.requests("resources/subscribe").size() == 1);
        restarted.emit(updated());
        Await.until("its updates reach the session", WAIT, () -> updatesIn(fixture.unsolicited) == 1);
    }

    @Test
    void theSubscriptionsOfAnInstanceThatLeavesMoveToAnotherOfferingTheUri() {
        fixture.scripted.put("docs-1", docs(ScriptedServer.Era.LEGACY));
        fixture.scripted.put("docs-2", docs(ScriptedServer.Era.LEGACY));
        fixture.gateway.addPlugin(PluginManifest.builder("docs").transport(TransportSpec.Stdio.of("docs")).build(), 2)
                .join();
        ServerSession legacy = fixture.initialized("2025-11-25");
        assertFalse(fixture.request(legacy, "resources/subscribe", Json.object().put("uri", URI)).isError());
        String holder = fixture.scripted.get("docs-1").requests("resources/subscribe").isEmpty() ? "docs-2" : "docs-1";
        String other = holder.equals("docs-1") ? "docs-2" : "docs-1";

        fixture.gateway.registry().deregister(holder).join();
        Await.until("the other instance is subscribed", WAIT,
                () -> fixture.scripted.get(other).requests("resources/subscribe").size() == 1);
    }
}
