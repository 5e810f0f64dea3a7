package dev.mcpgateway.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The questions relayed to one client session, each waiting for the client's answer. */
class ClientQuestionsTest {
    @Test
    void aSessionThatAsksNothingHoldsNothing() {
        ClientQuestions questions = new ClientQuestions();

        assertFalse(questions.answer(JsonRpcResponse.success(RequestId.of("gw-1"), Json.object())));
        questions.withdraw(RequestId.of("gw-1"), "unused");
        questions.endAll();

        assertFalse(questions.everAsked());
    }

    @Test
    void anAnswerReachesItsQuestionOnceAndTheSessionsEndFailsTheRest() {
        ClientQuestions questions = new ClientQuestions();
        CompletableFuture<JsonNode> answered = questions.open(RequestId.of("gw-1"));
        CompletableFuture<JsonNode> open = questions.open(RequestId.of("gw-2"));

        assertTrue(questions.answer(JsonRpcResponse.success(RequestId.of("gw-1"), Json.object().put("ok", true))));
        assertFalse(questions.answer(JsonRpcResponse.success(RequestId.of("gw-1"), Json.object())), "answered once");
        questions.endAll();

        assertTrue(answered.join().path("ok").asBoolean());
        assertEquals("The client session ended before it answered",
                assertThrows(CompletionException.class, open::join).getCause().getMessage());
    }
}
