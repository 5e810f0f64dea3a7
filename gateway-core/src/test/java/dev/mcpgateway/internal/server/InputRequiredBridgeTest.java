package dev.mcpgateway.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.server.MessageSink;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.server.SessionStore;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bridge's bookkeeping of calls waiting for their client's retry. */
class InputRequiredBridgeTest {
    private final McpGateway gateway = McpGateway.builder().build();
    private final ServerEngine engine = new ServerEngine(gateway, ServerOptions.defaults(), SessionStore.none());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    /** At most one suspended call; no call expires while a test runs. */
    private final InputRequiredBridge bridge = new InputRequiredBridge(timer, Duration.ofHours(1), 1, "tag");

    @AfterEach
    void close() {
        bridge.close();
        timer.shutdownNow();
        engine.close();
        gateway.close();
    }

    @Test
    void onlyTheCallsThatSuspendCountAgainstTheLimitAndASuspendedOneMayAskMore() {
        AtomicReference<InputRequiredBridge.Call> first = new AtomicReference<>();
        CompletableFuture<JsonNode> firstRound = start(first, new CompletableFuture<>());
        AtomicReference<InputRequiredBridge.Call> second = new AtomicReference<>();
        start(second, new CompletableFuture<>());
        assertEquals(0, bridge.suspendedCalls(), "calls that asked nothing are not waiting");

        CompletableFuture<JsonNode> asked = first.get().ask(question());
        assertTrue(firstRound.isDone(), "the round ended with input_required");
        assertEquals(1, bridge.suspendedCalls());

        JsonRpcException refused = (JsonRpcException) assertThrows(CompletionException.class,
                () -> second.get().ask(question()).join()).getCause();
        assertEquals(ErrorCodes.OVERLOADED, refused.code());
        assertFalse(first.get().ask(question()).isDone(), "the waiting call may ask again");
        assertFalse(asked.isDone());
    }

    @Test
    void thePluginsAnswerIsReadAsItArrivesAndAFailureToReadItFailsTheRequest() {
        CompletableFuture<String> plugin = new CompletableFuture<>();
        CompletableFuture<JsonNode> read = serve(session(), plugin, answer -> Json.object().put("said", answer));
        plugin.complete("hello");
        assertEquals("hello", read.join().path("said").asText());

        CompletableFuture<String> another = new CompletableFuture<>();
        IllegalStateException unreadable = new IllegalStateException("unreadable");
        CompletableFuture<JsonNode> failed = serve(session(), another, answer -> {
            throw unreadable;
        });
        another.complete("garbled");
        assertEquals(unreadable, assertThrows(CompletionException.class, failed::join).getCause());
    }

    @Test
    void aClientGivingUpMidRoundCancelsThePluginsCall() {
        EngineSession session = session();
        CompletableFuture<String> plugin = new CompletableFuture<>();
        CompletableFuture<JsonNode> round = serve(session, plugin, answer -> Json.object());

        session.close(); // the client went away

        assertTrue(round.isCancelled());
        assertTrue(plugin.isCancelled(), "the cancellation reached the future the plugin's call returned");
    }

    @Test
    void aRetryThatCannotAnswerEndsItsCallAtOnceAndFreesItsPlace() {
        CompletableFuture<JsonNode> plugin = new CompletableFuture<>();
        AtomicReference<InputRequiredBridge.Call> started = new AtomicReference<>();
        CompletableFuture<JsonNode> firstRound = start(started, plugin);
        CompletableFuture<JsonNode> asked = started.get().ask(question());
        JsonNode interim = firstRound.join();
        assertEquals("input_required", interim.path("resultType").asText());
        assertEquals(1, bridge.suspendedCalls());

        // The client comes back without an answer, and no longer declares roots: it is asked what it cannot answer.
        ObjectNode retry = Json.object().put("name", "book").set("requestState", interim.get("requestState"));
        CompletableFuture<JsonNode> refusedRound = serve(session(), retry, call -> fail("the retry starts no call"));

        assertEquals(ErrorCodes.MISSING_CLIENT_CAPABILITY, failure(refusedRound).code());
        assertEquals(0, bridge.suspendedCalls(), "at once, not after inputRequiredTimeout (an hour)");
        assertCannotAnswer(asked);
        assertTrue(plugin.isCancelled(), "the plugin's call is cancelled");
        JsonRpcException gone = assertThrows(JsonRpcException.class,
                () -> serve(session("roots"), retry, call -> fail("the retry starts no call")));
        assertTrue(gone.getMessage().contains("has ended"), "the call is gone for good: " + gone.getMessage());

        // Its place is free again: with a limit of 1, another call suspends.
        AtomicReference<InputRequiredBridge.Call> next = new AtomicReference<>();
        CompletableFuture<JsonNode> nextRound = start(next, new CompletableFuture<>());
        next.get().ask(question());
        assertEquals("input_required", nextRound.join().path("resultType").asText());
        assertEquals(1, bridge.suspendedCalls());
    }

    @Test
    void aFirstRoundThatCannotBeAnsweredEndsTheCallAndCancelsThePluginsRequestOnceFollowed() {
        CompletableFuture<JsonNode> plugin = new CompletableFuture<>();
        AtomicReference<CompletableFuture<JsonNode>> asked = new AtomicReference<>();
        // The plugin asks before the gateway's request to it is followed, of a client that declared nothing.
        CompletableFuture<JsonNode> round = serve(session(), Json.object().put("name", "book"), call -> {
            asked.set(call.ask(question()));
            return plugin;
        });

        assertEquals(ErrorCodes.MISSING_CLIENT_CAPABILITY, failure(round).code());
        assertEquals(0, bridge.suspendedCalls());
        assertCannotAnswer(asked.get());
        assertTrue(plugin.isCancelled(), "cancelled as soon as it was followed");
    }

    /** A session whose client declared these capabilities, as a shared session's record brings them. */
    private EngineSession session(String... capabilities) {
        ObjectNode declared = Json.object();
        for (String capability : capabilities) {
            declared.putObject(capability);
        }
        return EngineSession.adopted(engine, new SessionRecord("session", "2025-11-25", declared, null, null, null,
                Set.of()), null);
    }

    private <T> CompletableFuture<JsonNode> serve(EngineSession session, CompletableFuture<T> plugin,
                                                  Function<T, JsonNode> result) {
        ObjectNode params = Json.object().put("name", "book");
        return bridge.serve(incoming(session, params), "book", false, call -> plugin, result);
    }

    private CompletableFuture<JsonNode> serve(EngineSession session, ObjectNode params,
                                              Function<InputRequiredBridge.Call, CompletableFuture<JsonNode>> send) {
        return bridge.serve(incoming(session, params), "book", false, send, Function.identity());
    }

    private static Incoming incoming(EngineSession session, ObjectNode params) {
        return new Incoming(session, new JsonRpcRequest(RequestId.of(1), "tools/call", params), params,
                MessageSink.NONE, true, new AtomicReference<>());
    }

    /** Starts a call of a client that can answer roots/list, whose request to the plugin is {@code plugin}. */
    private CompletableFuture<JsonNode> start(AtomicReference<InputRequiredBridge.Call> started,
                                              CompletableFuture<JsonNode> plugin) {
        return serve(session("roots"), Json.object().put("name", "book"), call -> {
            started.set(call);
            return plugin;
        });
    }

    private static JsonRpcException failure(CompletableFuture<?> future) {
        return (JsonRpcException) assertThrows(CompletionException.class, future::join).getCause();
    }

    /** The plugin's question was answered with an error saying the client lacks the capability. */
    private static void assertCannotAnswer(CompletableFuture<JsonNode> asked) {
        JsonRpcException refused = failure(asked);
        assertEquals(ErrorCodes.METHOD_NOT_FOUND, refused.code());
        assertTrue(refused.getMessage().contains("The client cannot answer") && refused.getMessage().contains("roots"),
                refused.getMessage());
    }

    private static JsonRpcRequest question() {
        return new JsonRpcRequest(RequestId.of("srv-1"), "roots/list", null);
    }
}
