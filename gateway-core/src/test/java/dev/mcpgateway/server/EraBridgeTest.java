package dev.mcpgateway.server;

import static dev.mcpgateway.server.ServerFixture.list;
import static dev.mcpgateway.server.ServerFixture.modernParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway between the eras: a legacy plugin's requests reach a 2026-07-28 client as {@code input_required}
 * results, and a 2026-07-28 plugin's {@code input_required} reaches a legacy client as requests of its own era.
 */
class EraBridgeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ServerFixture fixture = new ServerFixture(ServerOptions.defaults()
            .withInputRequired(Duration.ofMillis(200), 2));

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A legacy plugin whose {@code book} tool asks its client for a date. */
    private ScriptedServer askingPlugin() {
        return ServerFixture.askingForADate();
    }

    /** Adds {@link #askingPlugin()} as the plugin {@code travel}. */
    private ScriptedServer travel() {
        ScriptedServer asking = askingPlugin();
        fixture.plugin("travel", asking);
        return asking;
    }

    /** A 2026-07-28 client that can answer elicitations calls {@code travel__book}: the first round, input_required. */
    private JsonNode booking() {
        return fixture.request(fixture.server.statelessSession(), "tools/call",
                modernParams("elicitation").put("name", "travel__book")).result();
    }

    private static ObjectNode elicitation(String message) {
        ObjectNode params = Json.object().put("message", message);
        params.putObject("requestedSchema").put("type", "object");
        return params;
    }

    private static JsonRpcResponse answered(ScriptedServer plugin, String id) {
        Await.until("the plugin's request " + id + " is answered", WAIT, () -> plugin.received().stream()
                .anyMatch(m -> m instanceof JsonRpcResponse r && r.id().equals(RequestId.of(id))));
        return plugin.received().stream().filter(m -> m instanceof JsonRpcResponse r && r.id().equals(RequestId.of(id)))
                .map(JsonRpcResponse.class::cast).findFirst().orElseThrow();
    }

    static ObjectNode retry(String tool, JsonNode interim, Map<String, ObjectNode> answers) {
        ObjectNode params = modernParams("elicitation").put("name", tool);
        params.set("requestState", interim.get("requestState"));
        ObjectNode responses = params.putObject("inputResponses");
        answers.forEach(responses::set);
        return params;
    }

    static ObjectNode accept(String field, String value) {
        ObjectNode answer = Json.object().put("action", "accept");
        answer.putObject("content").put(field, value);
        return answer;
    }

    @Test
    void aLegacyPluginsElicitationReachesAModernClientAsInputRequiredAndTheRetryAnswersIt() {
        ScriptedServer asking = travel();

        ServerSession first = fixture.server.statelessSession();
        JsonRpcResponse interim = fixture.request(first, "tools/call", modernParams("elicitation").put("name", "travel__book"));
        first.close(); // the HTTP request ended with its answer; the plugin's call must live on

        JsonNode result = interim.result();
        assertEquals("input_required", result.path("resultType").asText());
        Map.Entry<String, JsonNode> question = result.path("inputRequests").properties().iterator().next();
        assertEquals("elicitation/create", question.getValue().path("method").asText());
        assertEquals("Which date?", question.getValue().path("params").path("message").asText());
        assertTrue(result.path("requestState").asText().startsWith("mcpgw1."), "the gateway's own sealed state");
        assertFalse(result.has("ttlMs"), "interim results carry no caching hints");
        assertTrue(asking.notifications("notifications/cancelled").isEmpty(), "the plugin's call is still open");

        CompletableFuture<JsonRpcResponse> done = fixture.send(fixture.server.statelessSession(), "tools/call",
                retry("travel__book", result, Map.of(question.getKey(), accept("date", "2026-12-24"))), m -> false);
        JsonRpcResponse answer = answered(asking, "srv-1");
        assertEquals("2026-12-24", answer.result().path("content").path("date").asText(), "the client's answer, unchanged");
        asking.emit(JsonRpcResponse.success(asking.requests("tools/call").get(0).id(), CallToolResult.text("booked").json()));

        JsonNode finished = done.orTimeout(10, TimeUnit.SECONDS).join().result();
        assertEquals("complete", finished.path("resultType").asText());
        assertEquals("booked", finished.path("content").get(0).path("text").asText());
        assertEquals(1, asking.requests("tools/call").size(), "the retry never reached the plugin as a new call");
    }

    @Test
    void aPluginAskingAgainGetsASecondRoundAndUnansweredQuestionsAreAskedAgain() {
        ScriptedServer asking = travel();
        JsonNode firstRound = booking();
        String key = firstRound.path("inputRequests").properties().iterator().next().getKey();

        JsonNode again = fixture.request(fixture.server.statelessSession(), "tools/call",
                retry("travel__book", firstRound, Map.of())).result();
        assertEquals("input_required", again.path("resultType").asText(), "nothing answered: asked again");
        assertTrue(again.path("inputRequests").has(key));

        CompletableFuture<JsonRpcResponse> second = fixture.send(fixture.server.statelessSession(), "tools/call",
                retry("travel__book", again, Map.of(key, accept("date", "2026-12-24"))), m -> false);
        answered(asking, "srv-1");
        asking.emit(new JsonRpcRequest(RequestId.of("srv-2"), "elicitation/create", elicitation("Which seat?")));
        JsonNode secondRound = second.orTimeout(10, TimeUnit.SECONDS).join().result();
        assertEquals("input_required", secondRound.path("resultType").asText());
        Map.Entry<String, JsonNode> seat = secondRound.path("inputRequests").properties().iterator().next();
        assertEquals("Which seat?", seat.getValue().path("params").path("message").asText());

        CompletableFuture<JsonRpcResponse> third = fixture.send(fixture.server.statelessSession(), "tools/call",
                retry("travel__book", secondRound, Map.of(seat.getKey(), accept("seat", "12A"))), m -> false);
        assertEquals("12A", answered(asking, "srv-2").result().path("content").path("seat").asText());
        asking.emit(JsonRpcResponse.success(asking.requests("tools/call").get(0).id(), CallToolResult.text("ok").json()));
        assertEquals("ok", third.orTimeout(10, TimeUnit.SECONDS).join().result().path("content").get(0).path("text").asText());
    }

    @Test
    void aStateThatWasAlteredNamesAnotherToolOrOutlivedItsCallIsRefused() {
        ScriptedServer asking = travel();
        JsonNode interim = booking();
        String state = interim.path("requestState").asText();

        ObjectNode altered = retry("travel__book", interim, Map.of());
        altered.put("requestState", state.substring(0, state.length() - 2) + (state.endsWith("A") ? "BB" : "AA"));
        JsonRpcResponse refused = fixture.request(fixture.server.statelessSession(), "tools/call", altered);
        assertEquals(ErrorCodes.INVALID_PARAMS, refused.error().code());
        assertTrue(refused.error().message().contains("fails verification"), refused.error().message());

        asking.handle("tools/list", (s, r) -> list(r, "tools", ScriptedServer.tool("cancel")));
        fixture.scripted.put("other", new ScriptedServer(ScriptedServer.Era.LEGACY));
        fixture.gateway.addPlugin(PluginManifest.builder("other").transport(TransportSpec.Stdio.of("other")).build()).join();
        JsonRpcResponse otherTool = fixture.request(fixture.server.statelessSession(), "tools/call",
                retry("other__echo", interim, Map.of()));
        assertEquals(ErrorCodes.INVALID_PARAMS, otherTool.error().code());
        assertTrue(otherTool.error().message().contains("another request"), otherTool.error().message());

        // Never retried in time: the plugin is answered with an error and its call cancelled.
        JsonRpcResponse gaveUp = answered(asking, "srv-1");
        assertTrue(gaveUp.isError());
        assertTrue(gaveUp.error().message().contains("did not retry"), gaveUp.error().message());
        Await.until("the plugin's call is cancelled", WAIT,
                () -> !asking.notifications("notifications/cancelled").isEmpty());
        JsonRpcResponse late = fixture.request(fixture.server.statelessSession(), "tools/call",
                retry("travel__book", interim, Map.of()));
        assertEquals(ErrorCodes.INVALID_PARAMS, late.error().code());
        assertTrue(late.error().message().contains("has ended") || late.error().message().contains("expired"),
                late.error().message());
    }

    @Test
    void aModernClientWithoutTheCapabilityIsNotAskedAndSuspensionsAreBounded() {
        ScriptedServer asking = travel();
        CompletableFuture<JsonRpcResponse> call = fixture.send(fixture.server.statelessSession(), "tools/call",
                modernParams().put("name", "travel__book"), m -> false);
        JsonRpcResponse refused = answered(asking, "srv-1");
        assertEquals(ErrorCodes.METHOD_NOT_FOUND, refused.error().code());
        assertTrue(refused.error().message().contains("'elicitation' capability"), refused.error().message());
        assertFalse(call.isDone(), "the plugin decides what its call does next");
        asking.emit(JsonRpcResponse.success(asking.requests("tools/call").get(0).id(), CallToolResult.error("no date").json()));
        assertTrue(call.orTimeout(10, TimeUnit.SECONDS).join().result().path("isError").asBoolean());
    }

    @Test
    void aRetryNoLongerDeclaringTheCapabilityIsRefusedAndMayBeSentAgainDeclaringIt() {
        // Its own fixture: three rounds must fit in the input timeout, which this class keeps at 200 ms elsewhere.
        try (ServerFixture patient = new ServerFixture(ServerOptions.defaults()
                .withInputRequired(Duration.ofSeconds(30), 2))) {
            ScriptedServer asking = askingPlugin();
            patient.plugin("travel", asking);
            JsonNode interim = patient.request(patient.server.statelessSession(), "tools/call",
                    modernParams("elicitation").put("name", "travel__book")).result();
            String key = interim.path("inputRequests").properties().iterator().next().getKey();

            // Asked again, the question needs a capability the retry no longer declares: -32021 says which. The call
            // waits on, so the client can send its retry again declaring it, and is asked again.
            ObjectNode withoutElicitation = retry("travel__book", interim, Map.of());
            withoutElicitation.set("_meta", modernParams().get("_meta"));
            JsonRpcResponse refused = patient.request(patient.server.statelessSession(), "tools/call",
                    withoutElicitation);
            assertEquals(ErrorCodes.MISSING_CLIENT_CAPABILITY, refused.error().code());
            assertTrue(refused.error().data().path("requiredCapabilities").has("elicitation"),
                    refused.error().toString());
            assertTrue(asking.notifications("notifications/cancelled").isEmpty(), "the plugin's call is still open");

            JsonNode again = patient.request(patient.server.statelessSession(), "tools/call",
                    retry("travel__book", interim, Map.of())).result();
            assertEquals("input_required", again.path("resultType").asText(), "declared again: asked again");
            assertTrue(again.path("inputRequests").has(key), again.toString());

            CompletableFuture<JsonRpcResponse> done = patient.send(patient.server.statelessSession(), "tools/call",
                    retry("travel__book", again, Map.of(key, accept("date", "2026-12-24"))), m -> false);
            assertEquals("2026-12-24", answered(asking, "srv-1").result().path("content").path("date").asText());
            asking.emit(JsonRpcResponse.success(asking.requests("tools/call").get(0).id(),
                    CallToolResult.text("booked").json()));
            assertEquals("booked", done.orTimeout(10, TimeUnit.SECONDS).join().result().path("content").get(0)
                    .path("text").asText());
        }
    }

    @Test
    void atMostTheConfiguredNumberOfCallsWaitForTheirClientsInput() {
        // One instance per call: a plugin's request can be relayed only while one client has calls on its instance.
        for (int i = 1; i <= 3; i++) {
            fixture.scripted.put("travel-" + i, askingPlugin());
        }
        fixture.gateway.addPlugin(PluginManifest.builder("travel").transport(TransportSpec.Stdio.of("travel")).build(), 3)
                .join();
        for (int i = 1; i <= 2; i++) { // the limit is 2
            assertEquals("input_required", booking().path("resultType").asText());
        }
        fixture.send(fixture.server.statelessSession(), "tools/call", modernParams("elicitation")
                .put("name", "travel__book"), m -> false);
        Await.until("the third plugin's request is refused", WAIT, () -> refusals().size() == 1);
        JsonRpcResponse refused = refusals().get(0);
        assertEquals(ErrorCodes.OVERLOADED, refused.error().code(), "refused at once beyond the limit");
    }

    private List<JsonRpcResponse> refusals() {
        return fixture.scripted.values().stream().flatMap(plugin -> plugin.received().stream())
                .filter(m -> m instanceof JsonRpcResponse r && r.isError()).map(JsonRpcResponse.class::cast).toList();
    }

    /** A 2026-07-28 plugin whose {@code fill} tool needs a name by input_required, and says which instance served. */
    private static ScriptedServer formPlugin(String id) {
        ScriptedServer form = new ScriptedServer(ScriptedServer.Era.MODERN);
        form.handle("tools/list", (s, r) -> list(r, "tools", ScriptedServer.tool("fill")));
        form.handle("tools/call", (s, r) -> {
            JsonNode responses = r.params().get("inputResponses");
            if (responses == null) {
                ObjectNode needInput = Json.object().put("resultType", "input_required").put("requestState", "s-" + id);
                ObjectNode question = needInput.putObject("inputRequests").putObject("who")
                        .put("method", "elicitation/create");
                question.set("params", elicitation("Your name?"));
                return JsonRpcResponse.success(r.id(), needInput);
            }
            return JsonRpcResponse.success(r.id(), CallToolResult.text("Hello " + responses.path("who").path("content")
                    .path("name").asText() + " from " + r.params().path("requestState").asText()).json());
        });
        return form;
    }

    @Test
    void aModernPluginsInputRequiredReachesALegacyClientAsElicitationAndTheRetryGoesBackToTheSameInstance() {
        fixture.scripted.put("form-1", formPlugin("form-1"));
        fixture.scripted.put("form-2", formPlugin("form-2"));
        fixture.gateway.addPlugin(PluginManifest.builder("form").transport(TransportSpec.Stdio.of("form")).build(), 2).join();
        ServerSession legacy = fixture.initialized("2025-06-18", "elicitation");

        for (int i = 0; i < 4; i++) {
            List<JsonRpcMessage> stream = new CopyOnWriteArrayList<>();
            CompletableFuture<JsonRpcResponse> call = fixture.send(legacy, "tools/call",
                    Json.object().put("name", "form__fill"), message -> stream.add(message));
            Await.until("the elicitation reaches the legacy client", WAIT, () -> !stream.isEmpty());
            JsonRpcRequest asked = (JsonRpcRequest) stream.get(0);
            assertEquals("elicitation/create", asked.method());
            assertEquals("Your name?", asked.params().path("message").asText());
            legacy.handle(JsonRpcResponse.success(asked.id(), accept("name", "Ada")), MessageSink.NONE);

            JsonNode result = call.orTimeout(10, TimeUnit.SECONDS).join().result();
            String text = result.path("content").get(0).path("text").asText();
            assertTrue(text.matches("Hello Ada from s-form-[12]"), text);
            assertFalse(result.has("resultType") && "input_required".equals(result.path("resultType").asText()));
        }
        int served1 = fixture.scripted.get("form-1").requests("tools/call").size();
        int served2 = fixture.scripted.get("form-2").requests("tools/call").size();
        assertEquals(8, served1 + served2);
        assertEquals(0, served1 % 2, "every retry went to the instance that asked (its calls come in pairs)");
    }

    @Test
    void aLegacyClientWithoutTheCapabilityGetsAToolErrorSayingWhatWasNeeded() {
        fixture.plugin("form", formPlugin("form-1"));
        ServerSession legacy = fixture.initialized("2025-11-25");

        JsonNode result = fixture.request(legacy, "tools/call", Json.object().put("name", "form__fill")).result();
        assertTrue(result.path("isError").asBoolean());
        String text = result.path("content").get(0).path("text").asText();
        assertTrue(text.contains("'elicitation' capability") && text.contains("Your name?"), text);
    }

    /** A legacy plugin whose prompt asks its client for a topic before it is rendered. */
    private static ScriptedServer askingPrompt() {
        ScriptedServer plugin = new ScriptedServer(ScriptedServer.Era.LEGACY);
        plugin.handle("initialize", (s, r) -> {
            ObjectNode result = Json.object().put("protocolVersion", r.params().path("protocolVersion").asText());
            result.putObject("capabilities").putObject("prompts");
            return JsonRpcResponse.success(r.id(), result);
        });
        plugin.handle("prompts/list", (s, r) -> list(r, "prompts", Json.object().put("name", "essay")));
        plugin.handle("prompts/get", (s, r) -> {
            s.emit(new JsonRpcRequest(RequestId.of("srv-1"), "elicitation/create", elicitation("Which topic?")));
            return null;
        });
        return plugin;
    }

    @Test
    void aLegacyPluginAskingDuringPromptsGetIsBridgedForAModernClientAndRelayedForALegacyOne() {
        ScriptedServer plugin = askingPrompt();
        fixture.plugin("writer", plugin);

        JsonNode interim = fixture.request(fixture.server.statelessSession(), "prompts/get",
                modernParams("elicitation").put("name", "writer__essay")).result();
        assertEquals("input_required", interim.path("resultType").asText());
        String key = interim.path("inputRequests").properties().iterator().next().getKey();
        ObjectNode retry = modernParams("elicitation").put("name", "writer__essay");
        retry.set("requestState", interim.get("requestState"));
        retry.putObject("inputResponses").set(key, accept("topic", "bridges"));
        CompletableFuture<JsonRpcResponse> done = fixture.send(fixture.server.statelessSession(), "prompts/get", retry,
                m -> false);
        assertEquals("bridges", answered(plugin, "srv-1").result().path("content").path("topic").asText());
        ObjectNode rendered = Json.object();
        rendered.putArray("messages").addObject().put("role", "user").putObject("content").put("type", "text")
                .put("text", "An essay on bridges");
        plugin.emit(JsonRpcResponse.success(plugin.requests("prompts/get").get(0).id(), rendered));
        assertEquals("An essay on bridges", done.orTimeout(10, TimeUnit.SECONDS).join().result().path("messages").get(0)
                .path("content").path("text").asText());

        ServerSession legacy = fixture.initialized("2025-11-25", "elicitation");
        CompletableFuture<JsonRpcResponse> legacyCall = fixture.send(legacy, "prompts/get",
                Json.object().put("name", "writer__essay"), m -> false);
        Await.until("the legacy client is asked directly", WAIT, () -> fixture.unsolicited.stream()
                .anyMatch(m -> m instanceof JsonRpcRequest r && r.method().equals("elicitation/create")));
        assertFalse(legacyCall.isDone());
    }
}
