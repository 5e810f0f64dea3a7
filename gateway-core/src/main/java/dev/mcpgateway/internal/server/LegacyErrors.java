package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;

/**
 * Errors of the legacy era that a 2026-07-28 client must never see, as that era says them: -32002 (resource not
 * found) is -32602 there, and -32042 (URL elicitation required, 2025-11-25 only) becomes an {@code input_required}
 * result asking for the same URL-mode elicitations (its retry runs the request again, as the legacy client would
 * have after the URL flow), or -32021 for a client that did not declare URL elicitation.
 */
final class LegacyErrors {
    private LegacyErrors() {
    }

    /**
     * What a 2026-07-28 client is answered for a plugin's error.
     *
     * @return an interim result to answer with, or null to answer with {@code error} as {@link #renumbered} gives it
     */
    static JsonNode asResult(JsonRpcException error, JsonNode clientCapabilities) {
        if (error.code() != ErrorCodes.URL_ELICITATION_REQUIRED || !(error.data() instanceof ObjectNode data)
                || !data.path("elicitations").isArray() || data.path("elicitations").isEmpty()) {
            return null;
        }
        ObjectNode interim = Json.object().put("resultType", "input_required");
        ObjectNode requests = interim.putObject("inputRequests");
        int n = 0;
        for (JsonNode elicitation : data.path("elicitations")) {
            ObjectNode params = Json.object().put("mode", "url");
            params.set("url", elicitation.path("url"));
            params.set("message", elicitation.path("message"));
            requests.putObject("url-" + (++n)).put("method", "elicitation/create").set("params", params);
        }
        return InputRequests.requireDeclared(interim, clientCapabilities);
    }

    /** The error with the code 2026-07-28 uses for it. */
    static JsonRpcException renumbered(JsonRpcException error) {
        return error.code() == ErrorCodes.RESOURCE_NOT_FOUND ? new JsonRpcException(ErrorCodes.INVALID_PARAMS,
                error.getMessage(), null, error.data(), null) : error;
    }
}
