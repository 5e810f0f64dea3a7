package dev.mcpgateway.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        CompletableFuture<JsonNode> firstRound = start(first);
        AtomicReference<InputRequiredBridge.Call> second = new AtomicReference<>();
        start(second);
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

    private EngineSession session() {
        return new EngineSession(engine, "session", null, false, false, null, null, null);
    }

    private <T> CompletableFuture<JsonNode> serve(EngineSession session, CompletableFuture<T> plugin,
                                                  Function<T, JsonNode> result) {
        ObjectNode params = Json.object().put("name", "book");
        Incoming in = new Incoming(session, new JsonRpcRequest(RequestId.of(1), "tools/call", params), params,
                MessageSink.NONE, true, new AtomicReference<>());
        return bridge.serve(in, "book", false, call -> plugin, result);
    }

    private CompletableFuture<JsonNode> start(AtomicReference<InputRequiredBridge.Call> started) {
        ObjectNode params = Json.object().put("name", "book");
        Incoming in = new Incoming(session(), new JsonRpcRequest(RequestId.of(1), "tools/call", params), params,
                MessageSink.NONE, true, new AtomicReference<>());
        return bridge.serve(in, "book", false, call -> {
            started.set(call);
            return new CompletableFuture<JsonNode>();
        }, Function.identity()).exceptionally(error -> null); // input_required the capabilities do not allow: refused
    }

    private static JsonRpcRequest question() {
        return new JsonRpcRequest(RequestId.of("srv-1"), "roots/list", null);
    }
}
