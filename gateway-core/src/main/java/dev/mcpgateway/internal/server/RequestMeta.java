package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.mcp.ProtocolVersions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a client request's {@code _meta} says of its era, what of it travels on to the plugin, and the log levels that
 * decide which plugin log messages reach the client. Keys that belong to one hop (the progress token, the 2026-07-28
 * version, capabilities and client info) are the gateway's own toward each plugin; everything else (trace context
 * such as {@code traceparent}, the requested {@code logLevel}, keys of extensions) passes on untouched.
 */
final class RequestMeta {
    private static final Set<String> PER_HOP = Set.of("progressToken", ProtocolVersions.META_PROTOCOL_VERSION,
            ProtocolVersions.META_CLIENT_CAPABILITIES, ProtocolVersions.META_CLIENT_INFO);
    private static final List<String> LEVELS = ProtocolVersions.LOG_LEVELS;

    private RequestMeta() {
    }

    /**
     * The capabilities a stateless-era request declares in its {@code _meta}, or null for a request of the legacy era.
     *
     * @param sessionless whether the request came without a session, so must be of the stateless era
     * @throws JsonRpcException for a version the gateway does not speak, a stateless-era request without
     *                          capabilities, or a sessionless request of the legacy era
     */
    static ObjectNode modernCapabilities(JsonRpcRequest request, boolean sessionless) {
        JsonNode meta = request.params() == null ? null : request.params().get("_meta");
        JsonNode version = meta == null ? null : meta.get(ProtocolVersions.META_PROTOCOL_VERSION);
        if (version == null) {
            if (sessionless) {
                throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "A request without a session must carry _meta['"
                        + ProtocolVersions.META_PROTOCOL_VERSION + "'] (2026-07-28), or send 'initialize' first");
            }
            return null;
        }
        if (!ProtocolVersions.MODERN.equals(version.asText())) {
            ObjectNode data = Json.object();
            data.putArray("supported").add(ProtocolVersions.MODERN);
            data.put("requested", version.asText());
            throw new JsonRpcException(ErrorCodes.UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version '"
                    + version.asText() + "'; this server speaks " + ProtocolVersions.MODERN + " (stateless) and "
                    + ProtocolVersions.LEGACY + " (with initialize)", request.id(), data, null);
        }
        String malformed = ProtocolVersions.malformedModernMeta(meta);
        if (malformed != null) {
            throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, malformed, request.id());
        }
        return (ObjectNode) meta.get(ProtocolVersions.META_CLIENT_CAPABILITIES);
    }

    /** The part of the request's {@code _meta} that passes on to the plugin, or null if none does. */
    static ObjectNode forwarded(JsonNode params) {
        JsonNode meta = params == null ? null : params.get("_meta");
        if (!(meta instanceof ObjectNode object)) {
            return null;
        }
        ObjectNode kept = null;
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            if (!PER_HOP.contains(entry.getKey())) {
                if (kept == null) {
                    kept = Json.object();
                }
                kept.set(entry.getKey(), entry.getValue());
            }
        }
        return kept;
    }

    /**
     * The params as the plugin gets them: a shallow copy whose {@code _meta} holds only what passes on (the
     * client's tree is never changed), or the params themselves when their {@code _meta} needs no change.
     */
    static JsonNode toPlugin(JsonNode params) {
        if (!(params instanceof ObjectNode object) || !object.has("_meta")) {
            return params;
        }
        ObjectNode copy = Json.object();
        copy.setAll(object);
        ObjectNode kept = forwarded(params);
        if (kept == null) {
            copy.remove("_meta");
        } else {
            copy.set("_meta", kept);
        }
        return copy;
    }

    /**
     * The log level a 2026-07-28 request asked for, or null when it asked for none: without one the request must get
     * no {@code notifications/message}.
     */
    static String logLevel(JsonNode params) {
        JsonNode level = params == null ? null : params.path("_meta").get(ProtocolVersions.META_LOG_LEVEL);
        return level != null && level.isTextual() && LEVELS.contains(level.textValue()) ? level.textValue() : null;
    }

    /** Whether a {@code notifications/message} is at or above a threshold level; an unknown level passes. */
    static boolean atLeast(JsonNode messageParams, String threshold) {
        int wanted = LEVELS.indexOf(threshold);
        int level = LEVELS.indexOf(messageParams == null ? "" : messageParams.path("level").asText());
        return wanted < 0 || level < 0 || level >= wanted;
    }

    /** Whether a level is one MCP names. */
    static boolean isLevel(String level) {
        return LEVELS.contains(level);
    }
}
