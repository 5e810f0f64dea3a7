package dev.mcpgateway.server;

import static dev.mcpgateway.server.ServerFixture.list;
import static dev.mcpgateway.server.ServerFixture.modernParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.trace.TraceContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the 2026-07-28 era asks of results and requests, as the gateway's MCP server honours it. */
class ModernEraTest {
    private final ServerFixture fixture = new ServerFixture(ServerOptions.defaults()
            .withDefaultCacheTtl(Duration.ofSeconds(3)));

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A plugin of either era listing one tool and one resource, with the given caching hints on its lists. */
    private static ScriptedServer plugin(ScriptedServer.Era era, String tool, Long ttlMs, String scope) {
        ScriptedServer plugin = new ScriptedServer(era);
        plugin.handle(era == ScriptedServer.Era.MODERN ? "server/discover" : "initialize", (s, r) -> {
            ObjectNode result = Json.object();
            if (era == ScriptedServer.Era.MODERN) {
                result.putArray("supportedVersions").add(ProtocolVersions.MODERN);
                result.putObject("_meta").putObject(ProtocolVersions.META_SERVER_INFO).put("name", tool).put("version", "1");
            } else {
                result.put("protocolVersion", r.params().path("protocolVersion").asText());
                result.putObject("serverInfo").put("name", tool).put("version", "1");
            }
            ObjectNode capabilities = result.putObject("capabilities");
            capabilities.putObject("tools");
            capabilities.putObject("resources");
            return JsonRpcResponse.success(r.id(), result);
        });
        plugin.handle("tools/list", (s, r) -> hinted(list(r, "tools", ScriptedServer.tool(tool)), ttlMs, scope));
        plugin.handle("resources/list", (s, r) -> hinted(list(r, "resources",
                Json.object().put("uri", tool + "://doc").put("name", "doc")), ttlMs, scope));
        plugin.handle("resources/templates/list", (s, r) -> list(r, "resourceTemplates",
                Json.object().put("uriTemplate", tool + "://pages/{p}").put("name", "pages")));
        plugin.handle("resources/read", (s, r) -> {
            ObjectNode contents = Json.object();
            contents.putArray("contents").addObject().put("uri", r.params().path("uri").asText()).put("text", "hi");
            return hinted(JsonRpcResponse.success(r.id(), contents), ttlMs, scope);
        });
        return plugin;
    }

    private static JsonRpcResponse hinted(JsonRpcResponse response, Long ttlMs, String scope) {
        ObjectNode result = (ObjectNode) response.result();
        if (ttlMs != null) {
            result.put("ttlMs", ttlMs);
        }
        if (scope != null) {
            result.put("cacheScope", scope);
        }
        return response;
    }

    private JsonNode modern(String method, ObjectNode params) {
        JsonRpcResponse response = fixture.request(fixture.server.statelessSession(), method, params);
        assertFalse(response.isError(), () -> method + ": " + response.error().message());
        return response.result();
    }

    @Test
    void aggregatedListsCarryTheShortestTtlOfTheirPluginsAndArePrivateIfAnyIs() {
        fixture.plugin("slow", plugin(ScriptedServer.Era.MODERN, "slow", 60_000L, "public"));
        fixture.plugin("fast", plugin(ScriptedServer.Era.MODERN, "fast", 5_000L, "private"));

        for (String method : List.of("tools/list", "resources/list")) {
            JsonNode result = modern(method, modernParams());
            assertEquals(5_000, result.path("ttlMs").asLong(), method);
            assertEquals("private", result.path("cacheScope").asText(), method);
            assertEquals("complete", result.path("resultType").asText(), method);
        }
        JsonNode templates = modern("resources/templates/list", modernParams());
        assertEquals(3_000, templates.path("ttlMs").asLong(), "no plugin gave a hint: the gateway's default");
        assertEquals("public", templates.path("cacheScope").asText());
        JsonNode prompts = modern("prompts/list", modernParams());
        assertTrue(prompts.has("ttlMs") && prompts.has("cacheScope"), "an empty list is cacheable too");
        JsonNode discover = modern("server/discover", modernParams());
        assertEquals(3_000, discover.path("ttlMs").asLong());
        assertEquals("public", discover.path("cacheScope").asText());
        assertEquals("mcp-gateway", discover.path("_meta").path(ProtocolVersions.META_SERVER_INFO).path("name").asText());

        JsonNode read = modern("resources/read", modernParams().put("uri", "fast://doc"));
        assertEquals(5_000, read.path("ttlMs").asLong(), "a read keeps its plugin's own hints");
        assertEquals("private", read.path("cacheScope").asText());
    }

    @Test
    void resultsOfLegacyPluginsGetTheDefaultHintsAndLegacyClientsSeeNone() {
        fixture.plugin("old", plugin(ScriptedServer.Era.LEGACY, "old", null, null));

        JsonNode tools = modern("tools/list", modernParams());
        assertEquals(3_000, tools.path("ttlMs").asLong());
        assertEquals("public", tools.path("cacheScope").asText());
        JsonNode read = modern("resources/read", modernParams().put("uri", "old://doc"));
        assertEquals(3_000, read.path("ttlMs").asLong());
        assertEquals("public", read.path("cacheScope").asText());

        ServerSession legacy = fixture.initialized("2025-11-25");
        JsonNode legacyList = fixture.request(legacy, "tools/list", Json.object()).result();
        assertFalse(legacyList.has("ttlMs") || legacyList.has("resultType"), "legacy results stay as they were");
    }

    @Test
    void aModernRequestMustDeclareItsClientCapabilities() {
        ObjectNode params = Json.object();
        params.putObject("_meta").put(ProtocolVersions.META_PROTOCOL_VERSION, ProtocolVersions.MODERN);
        JsonRpcResponse missing = fixture.request(fixture.server.statelessSession(), "tools/list", params);
        assertEquals(ErrorCodes.INVALID_PARAMS, missing.error().code());
        assertTrue(missing.error().message().contains("io.modelcontextprotocol/clientCapabilities"),
                missing.error().message());
        ((ObjectNode) params.get("_meta")).put(ProtocolVersions.META_CLIENT_CAPABILITIES, "all");
        assertEquals(ErrorCodes.INVALID_PARAMS, fixture.request(fixture.server.statelessSession(), "tools/list", params)
                .error().code(), "capabilities must be an object");
    }

    /** A legacy plugin whose {@code chatty} tool logs at info and at warning before answering with what it got. */
    private static ScriptedServer chatty() {
        ScriptedServer plugin = new ScriptedServer(ScriptedServer.Era.LEGACY);
        plugin.handle("tools/list", (s, r) -> list(r, "tools", ScriptedServer.tool("chatty")));
        plugin.handle("tools/call", (s, r) -> {
            for (String level : List.of("info", "warning")) {
                s.emit(new JsonRpcNotification("notifications/message", Json.object().put("level", level)
                        .put("data", level + " message")));
            }
            ObjectNode result = (ObjectNode) CallToolResult.text("done").json();
            result.set("received", r.params());
            return JsonRpcResponse.success(r.id(), result);
        });
        return plugin;
    }

    private List<String> logLevelsSeen(ServerSession session, ObjectNode params) {
        List<JsonRpcMessage> stream = new CopyOnWriteArrayList<>();
        fixture.send(session, "tools/call", params.put("name", "log__chatty"), message -> stream.add(message)).join();
        return stream.stream().filter(m -> m instanceof JsonRpcNotification n && n.method().equals("notifications/message"))
                .map(m -> ((JsonRpcNotification) m).params().path("level").asText()).toList();
    }

    @Test
    void logMessagesReachAModernRequestOnlyAtTheLevelItAskedFor() {
        fixture.plugin("log", chatty());

        assertEquals(List.of(), logLevelsSeen(fixture.server.statelessSession(), modernParams()),
                "a request without a log level gets no log messages");
        ObjectNode warnings = modernParams();
        ((ObjectNode) warnings.get("_meta")).put("io.modelcontextprotocol/logLevel", "warning");
        assertEquals(List.of("warning"), logLevelsSeen(fixture.server.statelessSession(), warnings));

        ServerSession legacy = fixture.initialized("2025-11-25");
        assertEquals(List.of("info", "warning"), logLevelsSeen(legacy, Json.object()), "legacy: everything by default");
        assertFalse(fixture.request(legacy, "logging/setLevel", Json.object().put("level", "warning")).isError());
        assertEquals(List.of("warning"), logLevelsSeen(legacy, Json.object()));
        assertEquals(ErrorCodes.INVALID_PARAMS, fixture.request(legacy, "logging/setLevel",
                Json.object().put("level", "loud")).error().code());
    }

    @Test
    void traceContextPassesOnToThePluginButPerHopMetaDoesNot() {
        fixture.plugin("log", chatty());
        ObjectNode params = modernParams("elicitation").put("name", "log__chatty");
        ObjectNode meta = (ObjectNode) params.get("_meta");
        meta.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").put("progressToken", "mine");

        JsonNode received = modern("tools/call", params).path("received").path("_meta");
        TraceContext passedOn = TraceContext.fromMeta(received);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", passedOn.traceId(), "the client's trace");
        assertNotEquals("00f067aa0ba902b7", passedOn.parentId(), "under the gateway's own span");
        assertNull(received.get(ProtocolVersions.META_PROTOCOL_VERSION), "the legacy plugin is not told a modern version");
        assertNull(received.get(ProtocolVersions.META_CLIENT_CAPABILITIES), "the client's capabilities are its own hop's");
        assertTrue(received.path("progressToken").isNumber(), "the gateway's own progress token, not the client's");
    }

    @Test
    void aModernPluginsInputRequiredPassesToAModernClientWithoutCachingHints() {
        ScriptedServer form = new ScriptedServer(ScriptedServer.Era.MODERN);
        form.handle("tools/list", (s, r) -> list(r, "tools", ScriptedServer.tool("fill")));
        form.handle("resources/read", (s, r) -> {
            if (r.params().has("requestState")) {
                ObjectNode contents = Json.object();
                contents.putArray("contents");
                return JsonRpcResponse.success(r.id(), contents);
            }
            return JsonRpcResponse.success(r.id(), Json.object().put("resultType", "input_required")
                    .put("requestState", "read-1"));
        });
        form.handle("resources/list", (s, r) -> list(r, "resources", Json.object().put("uri", "form://x").put("name", "x")));
        form.handle("server/discover", (s, r) -> {
            ObjectNode result = Json.object();
            result.putArray("supportedVersions").add(ProtocolVersions.MODERN);
            result.putObject("capabilities").putObject("resources");
            return JsonRpcResponse.success(r.id(), result);
        });
        fixture.plugin("form", form); // declares resources but has no resources/templates/list: still served

        JsonNode interim = modern("resources/read", modernParams().put("uri", "form://x"));
        assertEquals("input_required", interim.path("resultType").asText());
        assertFalse(interim.has("ttlMs") || interim.has("cacheScope"), "interim results are not cacheable");
        JsonNode done = modern("resources/read", modernParams().put("uri", "form://x").put("requestState", "read-1"));
        assertEquals("complete", done.path("resultType").asText());
        assertTrue(done.has("ttlMs"));
        JsonRpcRequest retried = form.requests("resources/read").get(1);
        assertEquals("read-1", retried.params().path("requestState").asText(), "the plugin's state, untouched");
    }

    @Test
    void legacyErrorsReachAModernClientAsItsEraSaysThem() {
        ScriptedServer old = plugin(ScriptedServer.Era.LEGACY, "old", null, null);
        old.handle("resources/read", (s, r) -> JsonRpcResponse.failure(r.id(), ErrorCodes.RESOURCE_NOT_FOUND, "gone"));
        old.handle("tools/call", (s, r) -> {
            ObjectNode data = Json.object();
            data.putArray("elicitations").addObject().put("mode", "url").put("elicitationId", "e-1")
                    .put("url", "https://example.com/consent").put("message", "Approve access");
            return JsonRpcResponse.failure(r.id(), new dev.mcpgateway.jsonrpc.JsonRpcError(
                    ErrorCodes.URL_ELICITATION_REQUIRED, "consent needed", data));
        });
        fixture.plugin("old", old);

        JsonRpcResponse gone = fixture.request(fixture.server.statelessSession(), "resources/read",
                modernParams().put("uri", "old://doc"));
        assertEquals(ErrorCodes.INVALID_PARAMS, gone.error().code(), "-32002 is -32602 in 2026-07-28");
        assertEquals(ErrorCodes.INVALID_PARAMS, fixture.request(fixture.server.statelessSession(), "resources/read",
                modernParams().put("uri", "nobody://x")).error().code(), "and so is the gateway's own not-found");
        assertEquals(ErrorCodes.RESOURCE_NOT_FOUND, fixture.request(fixture.initialized("2025-11-25"), "resources/read",
                Json.object().put("uri", "old://doc")).error().code(), "a legacy client keeps its era's code");

        ObjectNode urlCapable = modernParams().put("name", "old__old");
        ((ObjectNode) urlCapable.path("_meta").path(ProtocolVersions.META_CLIENT_CAPABILITIES)).putObject("elicitation")
                .putObject("url");
        JsonNode interim = modern("tools/call", urlCapable);
        assertEquals("input_required", interim.path("resultType").asText(), "-32042 is 2025-11-25 only");
        JsonNode asked = interim.path("inputRequests").path("url-1");
        assertEquals("elicitation/create", asked.path("method").asText());
        assertEquals("https://example.com/consent", asked.path("params").path("url").asText());
        assertFalse(asked.path("params").has("elicitationId"), "2026-07-28 removed elicitationId");

        JsonRpcResponse formOnly = fixture.request(fixture.server.statelessSession(), "tools/call",
                modernParams("elicitation").put("name", "old__old"));
        assertEquals(ErrorCodes.MISSING_CLIENT_CAPABILITY, formOnly.error().code());
        assertTrue(formOnly.error().data().path("requiredCapabilities").path("elicitation").has("url"));
    }

    @Test
    void aModernPluginsInputRequestsTheClientDidNotDeclareAreRefusedWithMissingCapability() {
        ScriptedServer form = new ScriptedServer(ScriptedServer.Era.MODERN);
        form.handle("tools/list", (s, r) -> list(r, "tools", ScriptedServer.tool("fill")));
        form.handle("tools/call", (s, r) -> {
            ObjectNode needInput = Json.object().put("resultType", "input_required").put("requestState", "s");
            needInput.putObject("inputRequests").putObject("who").put("method", "sampling/createMessage");
            return JsonRpcResponse.success(r.id(), needInput);
        });
        fixture.plugin("form", form);

        JsonRpcResponse refused = fixture.request(fixture.server.statelessSession(), "tools/call",
                modernParams("elicitation").put("name", "form__fill"));
        assertEquals(ErrorCodes.MISSING_CLIENT_CAPABILITY, refused.error().code());
        assertTrue(refused.error().data().path("requiredCapabilities").has("sampling"), refused.error().data().toString());
        assertEquals("input_required", modern("tools/call", modernParams("sampling").put("name", "form__fill"))
                .path("resultType").asText(), "a client that declared sampling gets the plugin's request");
    }

    @Test
    void aMalformedLogLevelIsRefused() {
        ObjectNode params = modernParams();
        ((ObjectNode) params.get("_meta")).put(ProtocolVersions.META_LOG_LEVEL, "loud");
        JsonRpcResponse refused = fixture.request(fixture.server.statelessSession(), "tools/list", params);
        assertEquals(ErrorCodes.INVALID_PARAMS, refused.error().code());
        assertTrue(refused.error().message().contains("logLevel"), refused.error().message());
    }

    @Test
    void progressOfAReadReachesTheClientUnderItsOwnToken() {
        ScriptedServer docs = plugin(ScriptedServer.Era.LEGACY, "docs", null, null);
        docs.handle("resources/read", (s, r) -> {
            s.emit(new JsonRpcNotification("notifications/progress", Json.object()
                    .set("progressToken", r.params().path("_meta").path("progressToken")).<ObjectNode>deepCopy()
                    .put("progress", 1).put("total", 1)));
            ObjectNode contents = Json.object();
            contents.putArray("contents");
            return JsonRpcResponse.success(r.id(), contents);
        });
        fixture.plugin("docs", docs);
        ServerSession legacy = fixture.initialized("2025-11-25");
        List<JsonRpcMessage> stream = new CopyOnWriteArrayList<>();
        ObjectNode params = Json.object().put("uri", "docs://doc");
        params.putObject("_meta").put("progressToken", "my-token");

        assertFalse(fixture.send(legacy, "resources/read", params, stream::add).join().isError());
        JsonRpcNotification progress = (JsonRpcNotification) stream.get(0);
        assertEquals("notifications/progress", progress.method());
        assertEquals("my-token", progress.params().path("progressToken").asText());
    }

    @Test
    void aListenStreamTheServerTearsDownIsCancelledByNameThenCompleted() {
        ServerSession stateless = fixture.server.statelessSession();
        List<JsonRpcMessage> stream = new CopyOnWriteArrayList<>();
        ObjectNode params = modernParams();
        params.putObject("notifications").put("toolsListChanged", true);
        var listening = fixture.send(stateless, "subscriptions/listen", params, stream::add);

        fixture.server.close();
        JsonRpcResponse ended = listening.join();
        JsonRpcNotification cancelled = (JsonRpcNotification) stream.get(stream.size() - 1);
        assertEquals("notifications/cancelled", cancelled.method());
        assertEquals(ended.id().toString(), dev.mcpgateway.jsonrpc.RequestId.of(cancelled.params().path("requestId")
                .asLong()).toString(), "it names the listen request");
        assertEquals("complete", ended.result().path("resultType").asText());
    }

    /** A legacy plugin with a prompt and a resource, whose prompts can be switched and announced. */
    private static ScriptedServer catalogPlugin(java.util.concurrent.atomic.AtomicReference<String> promptName) {
        ScriptedServer plugin = new ScriptedServer(ScriptedServer.Era.LEGACY);
        plugin.handle("initialize", (s, r) -> {
            ObjectNode result = Json.object().put("protocolVersion", r.params().path("protocolVersion").asText());
            ObjectNode capabilities = result.putObject("capabilities");
            capabilities.putObject("prompts").put("listChanged", true);
            capabilities.putObject("resources");
            capabilities.putObject("completions");
            return JsonRpcResponse.success(r.id(), result);
        });
        plugin.handle("prompts/list", (s, r) -> list(r, "prompts", Json.object().put("name", promptName.get())));
        plugin.handle("resources/list", (s, r) -> list(r, "resources", Json.object().put("uri", "cat://a").put("name", "a")));
        plugin.handle("completion/complete", (s, r) -> {
            ObjectNode result = Json.object();
            result.putObject("completion").putArray("values").add(r.params().path("ref").path("name").asText(
                    r.params().path("ref").path("uri").asText()));
            return JsonRpcResponse.success(r.id(), result);
        });
        return plugin;
    }

    @Test
    void promptAndResourceListChangesReachBothErasAndAPluginsAnnouncementIsFollowed() {
        var promptName = new java.util.concurrent.atomic.AtomicReference<>("first");
        ServerSession legacy = fixture.initialized("2025-11-25");
        List<JsonRpcMessage> stream = new CopyOnWriteArrayList<>();
        ObjectNode listen = modernParams();
        listen.putObject("notifications").put("promptsListChanged", true).put("resourcesListChanged", true);
        fixture.send(fixture.server.statelessSession(), "subscriptions/listen", listen, stream::add);

        ScriptedServer plugin = catalogPlugin(promptName);
        fixture.plugin("cat", plugin);
        for (String method : List.of("notifications/prompts/list_changed", "notifications/resources/list_changed")) {
            Await.until(method + " reaches the legacy session and the listen stream", Duration.ofSeconds(10),
                    () -> fixture.unsolicited.stream().anyMatch(m -> m instanceof JsonRpcNotification n
                            && n.method().equals(method)) && stream.stream().anyMatch(m -> m instanceof JsonRpcNotification n
                            && n.method().equals(method)));
        }
        assertEquals("cat__first", fixture.request(legacy, "prompts/list", Json.object()).result().path("prompts").get(0)
                .path("name").asText());

        promptName.set("second");
        plugin.emit(new JsonRpcNotification("notifications/prompts/list_changed", null));
        Await.until("the gateway lists the plugin's prompts again", Duration.ofSeconds(10), () -> fixture.request(legacy,
                "prompts/list", Json.object()).result().path("prompts").get(0).path("name").asText().equals("cat__second"));
    }

    @Test
    void completionGoesToThePluginOfThePromptOrResourceItNames() {
        fixture.plugin("cat", catalogPlugin(new java.util.concurrent.atomic.AtomicReference<>("essay")));
        ServerSession legacy = fixture.initialized("2025-11-25");

        ObjectNode prompt = Json.object();
        prompt.putObject("ref").put("type", "ref/prompt").put("name", "cat__essay");
        prompt.putObject("argument").put("name", "topic").put("value", "b");
        assertEquals("essay", fixture.request(legacy, "completion/complete", prompt).result().path("completion")
                .path("values").get(0).asText(), "the plugin gets its own prompt name back");
        ObjectNode resource = Json.object();
        resource.putObject("ref").put("type", "ref/resource").put("uri", "cat://a");
        resource.putObject("argument").put("name", "x").put("value", "y");
        assertEquals("cat://a", fixture.request(legacy, "completion/complete", resource).result().path("completion")
                .path("values").get(0).asText());
        ObjectNode unknown = Json.object();
        unknown.putObject("ref").put("type", "ref/tool");
        assertEquals(ErrorCodes.INVALID_PARAMS, fixture.request(legacy, "completion/complete", unknown).error().code());
    }

    @Test
    void methodsThe2026RevisionRemovedAreNotFoundForModernRequests() {
        for (String method : List.of("initialize", "ping", "logging/setLevel", "resources/subscribe",
                "resources/unsubscribe")) {
            JsonRpcResponse response = fixture.request(fixture.server.statelessSession(), method,
                    modernParams().put("uri", "x://y").put("level", "info"));
            assertEquals(ErrorCodes.METHOD_NOT_FOUND, response.error().code(), method);
        }
    }
}
