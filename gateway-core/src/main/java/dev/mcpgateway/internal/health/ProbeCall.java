package dev.mcpgateway.internal.health;

import static dev.mcpgateway.internal.Futures.unwrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.health.HealthProbe;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.NotSentException;
import dev.mcpgateway.transport.PluginConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Sends one health probe over a plugin connection and judges the answer. */
final class ProbeCall {
    /**
     * What one probe found.
     *
     * @param passed whether the instance proved fit
     * @param detail what happened, short, e.g. {@code ping answered} or {@code ping timed out after 3000 ms}
     */
    record Result(boolean passed, String detail) {
    }

    private ProbeCall() {
    }

    /**
     * Sends the probe.
     *
     * @return completes, never exceptionally, once the plugin answered or the connection gave up (the timeout is
     *         the connection's to keep)
     */
    static CompletableFuture<Result> send(HealthProbe probe, PluginConnection connection, Duration timeout) {
        String what;
        String method;
        JsonNode params;
        switch (probe) {
            case HealthProbe.Protocol p -> {
                // 2026-07-28 removed ping; server/discover is its cheapest request every server answers.
                method = ProtocolVersions.isModern(connection.protocolVersion()) ? "server/discover" : "ping";
                what = method;
                params = null;
            }
            case HealthProbe.ListTools p -> {
                method = "tools/list";
                what = method;
                params = Json.object();
            }
            case HealthProbe.CallTool call -> {
                method = "tools/call";
                what = "tool '" + call.tool() + "'";
                ObjectNode callParams = Json.object().put("name", call.tool());
                callParams.set("arguments", call.arguments());
                params = callParams;
            }
        }
        CompletableFuture<JsonNode> answer;
        try {
            answer = connection.request(method, params, CallOptions.timeout(timeout));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((result, error) -> error == null ? judge(probe, what, result)
                : judge(probe, what, unwrap(error), timeout));
    }

    private static Result judge(HealthProbe probe, String what, JsonNode result) {
        if (probe instanceof HealthProbe.CallTool && result.path("isError").asBoolean(false)) {
            String text = result.path("content").path(0).path("text").asText("");
            return new Result(false, what + " answered isError" + (text.isEmpty() ? "" : ": " + text));
        }
        return new Result(true, what + " answered");
    }

    private static Result judge(HealthProbe probe, String what, Throwable cause, Duration timeout) {
        if (cause instanceof JsonRpcException rpc && rpc.code() == ErrorCodes.UPSTREAM_TIMEOUT) {
            return new Result(false, what + " timed out after " + timeout.toMillis() + " ms");
        }
        if (probe instanceof HealthProbe.Protocol && answeredByPlugin(cause)) {
            // The server answered, if only to say it will not: it is alive, which is all this probe asks.
            return new Result(true, what + " answered with error " + ((JsonRpcException) cause).code());
        }
        return new Result(false, what + " failed: " + cause.getMessage());
    }

    /** Whether the failure is the plugin's own error answer, not the gateway's word that it could not reach it. */
    private static boolean answeredByPlugin(Throwable cause) {
        return cause instanceof JsonRpcException rpc && !(rpc instanceof NotSentException)
                && rpc.code() != ErrorCodes.UPSTREAM_UNAVAILABLE && rpc.code() != ErrorCodes.UPSTREAM_TIMEOUT
                && rpc.code() != ErrorCodes.GATEWAY_CLOSED;
    }
}
