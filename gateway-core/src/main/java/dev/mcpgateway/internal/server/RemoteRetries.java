package dev.mcpgateway.internal.server;

import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.server.MessageSink;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A 2026-07-28 client's retry of an {@code input_required} round that reached another gateway than the one holding
 * its suspended call (the gateway's {@code requestState} names it): sent there over the sessions' bus, served there
 * as a stateless request of the same principal and virtual server, and its response sent back. The gateway meant
 * confirms receipt at once; a retry it does not confirm in time (it stopped, or Redis is away) is answered with
 * {@code -32602}, as a retry whose call ended is, so the client starts over.
 */
final class RemoteRetries {
    /** How long a receipt may take at most: a live gateway sends it within milliseconds. */
    private static final Duration MAX_RECEIPT_WAIT = Duration.ofSeconds(5);

    /** A retry sent away, waiting for its receipt and then its response. */
    private record Waiting(CompletableFuture<JsonRpcResponse> response, ScheduledFuture<?> receipt) {
    }

    private final ServerEngine engine;
    private final SharedSessions shared;
    private final ScheduledExecutorService timer;
    private final Duration receiptWait;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    /**
     * @param inputRequiredTimeout how long a suspended call waits for its retry; a receipt is awaited no longer,
     *                             since the call would be gone by then anyway
     */
    RemoteRetries(ServerEngine engine, SharedSessions shared, ScheduledExecutorService timer,
                  Duration inputRequiredTimeout) {
        this.engine = engine;
        this.shared = shared;
        this.timer = timer;
        this.receiptWait = inputRequiredTimeout.compareTo(MAX_RECEIPT_WAIT) < 0 ? inputRequiredTimeout
                : MAX_RECEIPT_WAIT;
    }

    /** Sends a retry to the gateway {@code owner}; completes with its response. */
    CompletableFuture<JsonRpcResponse> forward(String owner, EngineSession session, JsonRpcRequest request) {
        String corr = UUID.randomUUID().toString();
        CompletableFuture<JsonRpcResponse> response = new CompletableFuture<>();
        ScheduledFuture<?> receipt = timer.schedule(() -> {
            if (waiting.remove(corr) != null) {
                response.complete(JsonRpcResponse.failure(request.id(), ErrorCodes.INVALID_PARAMS, "Invalid "
                        + "requestState: the gateway that issued it did not take the retry within " + receiptWait.toMillis()
                        + " ms (it may have stopped); send the request again without requestState and inputResponses"));
            }
        }, receiptWait.toNanos(), TimeUnit.NANOSECONDS);
        waiting.put(corr, new Waiting(response, receipt));
        response.whenComplete((done, error) -> {
            receipt.cancel(false);
            waiting.remove(corr); // also when the client left and the call was cancelled
        });
        shared.send("resume", session.id(), owner, corr, session.record(), request);
        return response;
    }

    /** A {@code resume}, {@code accepted} or {@code resumed} message meant for this gateway. */
    void received(SharedSessions.Message message) {
        switch (message.kind()) {
            case "resume" -> serve(message);
            case "accepted" -> {
                Waiting sent = waiting.get(message.corr());
                if (sent != null) {
                    sent.receipt().cancel(false);
                }
            }
            case "resumed" -> {
                Waiting sent = waiting.remove(message.corr());
                if (sent != null && message.payload() instanceof JsonRpcResponse response) {
                    sent.response().complete(response);
                }
            }
            default -> throw new IllegalArgumentException("not a retry message: " + message.kind());
        }
    }

    private void serve(SharedSessions.Message message) {
        EngineSession session = message.data() == null ? null : engine.statelessSession(message.data());
        if (session == null || !(message.payload() instanceof JsonRpcRequest request)) {
            return; // a virtual server this gateway lacks (logged): unconfirmed, the other gateway answers -32602
        }
        shared.send("accepted", message.session(), message.from(), message.corr(), null, null);
        session.handle(request, MessageSink.NONE).whenComplete((response, error) -> {
            session.close();
            if (response != null) {
                shared.send("resumed", message.session(), message.from(), message.corr(), null, response);
            }
        });
    }
}
