package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The requests this gateway relayed to one client session for its plugins (elicitation, sampling, roots), under ids
 * of the gateway's, each waiting for the client's answer. Thread-safe.
 */
final class ClientQuestions {
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<ClientQuestions, Map> WAITING =
            AtomicReferenceFieldUpdater.newUpdater(ClientQuestions.class, Map.class, "waiting");
    /**
     * The questions waiting, by id; created with the first one, since most sessions ask none (a stateless one, made
     * per request, never does: its client's plugins ask through {@code input_required}).
     */
    private volatile Map<RequestId, CompletableFuture<JsonNode>> waiting;

    /** Starts waiting for the answer to a question asked under {@code id}. */
    CompletableFuture<JsonNode> open(RequestId id) {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        waiting().put(id, answer);
        return answer;
    }

    /** Gives up on a question that could not be asked, failing its waiter with {@code why}. */
    void withdraw(RequestId id, String why) {
        Map<RequestId, CompletableFuture<JsonNode>> questions = waiting;
        CompletableFuture<JsonNode> answer = questions == null ? null : questions.remove(id);
        if (answer != null) {
            answer.completeExceptionally(new JsonRpcException(ErrorCodes.UPSTREAM_UNAVAILABLE, why));
        }
    }

    /** Hands a client's answer to whoever waits for it; false when this gateway asked no such question. */
    boolean answer(JsonRpcResponse response) {
        Map<RequestId, CompletableFuture<JsonNode>> questions = waiting;
        CompletableFuture<JsonNode> answer = questions == null ? null : questions.remove(response.id());
        if (answer == null) {
            return false;
        }
        if (response.isError()) {
            answer.completeExceptionally(new JsonRpcException(response.error().code(), response.error().message(),
                    null, response.error().data(), null));
        } else {
            answer.complete(response.result());
        }
        return true;
    }

    /** The session ended: every question still open fails. */
    void endAll() {
        Map<RequestId, CompletableFuture<JsonNode>> questions = waiting;
        if (questions != null) {
            for (RequestId id : questions.keySet()) {
                withdraw(id, "The client session ended before it answered");
            }
        }
    }

    /** Whether a question was ever asked; for tests. */
    boolean everAsked() {
        return waiting != null;
    }

    private Map<RequestId, CompletableFuture<JsonNode>> waiting() {
        return LazyMaps.of(WAITING, this);
    }
}
