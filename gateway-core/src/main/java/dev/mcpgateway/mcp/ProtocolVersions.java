package dev.mcpgateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The MCP protocol versions the gateway speaks, newest first, in its two eras: legacy (an {@code initialize}
 * handshake and sessions) and modern (stateless, every request names its version).
 */
public final class ProtocolVersions {
    /** The stateless era's version. */
    public static final String MODERN = "2026-07-28";
    /** The newest legacy version, offered first in {@code initialize}. */
    public static final String LATEST_LEGACY = "2025-11-25";
    /** Every legacy version the gateway accepts, newest first. */
    public static final List<String> LEGACY = List.of(LATEST_LEGACY, "2025-06-18", "2025-03-26", "2024-11-05");
    /** {@code _meta} key naming a modern request's protocol version. */
    public static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    /** {@code _meta} key carrying a modern request's client capabilities. */
    public static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    /** {@code _meta} key carrying a modern request's client info. */
    public static final String META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    /** {@code _meta} key under which a modern {@code server/discover} result names the server. */
    public static final String META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    /** {@code _meta} key of the lowest log level a modern request wants {@code notifications/message} for. */
    public static final String META_LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    /** The log levels MCP names (syslog's), least severe first. */
    public static final List<String> LOG_LEVELS = List.of("debug", "info", "notice", "warning", "error", "critical",
            "alert", "emergency");

    private ProtocolVersions() {
    }

    /**
     * What makes a 2026-07-28 request's {@code _meta} malformed (the spec's answer: -32602, over HTTP with status
     * 400), or null when it is well-formed: client capabilities must be an object, a log level one MCP names.
     */
    public static String malformedModernMeta(JsonNode meta) {
        JsonNode capabilities = meta == null ? null : meta.get(META_CLIENT_CAPABILITIES);
        if (capabilities == null || !capabilities.isObject()) {
            return "A " + MODERN + " request must carry _meta['" + META_CLIENT_CAPABILITIES + "'] as an object ({} when"
                    + " the client declares none)";
        }
        JsonNode level = meta.get(META_LOG_LEVEL);
        if (level != null && !(level.isTextual() && LOG_LEVELS.contains(level.textValue()))) {
            return "_meta['" + META_LOG_LEVEL + "'] must be one of " + LOG_LEVELS + ", not " + level;
        }
        return null;
    }

    /** Whether a version belongs to the stateless era. */
    public static boolean isModern(String version) {
        return MODERN.equals(version);
    }
}
