package dev.mcpgateway.server;

import static dev.mcpgateway.server.ServerFixture.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.MemorySessionStore;
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
 * Three gateways sharing one session store, as three runners share Redis: a legacy session begun on one is served by
 * every other, request by request, and what only one gateway holds — the client's stream, a question a plugin asked,
 * a plugin subscription — is reached through the others. The Redis store itself is tested in gateway-persistence.
 */
class SharedSessionsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final MemorySessionStore.Hub hub = new MemorySessionStore.Hub();
    /** A suspended call waits a second for its retry, so a retry for a gateway that is gone is refused as soon. */
    private static final ServerOptions OPTIONS = ServerOptions.defaults().withInputRequired(Duration.ofSeconds(1), 16);
    private final ServerFixture a = new ServerFixture(OPTIONS, hub.store());
    private final ServerFixture b = new ServerFixture(OPTIONS, hub.store());
    private final ServerFixture c = new ServerFixture(OPTIONS, hub.store());

    @AfterEach
    void close() {
        a.close();
        b.close();
        c.close();
        hub.close();
    }

    private static ScriptedServer echo() {
        ScriptedServer echo = new ScriptedServer(ScriptedServer.Era.LEGACY);
        echo.handle("tools/list", (s, r) -> list(r, "tools", ScriptedServer.tool("say")));
        echo.handle("tools/call", (s, r) -> JsonRpcResponse.success(r.id(),
                CallToolResult.text("said " + r.params().path("arguments").path("text").asText()).json()));
        return echo;
    }

    private static ObjectNode say(String text) {
        ObjectNode params = Json.object().put("name", "echo__say");
        params.putObject("arguments").put("text", text);
        return params;
    }

    @Test
    void aSessionBegunOnOneGatewayIsServedByTheOthersRequestByRequest() {
        for (ServerFixture gateway : List.of(a, b, c)) {
            gateway.plugin("echo", echo());
        }
        ServerSession begun = a.initialized("2025-06-18", "elicitation");

        ServerSession onB = b.server.session(begun.id()).orElseThrow();
        assertEquals("2025-06-18", onB.protocolVersion(), "the version initialize agreed on travels with the session");
        assertTrue(onB.isInitialized());
        assertEquals("said hi", b.request(onB, "tools/call", say("hi")).result().path("content").get(0)
                .path("text").asText());
        ServerSession onC = c.server.session(begun.id()).orElseThrow();
        assertEquals("said there", c.request(onC, "tools/call", say("there")).result().path("content").get(0)
                .path("text").asText());
        assertTrue(b.request(onB, "initialize", Json.object().put("protocolVersion", "2025-06-18")).isError(),
                "a copy of an initialized session refuses a second initialize as the original does");
        assertTrue(b.server.session("no-such-session").isEmpty());
    }

    @Test
    void aPluginQuestionAskedOnOneGatewayReachesTheStreamOnAnotherAndTheAnswerSentToAThirdReturns() {
        ScriptedServer asking = ServerFixture.askingForADate();
        b.plugin("travel", asking);
        a.plugin("travel", echo());
        c.plugin("travel", echo());
        ServerSession begun = a.initialized("2025-11-25", "elicitation"); // its GET stream is open on A

        ServerSession onB = b.server.session(begun.id()).orElseThrow();
        CompletableFuture<JsonRpcResponse> call = onB.handle(new JsonRpcRequest(RequestId.of(7), "tools/call",
                Json.object().put("name", "travel__book")), MessageSink.NONE);
        Await.until("the question reaches the client's stream on A", WAIT, () -> a.unsolicited.stream()
                .anyMatch(m -> m instanceof JsonRpcRequest r && r.method().equals("elicitation/create")));
        JsonRpcRequest question = (JsonRpcRequest) a.unsolicited.stream()
                .filter(m -> m instanceof JsonRpcRequest).findFirst().orElseThrow();
        assertEquals("Which date?", question.params().path("message").asText());

        ServerSession onC = c.server.session(begun.id()).orElseThrow();
        onC.handle(JsonRpcResponse.success(question.id(), Json.object().put("action", "accept")), MessageSink.NONE);
        Await.until("the answer sent to C reaches the plugin on B under its own id", WAIT, () -> asking.received()
                .stream().anyMatch(m -> m instanceof JsonRpcResponse r && r.id().equals(RequestId.of("srv-1"))
                        && "accept".equals(r.result().path("action").asText())));
        asking.emit(JsonRpcResponse.success(asking.requests("tools/call").get(0).id(),
                CallToolResult.text("booked").json()));
        assertEquals("booked", call.orTimeout(10, TimeUnit.SECONDS).join().result().path("content").get(0)
                .path("text").asText());
    }

    @Test
    void aModernRetryReachingAnotherGatewayIsServedByTheOneHoldingItsSuspendedCall() {
        ScriptedServer asking = ServerFixture.askingForADate();
        b.plugin("travel", asking);
        c.plugin("travel", ServerFixture.askingForADate());
        JsonNode interim = b.request(b.server.statelessSession(), "tools/call",
                ServerFixture.modernParams("elicitation").put("name", "travel__book")).result();
        assertEquals("input_required", interim.path("resultType").asText(), interim.toString());
        String question = interim.path("inputRequests").properties().iterator().next().getKey();

        CompletableFuture<JsonRpcResponse> done = c.send(c.server.statelessSession(), "tools/call",
                EraBridgeTest.retry("travel__book", interim, Map.of(question, EraBridgeTest.accept("date", "2026-12-24"))),
                MessageSink.NONE);
        Await.until("the answer retried on C reaches the plugin's question on B", WAIT, () -> asking.received()
                .stream().anyMatch(m -> m instanceof JsonRpcResponse r && r.id().equals(RequestId.of("srv-1"))));
        asking.emit(JsonRpcResponse.success(asking.requests("tools/call").get(0).id(),
                CallToolResult.text("booked").json()));
        JsonNode finished = done.orTimeout(10, TimeUnit.SECONDS).join().result();
        assertEquals("booked", finished.path("content").get(0).path("text").asText(), finished.toString());
        assertEquals(List.of(), c.scripted.get("travel").requests("tools/call"), "C never called its own plugin");
    }

    @Test
    void aRetryForAGatewayThatIsGoneIsRefusedSoTheClientStartsOver() {
        b.plugin("travel", ServerFixture.askingForADate());
        JsonNode interim = b.request(b.server.statelessSession(), "tools/call",
                ServerFixture.modernParams("elicitation").put("name", "travel__book")).result();
        String question = interim.path("inputRequests").properties().iterator().next().getKey();
        b.close();

        JsonRpcResponse refused = c.send(c.server.statelessSession(), "tools/call",
                EraBridgeTest.retry("travel__book", interim, Map.of(question, EraBridgeTest.accept("date", "soon"))),
                MessageSink.NONE).orTimeout(20, TimeUnit.SECONDS).join();
        assertEquals(ErrorCodes.INVALID_PARAMS, refused.error().code());
        assertTrue(refused.error().message().contains("send the request again without requestState"),
                refused.error().message());
    }

    @Test
    void aCancellationSentToAnotherGatewayCancelsTheCallWhereItRuns() {
        ScriptedServer slow = new ScriptedServer(ScriptedServer.Era.LEGACY);
        slow.handle("tools/list", (s, r) -> list(r, "tools", ScriptedServer.tool("wait")));
        slow.handle("tools/call", (s, r) -> null); // never answers
        b.plugin("slow", slow);
        ServerSession begun = a.initialized("2025-11-25");
        ServerSession onB = b.server.session(begun.id()).orElseThrow();
        CompletableFuture<JsonRpcResponse> call = onB.handle(new JsonRpcRequest(RequestId.of(9), "tools/call",
                Json.object().put("name", "slow__wait")), MessageSink.NONE);
        Await.until("the call reaches the plugin", WAIT, () -> !slow.requests("tools/call").isEmpty());

        ServerSession onC = c.server.session(begun.id()).orElseThrow();
        onC.handle(new JsonRpcNotification("notifications/cancelled", Json.object().put("requestId", 9)),
                MessageSink.NONE);
        JsonRpcResponse cancelled = call.orTimeout(10, TimeUnit.SECONDS).join();
        assertEquals("The request was cancelled", cancelled.error().message());
    }

    @Test
    void aResourceUpdateHeardWhereTheSubscriptionWasMadeReachesTheStreamAndAnUnsubscribeElsewhereReleasesIt() {
        ScriptedServer docs = ResourceSubscriptionsTest.docs(ScriptedServer.Era.LEGACY);
        b.plugin("docs", docs);
        a.plugin("docs", ResourceSubscriptionsTest.docs(ScriptedServer.Era.LEGACY));
        c.plugin("docs", ResourceSubscriptionsTest.docs(ScriptedServer.Era.LEGACY));
        ServerSession begun = a.initialized("2025-11-25");
        ServerSession onB = b.server.session(begun.id()).orElseThrow();
        assertFalse(b.request(onB, "resources/subscribe", Json.object().put("uri", "docs://readme")).isError());

        docs.emit(new JsonRpcNotification("notifications/resources/updated",
                Json.object().put("uri", "docs://readme")));
        Await.until("the update heard on B reaches the client's stream on A", WAIT, () -> a.unsolicited.stream()
                .anyMatch(m -> m instanceof JsonRpcNotification n && n.method().equals(
                        "notifications/resources/updated")));

        ServerSession onC = c.server.session(begun.id()).orElseThrow();
        assertFalse(c.request(onC, "resources/subscribe", Json.object().put("uri", "docs://readme")).isError());
        assertEquals(List.of(), c.scripted.get("docs").requests("resources/subscribe"),
                "subscribing again elsewhere takes no second plugin subscription: the client holds one already");
        assertFalse(c.request(onC, "resources/unsubscribe", Json.object().put("uri", "docs://readme")).isError());
        Await.until("B lets go of its plugin subscription", WAIT,
                () -> !docs.requests("resources/unsubscribe").isEmpty());
    }

    @Test
    void aLogLevelSetOnOneGatewayIsTheSessionsEverywhere() {
        ServerSession begun = a.initialized("2025-11-25");
        ServerSession onB = b.server.session(begun.id()).orElseThrow();
        ServerSession onC = c.server.session(begun.id()).orElseThrow();
        assertFalse(b.request(onB, "logging/setLevel", Json.object().put("level", "error")).isError());

        Await.until("the record says so", WAIT, () -> hub.data(begun.id()).orElse("").contains("\"logLevel\":\"error\""));
        List<JsonRpcMessage> onStream = new CopyOnWriteArrayList<>();
        onC.attach(onStream::add);
        ScriptedServer chatty = new ScriptedServer(ScriptedServer.Era.LEGACY);
        chatty.handle("tools/list", (s, r) -> list(r, "tools", ScriptedServer.tool("talk")));
        chatty.handle("tools/call", (s, r) -> {
            s.emit(new JsonRpcNotification("notifications/message", Json.object().put("level", "info")
                    .put("data", "chatter")));
            s.emit(new JsonRpcNotification("notifications/message", Json.object().put("level", "error")
                    .put("data", "trouble")));
            return JsonRpcResponse.success(r.id(), CallToolResult.text("done").json());
        });
        c.plugin("chatty", chatty);
        Await.until("C's copy has the level B set", WAIT, () -> {
            onStream.clear();
            c.request(onC, "tools/call", Json.object().put("name", "chatty__talk"));
            return onStream.stream().anyMatch(m -> m.toString().contains("trouble"));
        });
        assertTrue(onStream.stream().noneMatch(m -> m.toString().contains("chatter")),
                "a message below the level set on B is not sent: " + onStream);
    }

    @Test
    void endingASessionOnOneGatewayEndsItOnEvery() {
        ServerSession begun = a.initialized("2025-11-25");
        b.server.session(begun.id()).orElseThrow();
        assertTrue(c.server.endSession(begun.id()));

        Await.until("A and B let go of it", WAIT, () -> a.server.session(begun.id()).isEmpty()
                && b.server.session(begun.id()).isEmpty());
        assertTrue(hub.data(begun.id()).isEmpty());
    }

    @Test
    void aCopyHoldingTheStreamGoesOnceTheStoreNoLongerKeepsItsSession() {
        try (ServerFixture quick = new ServerFixture(OPTIONS.withSessionIdleTimeout(Duration.ofMillis(100)),
                hub.store())) {
            ServerSession begun = quick.initialized("2025-11-25"); // its stream is open here
            hub.forget(begun.id()); // ended through another gateway while this one could not hear it

            Await.until("the sweep asks the store about the idle copy", WAIT, () -> hub.reads(begun.id()) > 0);
            Await.until("and lets the copy go", WAIT, () -> quick.server.session(begun.id()).isEmpty());
        }
    }

    @Test
    void aSessionBegunWhileTheStoreIsDownIsServedWhereItBegan() {
        a.plugin("echo", echo());
        hub.down(true);
        ServerSession begun = a.initialized("2025-11-25");
        assertEquals("said alone", a.request(begun, "tools/call", say("alone")).result().path("content").get(0)
                .path("text").asText());
        assertTrue(b.server.session(begun.id()).isEmpty(), "nobody else knows it");
        hub.down(false);
        assertTrue(b.server.session(begun.id()).isEmpty(), "it was never shared");
        assertTrue(a.server.session(begun.id()).isPresent());
    }
}
