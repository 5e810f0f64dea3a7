package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.internal.transport.http.McpHeaders;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.server.ServerSession;

/**
 * What the Streamable HTTP transport asks of a request's headers before its message is handled: {@code Accept} and
 * {@code Content-Type} media types, the legacy era's {@code MCP-Protocol-Version}, the stateless era's {@code _meta}
 * version and the HTTP status of its errors. Each refusal is a {@link Rejection} saying what to send instead.
 */
final class RequestChecks {
    static final String JSON = "application/json";
    static final String EVENT_STREAM = "text/event-stream";

    private RequestChecks() {
    }

    static void requireAcceptForRequests(HttpExchangeAdapter exchange, RequestId id) {
        String accept = exchange.header("Accept");
        if (!accepts(accept, JSON) || !accepts(accept, EVENT_STREAM)) {
            throw new Rejection(406, ErrorCodes.INVALID_REQUEST, "A request must be sent with Accept: "
                    + "application/json, text/event-stream (the answer may be either), not "
                    + (accept == null ? "without Accept" : "'" + accept + "'"), id);
        }
    }

    /**
     * Legacy era: {@code MCP-Protocol-Version} may be missing (2025-03-26 assumed), otherwise it must be a legacy
     * version and, once negotiated, the session's.
     */
    static void checkLegacyVersion(HttpExchangeAdapter exchange, ServerSession session, RequestId id) {
        String header = exchange.header(McpHeaders.PROTOCOL_VERSION);
        if (header == null) {
            return;
        }
        String negotiated = session.protocolVersion();
        if (!ProtocolVersions.LEGACY.contains(header)) {
            throw new Rejection(400, ErrorCodes.INVALID_REQUEST, "Unsupported MCP-Protocol-Version '" + header
                    + "' for a session; send the version initialize negotiated"
                    + (negotiated == null ? "" : " ('" + negotiated + "')"), id);
        }
        if (negotiated != null && !negotiated.equals(header)) {
            throw new Rejection(400, ErrorCodes.INVALID_REQUEST, "MCP-Protocol-Version '" + header + "' is not the "
                    + "version this session negotiated ('" + negotiated + "'); send that one", id);
        }
    }

    /** The {@code _meta} protocol version that marks a stateless-era (2026-07-28) message, or null if it has none. */
    static String statelessVersion(JsonRpcMessage message, RequestId id) {
        JsonNode params = switch (message) {
            case JsonRpcRequest request -> request.params();
            case JsonRpcNotification notification -> notification.params();
            case JsonRpcResponse response -> null;
        };
        JsonNode version = params == null ? null : params.path("_meta").get(ProtocolVersions.META_PROTOCOL_VERSION);
        if (version == null) {
            return null;
        }
        if (!version.isTextual()) {
            throw new Rejection(400, ErrorCodes.INVALID_PARAMS, "_meta['" + ProtocolVersions.META_PROTOCOL_VERSION
                    + "'] must be a string such as '" + ProtocolVersions.MODERN + "'", id);
        }
        return version.textValue();
    }

    /** Stateless-era errors have their own HTTP statuses; everything else travels with 200. */
    static int statelessStatus(JsonRpcResponse response) {
        if (!response.isError()) {
            return 200;
        }
        return switch (response.error().code()) {
            case ErrorCodes.HEADER_MISMATCH, ErrorCodes.MISSING_CLIENT_CAPABILITY,
                 ErrorCodes.UNSUPPORTED_PROTOCOL_VERSION -> 400;
            case ErrorCodes.METHOD_NOT_FOUND -> 404;
            default -> 200;
        };
    }

    /** The media type of a {@code Content-Type} value without parameters, or null. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    }

    /**
     * Whether an {@code Accept} value admits the media type, directly or by a wildcard. Scans the value in place
     * (every request is checked, and splitting it was 2 % of what a call allocated).
     */
    static boolean accepts(String accept, String type) {
        if (accept == null) {
            return false;
        }
        int slash = type.indexOf('/');
        for (int from = 0; from <= accept.length(); ) {
            int comma = accept.indexOf(',', from);
            int end = comma < 0 ? accept.length() : comma;
            int semicolon = accept.indexOf(';', from);
            int mediaEnd = semicolon >= 0 && semicolon < end ? semicolon : end; // parameters do not count
            int start = from;
            while (start < mediaEnd && accept.charAt(start) <= ' ') {
                start++;
            }
            while (mediaEnd > start && accept.charAt(mediaEnd - 1) <= ' ') {
                mediaEnd--;
            }
            int length = mediaEnd - start;
            if (length == type.length() && accept.regionMatches(true, start, type, 0, length)
                    || length == 3 && accept.startsWith("*/*", start)
                    || length == slash + 2 && accept.startsWith("/*", mediaEnd - 2)
                    && accept.regionMatches(true, start, type, 0, slash)) {
                return true;
            }
            if (comma < 0) {
                break;
            }
            from = comma + 1;
        }
        return false;
    }
}
