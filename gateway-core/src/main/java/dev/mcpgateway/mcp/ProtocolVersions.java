package dev.mcpgateway.mcp;

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

    private ProtocolVersions() {
    }

    /** Whether a version belongs to the stateless era. */
    public static boolean isModern(String version) {
        return MODERN.equals(version);
    }
}
