package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.ProtocolVersions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What of a client request's {@code _meta} travels on to the plugin, and the log levels that decide which plugin log
 * messages reach the client. Keys that belong to one hop (the progress token, the 2026-07-28 version, capabilities
 * and client info) are the gateway's own toward each plugin; everything else (trace context such as
 * {@code traceparent}, the requested {@code logLevel}, keys of extensions) passes on untouched.
 */
final class RequestMeta {
    private static final Set<String> PER_HOP = Set.of("progressToken", ProtocolVersions.META_PROTOCOL_VERSION,
            ProtocolVersions.META_CLIENT_CAPABILITIES, ProtocolVersions.META_CLIENT_INFO);
    private static final List<String> LEVELS = ProtocolVersions.LOG_LEVELS;

    private RequestMeta() {
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
