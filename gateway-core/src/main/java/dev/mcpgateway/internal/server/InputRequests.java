package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import java.util.Map;

/**
 * What a server may ask a client for mid-request (elicitation, sampling, roots), in either era's form — a JSON-RPC
 * request (legacy) or an entry of an {@code input_required} result's {@code inputRequests} (2026-07-28) — and which
 * client capability each needs: no client is ever asked for what it did not declare.
 */
final class InputRequests {
    private InputRequests() {
    }

    /** Whether a result is an interim {@code input_required} one. */
    static boolean isInputRequired(JsonNode result) {
        return result != null && "input_required".equals(result.path("resultType").asText());
    }

    /** The client capability a request needs, or null for a method that cannot be an input request. */
    static String capabilityOf(String method) {
        return switch (method) {
            case "elicitation/create" -> "elicitation";
            case "sampling/createMessage" -> "sampling";
            case "roots/list" -> "roots";
            default -> null;
        };
    }

    /**
     * The capabilities a client lacks for one request, as the {@code requiredCapabilities} of a -32021 error, or
     * null when it declared them. A URL-mode elicitation needs {@code elicitation.url}; a form needs
     * {@code elicitation} with {@code form} or no mode at all (form only, implicitly).
     */
    static ObjectNode missing(String method, JsonNode params, JsonNode clientCapabilities) {
        String capability = capabilityOf(method);
        if (capability == null) {
            return null;
        }
        JsonNode declared = clientCapabilities == null ? null : clientCapabilities.get(capability);
        boolean met = declared != null;
        String mode = null;
        if (met && "elicitation".equals(capability)) {
            mode = params == null ? "form" : params.path("mode").asText("form");
            met = "url".equals(mode) ? declared.has("url") : declared.isEmpty() || declared.has("form");
        }
        if (met) {
            return null;
        }
        ObjectNode required = Json.object();
        ObjectNode entry = required.putObject(capability);
        if (mode != null) {
            entry.putObject(mode);
        }
        return required;
    }

    /**
     * Refuses an {@code input_required} result whose requests the client did not declare capabilities for
     * (2026-07-28: the server must answer -32021 with the capabilities it required).
     *
     * @return the result, unchanged, when the client can answer every request in it
     */
    static JsonNode requireDeclared(JsonNode result, JsonNode clientCapabilities) {
        if (!isInputRequired(result)) {
            return result;
        }
        ObjectNode required = Json.object();
        for (Map.Entry<String, JsonNode> entry : result.path("inputRequests").properties()) {
            ObjectNode lacking = missing(entry.getValue().path("method").asText(""), entry.getValue().get("params"),
                    clientCapabilities);
            if (lacking != null) {
                required.setAll(lacking);
            }
        }
        if (required.isEmpty()) {
            return result;
        }
        ObjectNode data = Json.object();
        data.set("requiredCapabilities", required);
        throw new JsonRpcException(ErrorCodes.MISSING_CLIENT_CAPABILITY, "The plugin needs client capabilities this"
                + " client did not declare: " + required, null, data, null);
    }
}
