package dev.mcpgateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway's MCP server engine, driven as a front door would drive it. */
class McpServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ServerFixture fixture = new ServerFixture(ServerOptions.defaults().withPageSize(2)
            .withListChangedDebounce(Duration.ofMillis(10)));
    private final Map<String, ScriptedServer> scripted = fixture.scripted;
    private final McpGateway gateway = fixture.gateway;
    private final McpServer server = fixture.server;
    private final List<JsonRpcMessage> unsolicited = fixture.unsolicited;

    @AfterEach
    void close() {
        fixture.close();
    }

    private static InProcessPlugin calculator() {
        return InProcessPlugin.builder("calc").version("1.0.0")
                .tool("add", "Adds", (args, ctx) -> CallToolResult.text(String.valueOf(args.path("a").asInt() + args.path("b").asInt())))
                .tool("count", "Counts with progress", (args, ctx) -> {
                    ctx.progress(1, 2.0, "one");
                    ctx.progress(2, 2.0, "two");
                    return CallToolResult.text("counted");
                })
                .tool("sleep", "Waits to be cancelled", (args, ctx) -> {
                    new CountDownLatch(1).await();
                    return CallToolResult.text("unreachable");
                })
                .build();
    }

    private JsonRpcResponse request(ServerSession session, String method, JsonNode params, MessageSink stream) {
        return fixture.send(session, method, params, stream).join();
    }

    private JsonRpcResponse request(ServerSession session, String method, JsonNode params) {
        return fixture.request(session, method, params);
    }

    private ServerSession initialized(String version) {
        return fixture.initialized(version, "elicitation");
    }

    private static List<String> names(JsonRpcResponse response, String field) {
        return java.util.stream.StreamSupport.stream(response.result().path(field).spliterator(), false)
                .map(tool -> tool.path("name").asText()).toList();
    }

    @Test
    void aSecondInitializeIsRefusedAndChangesNothing() {
        ServerSession session = initialized("2025-11-25");

        JsonRpcResponse again = request(session, "initialize", Json.object().put("protocolVersion", "2025-03-26"));
        assertEquals(ErrorCodes.INVALID_REQUEST, again.error().code());
        assertTrue(again.error().message().contains("already initialized"), again.error().message());
        assertEquals("2025-11-25", session.protocolVersion(), "the session keeps the version it negotiated");
        assertEquals(Json.object(), request(session, "ping", null).result());
    }

    @Test
    void initializeNegotiatesTheVersionAndAdvertisesWhatTheGatewayHonours() {
        ServerSession session = server.newSession();
        JsonRpcResponse early = request(session, "tools/list", Json.object());
        assertEquals(ErrorCodes.INVALID_REQUEST, early.error().code(), "nothing but initialize before initialize");

        JsonRpcResponse known = request(session, "initialize", Json.object().put("protocolVersion", "2025-06-18"));
        assertEquals("2025-06-18", known.result().path("protocolVersion").asText());
        assertTrue(known.result().path("capabilities").path("tools").path("listChanged").asBoolean());
        assertEquals("mcp-gateway", known.result().path("serverInfo").path("name").asText());

        JsonRpcResponse unknown = request(server.newSession(), "initialize", Json.object().put("protocolVersion", "2099-01-01"));
        assertEquals(ProtocolVersions.LATEST_LEGACY, unknown.result().path("protocolVersion").asText());
        assertEquals(ErrorCodes.METHOD_NOT_FOUND, request(session, "no/such", Json.object()).error().code());
        assertEquals(Json.object(), request(session, "ping", null).result());
    }

    @Test
    void toolsAreListedInPagesAndCalledWithProgressUnderTheClientsToken() {
        gateway.registerInProcess(calculator()).join();
        ServerSession session = initialized("2025-11-25");

        JsonRpcResponse first = request(session, "tools/list", Json.object());
        assertEquals(List.of("calc__add", "calc__count"), names(first, "tools"));
        String cursor = first.result().path("nextCursor").asText();
        JsonRpcResponse second = request(session, "tools/list", Json.object().put("cursor", cursor));
        assertEquals(List.of("calc__sleep"), names(second, "tools"));
        assertFalse(second.result().has("nextCursor"));
        assertEquals(ErrorCodes.INVALID_PARAMS, request(session, "tools/list", Json.object().put("cursor", "garbage!"))
                .error().code());

        ObjectNode add = Json.object().put("name", "calc__add");
        add.putObject("arguments").put("a", 2).put("b", 3);
        assertEquals("5", request(session, "tools/call", add).result().path("content").get(0).path("text").asText());

        List<JsonRpcMessage> stream = new CopyOnWriteArrayList<>();
        ObjectNode count = Json.object().put("name", "calc__count");
        count.putObject("_meta").put("progressToken", "client-token-7");
        request(session, "tools/call", count, message -> stream.add(message));
        assertEquals(2, stream.size());
        JsonNode progress = ((JsonRpcNotification) stream.get(1)).params();
        assertEquals("client-token-7", progress.path("progressToken").asText());
        assertEquals(2, progress.path("progress").asInt());
        assertEquals("two", progress.path("message").asText());

        JsonRpcResponse unknown = request(session, "tools/call", Json.object().put("name", "calc__nope"));
        assertEquals(ErrorCodes.INVALID_PARAMS, unknown.error().code());
        assertEquals("Unknown tool: calc__nope", unknown.error().message());
    }

    @Test
    void aClientCancellationStopsTheCall() {
        gateway.registerInProcess(calculator()).join();
        ServerSession session = initialized("2025-11-25");
        CompletableFuture<JsonRpcResponse> sleeping = session.handle(new JsonRpcRequest(RequestId.of("s-1"), "tools/call",
                Json.object().put("name", "calc__sleep")), MessageSink.NONE);

        session.handle(new JsonRpcNotification("notifications/cancelled", Json.object().put("requestId", "s-1")),
                MessageSink.NONE);

        JsonRpcResponse response = sleeping.orTimeout(10, TimeUnit.SECONDS).join();
        assertTrue(response.isError());
        Await.until("the call is no longer in flight", WAIT, () -> gateway.routingTable().routes().values().stream()
                .flatMap(route -> route.endpoints().stream()).allMatch(e -> e.stats().inFlight() == 0));
    }

    @Test
    void clientsAreToldWhenToolsChangeAndOnePluginGoingAwayLeavesTheOthers() {
        gateway.registerInProcess(calculator()).join();
        ServerSession session = initialized("2025-11-25");

        PluginInstance echo = gateway.registerInProcess(InProcessPlugin.builder("echo")
                .tool("say", "Says", (args, ctx) -> CallToolResult.text(args.path("text").asText())).build()).join();
        Await.until("a list_changed reaches the client", WAIT, () -> unsolicited.stream()
                .anyMatch(m -> m instanceof JsonRpcNotification n && n.method().equals("notifications/tools/list_changed")));

        gateway.registry().deregister(echo.id()).join();
        Await.until("another list_changed reaches the client", WAIT, () -> unsolicited.stream()
                .filter(m -> m instanceof JsonRpcNotification n && n.method().equals("notifications/tools/list_changed"))
                .count() == 2);
        ObjectNode add = Json.object().put("name", "calc__add");
        add.putObject("arguments").put("a", 1).put("b", 1);
        assertEquals("2", request(session, "tools/call", add).result().path("content").get(0).path("text").asText());
    }

    @Test
    void statelessRequestsAreServedWithoutASession() {
        gateway.registerInProcess(calculator()).join();
        ServerSession stateless = server.statelessSession();

        JsonRpcResponse discover = request(stateless, "server/discover", modernParams());
        assertEquals("2026-07-28", discover.result().path("supportedVersions").get(0).asText());
        assertEquals("mcp-gateway", discover.result().path("_meta").path(ProtocolVersions.META_SERVER_INFO)
                .path("name").asText());
        assertEquals("complete", discover.result().path("resultType").asText());

        JsonRpcResponse list = request(stateless, "tools/list", modernParams());
        assertEquals(List.of("calc__add", "calc__count"), names(list, "tools"));
        assertEquals("complete", list.result().path("resultType").asText());

        ObjectNode wrongVersion = Json.object();
        wrongVersion.putObject("_meta").put(ProtocolVersions.META_PROTOCOL_VERSION, "2027-01-01");
        JsonRpcResponse unsupported = request(stateless, "tools/list", wrongVersion);
        assertEquals(ErrorCodes.UNSUPPORTED_PROTOCOL_VERSION, unsupported.error().code());
        assertEquals("2027-01-01", unsupported.error().data().path("requested").asText());
        assertEquals(ErrorCodes.INVALID_PARAMS, request(stateless, "tools/list", Json.object()).error().code());
        assertEquals(ErrorCodes.METHOD_NOT_FOUND, request(stateless, "ping", modernParams()).error().code(),
                "ping is gone in 2026-07-28");
    }

    private static ObjectNode modernParams() {
        return ServerFixture.modernParams();
    }

    @Test
    void resourcesAndPromptsRouteToTheirPlugin() {
        ScriptedServer docs = new ScriptedServer(ScriptedServer.Era.LEGACY);
        docs.handle("initialize", (s, request) -> {
            ObjectNode result = Json.object().put("protocolVersion", "2025-06-18");
            result.putObject("capabilities").putObject("resources");
            ((ObjectNode) result.get("capabilities")).putObject("prompts");
            result.putObject("serverInfo").put("name", "docs").put("version", "1");
            return JsonRpcResponse.success(request.id(), result);
        });
        docs.handle("resources/list", (s, r) -> list(r, "resources", Json.object().put("uri", "docs://readme").put("name", "readme")));
        docs.handle("resources/templates/list", (s, r) -> list(r, "resourceTemplates",
                Json.object().put("uriTemplate", "docs://pages/{page}").put("name", "pages")));
        docs.handle("prompts/list", (s, r) -> list(r, "prompts", Json.object().put("name", "summarize")));
        docs.handle("resources/read", (s, r) -> JsonRpcResponse.success(r.id(), Json.object().put("read", r.params().path("uri").asText())));
        docs.handle("prompts/get", (s, r) -> JsonRpcResponse.success(r.id(), Json.object().put("got", r.params().path("name").asText())));
        scripted.put("docs", docs);
        gateway.addPlugin(PluginManifest.builder("docs").transport(TransportSpec.Stdio.of("docs")).build()).join();
        ServerSession session = initialized("2025-11-25");

        assertEquals("docs://readme", request(session, "resources/list", Json.object()).result().path("resources").get(0).path("uri").asText());
        assertEquals(List.of("docs__summarize"), names(request(session, "prompts/list", Json.object()), "prompts"));
        assertEquals("docs://readme", request(session, "resources/read", Json.object().put("uri", "docs://readme")).result().path("read").asText());
        assertEquals("docs://pages/intro", request(session, "resources/read", Json.object().put("uri", "docs://pages/intro")).result().path("read").asText(),
                "a URI matching a template routes to the template's plugin");
        assertEquals("summarize", request(session, "prompts/get", Json.object().put("name", "docs__summarize")).result().path("got").asText(),
                "the plugin gets its own prompt name back");
        assertEquals(ErrorCodes.RESOURCE_NOT_FOUND, request(session, "resources/read", Json.object().put("uri", "nope://x")).error().code());
        assertEquals(ErrorCodes.INVALID_PARAMS, request(session, "prompts/get", Json.object().put("name", "nope")).error().code());
    }

    private static JsonRpcResponse list(JsonRpcRequest request, String field, ObjectNode item) {
        return ServerFixture.list(request, field, item);
    }

    @Test
    void aSecondMcpServerOnTheGatewayDoesNotTakeThePluginsRequestsMeantForTheFirstsClients() {
        ScriptedServer asking = ServerFixture.askingForADate();
        scripted.put("travel", asking);
        gateway.addPlugin(PluginManifest.builder("travel").transport(TransportSpec.Stdio.of("travel")).build()).join();
        try (McpServer later = McpServer.create(gateway)) {
            ServerSession session = initialized("2025-11-25");

            session.handle(new JsonRpcRequest(RequestId.of(1), "tools/call", Json.object().put("name", "travel__book")),
                    MessageSink.NONE);

            Await.until("the elicitation reaches the client of the first server", WAIT, () -> unsolicited.stream()
                    .anyMatch(m -> m instanceof JsonRpcRequest r && r.method().equals("elicitation/create")));
        }
    }

    @Test
    void anElicitationFromAPluginReachesTheClientThatCalledItAndTheAnswerReturns() {
        ScriptedServer asking = ServerFixture.askingForADate();
        scripted.put("travel", asking);
        gateway.addPlugin(PluginManifest.builder("travel").transport(TransportSpec.Stdio.of("travel")).build()).join();
        ServerSession session = initialized("2025-11-25");

        CompletableFuture<JsonRpcResponse> call = session.handle(new JsonRpcRequest(RequestId.of(1), "tools/call",
                Json.object().put("name", "travel__book")), MessageSink.NONE);
        Await.until("the elicitation reaches the client", WAIT, () -> unsolicited.stream()
                .anyMatch(m -> m instanceof JsonRpcRequest r && r.method().equals("elicitation/create")));
        JsonRpcRequest elicitation = unsolicited.stream().filter(m -> m instanceof JsonRpcRequest).map(JsonRpcRequest.class::cast)
                .findFirst().orElseThrow();
        assertEquals("Which date?", elicitation.params().path("message").asText());
        session.handle(JsonRpcResponse.success(elicitation.id(), Json.object().put("action", "accept")), MessageSink.NONE);

        Await.until("the answer reaches the plugin under its own id", WAIT, () -> asking.received().stream()
                .anyMatch(m -> m instanceof JsonRpcResponse r && r.id().equals(RequestId.of("srv-1"))
                        && "accept".equals(r.result().path("action").asText())));
        JsonRpcRequest upstreamCall = asking.requests("tools/call").get(0);
        asking.emit(JsonRpcResponse.success(upstreamCall.id(), CallToolResult.text("booked").json()));
        assertEquals("booked", call.orTimeout(10, TimeUnit.SECONDS).join().result().path("content").get(0).path("text").asText());
    }

    @Test
    void theRetryOfAnInputRequiredCallGoesBackToTheInstanceThatAskedForInput() {
        for (String id : List.of("form-1", "form-2")) {
            ScriptedServer form = new ScriptedServer(ScriptedServer.Era.LEGACY);
            form.handle("tools/list", (s, r) -> list(r, "tools", ScriptedServer.tool("fill")));
            form.handle("tools/call", (s, r) -> {
                JsonNode state = r.params().get("requestState");
                if (state == null) {
                    ObjectNode needInput = Json.object().put("resultType", "input_required").put("requestState", "state-" + id);
                    needInput.putObject("inputRequests").putObject("name").put("method", "elicitation/create");
                    return JsonRpcResponse.success(r.id(), needInput);
                }
                return JsonRpcResponse.success(r.id(), CallToolResult.text(id + " finished " + state.asText()).json());
            });
            scripted.put(id, form);
        }
        gateway.addPlugin(PluginManifest.builder("form").transport(TransportSpec.Stdio.of("form")).build(), 2).join();

        for (int i = 0; i < 6; i++) {
            ObjectNode first = modernParams().put("name", "form__fill");
            ((ObjectNode) first.path("_meta").path(ProtocolVersions.META_CLIENT_CAPABILITIES)).putObject("elicitation");
            JsonRpcResponse asked = request(server.statelessSession(), "tools/call", first);
            assertEquals("input_required", asked.result().path("resultType").asText(), "passed through untouched");
            String state = asked.result().path("requestState").asText();
            String asker = state.substring("state-".length());

            ObjectNode retry = modernParams().put("name", "form__fill").put("requestState", state);
            ((ObjectNode) retry.path("_meta").path(ProtocolVersions.META_CLIENT_CAPABILITIES)).putObject("elicitation");
            retry.putObject("inputResponses").putObject("name").put("action", "accept");
            JsonRpcResponse done = request(server.statelessSession(), "tools/call", retry);
            assertEquals(asker + " finished " + state, done.result().path("content").get(0).path("text").asText());
        }
    }

    @Test
    void statelessClientsHearOfListChangesOnTheirListenStream() {
        // No plugin yet, so no change is being announced while the listen opens: what the stream hears after its
        // acknowledgment is the registration below. (The next test opens listens while changes are announced.)
        ServerSession stateless = server.statelessSession();
        List<JsonRpcMessage> stream = new CopyOnWriteArrayList<>();
        ObjectNode params = modernParams();
        params.putObject("notifications").put("toolsListChanged", true);

        CompletableFuture<JsonRpcResponse> listening = stateless.handle(
                new JsonRpcRequest(RequestId.of(42), "subscriptions/listen", params), stream::add);

        JsonRpcNotification ack = (JsonRpcNotification) stream.get(0);
        assertEquals("notifications/subscriptions/acknowledged", ack.method());
        assertTrue(ack.params().path("notifications").path("toolsListChanged").asBoolean());
        assertFalse(ack.params().path("notifications").path("promptsListChanged").asBoolean(), "not asked for");
        assertEquals(42, ack.params().path("_meta").path("io.modelcontextprotocol/subscriptionId").asInt());
        assertFalse(listening.isDone(), "the listen request stays open");

        gateway.registerInProcess(InProcessPlugin.builder("more").tool("x", "x", (a, c) -> CallToolResult.text("x"))
                .build()).join();
        Await.until("the change reaches the listen stream", WAIT, () -> stream.size() >= 2);
        for (JsonRpcMessage message : stream.subList(1, stream.size())) {
            JsonRpcNotification changed = (JsonRpcNotification) message;
            assertEquals("notifications/tools/list_changed", changed.method());
            assertEquals(42, changed.params().path("_meta").path("io.modelcontextprotocol/subscriptionId").asInt());
        }

        stateless.close(); // the HTTP client went away
        assertTrue(listening.orTimeout(10, TimeUnit.SECONDS).join().isError(), "the listen request ended with its client");
        ServerSession legacy = initialized("2025-11-25");
        assertEquals(ErrorCodes.METHOD_NOT_FOUND, request(legacy, "subscriptions/listen", Json.object()).error().code());
    }

    @Test
    void aListenStreamIsAcknowledgedBeforeAnyChangeReachesItEvenWhileChangesAreAnnounced() throws Exception {
        // No debounce, and the tool list changing all the time: changes are announced while listens are opened.
        try (ServerFixture busy = new ServerFixture(ServerOptions.defaults().withListChangedDebounce(Duration.ZERO))) {
            AtomicBoolean done = new AtomicBoolean();
            Thread churn = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    PluginInstance added = busy.gateway.registerInProcess(InProcessPlugin.builder("churn")
                            .tool("x", "x", (a, c) -> CallToolResult.text("x")).build()).join();
                    busy.gateway.registry().deregister(added.id()).join();
                }
            });
            try {
                for (int i = 0; i < 500; i++) {
                    List<JsonRpcMessage> stream = new CopyOnWriteArrayList<>();
                    ObjectNode params = modernParams();
                    params.putObject("notifications").put("toolsListChanged", true);
                    ServerSession client = busy.server.statelessSession();
                    client.handle(new JsonRpcRequest(RequestId.of(i), "subscriptions/listen", params), stream::add);
                    assertEquals("notifications/subscriptions/acknowledged",
                            ((JsonRpcNotification) stream.get(0)).method(), "listen " + i + " heard first " + stream);
                    client.close(); // ends its listen, so that each change is announced to one or two streams only
                }
            } finally {
                done.set(true);
                churn.join();
            }
        }
    }
}
