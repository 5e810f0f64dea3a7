package dev.mcpgateway.internal.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.ProtocolVersions;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The MCP-specific HTTP headers of a message POST: which protocol version to announce, and the
 * {@code Mcp-Method} / {@code Mcp-Name} routing headers the 2026-07-28 version requires on every request, and the
 * {@code =?base64?…?=} value encoding those headers (and {@code Mcp-Param-*}) use for values a header cannot carry.
 */
public final class McpHeaders {
    /** The session header (2025-06-18 spelling; header names are case-insensitive). */
    public static final String SESSION_ID = "Mcp-Session-Id";
    /** The negotiated (or, in the stateless era, per-request) protocol version. */
    public static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
    /** The method of a stateless-era request. */
    public static final String METHOD = "Mcp-Method";
    /** The tool or prompt name, or resource URI, of a stateless-era request. */
    public static final String NAME = "Mcp-Name";

    private static final String BASE64_PREFIX = "=?base64?";
    private static final String BASE64_SUFFIX = "?=";

    private McpHeaders() {
    }

    /**
     * The version to put in {@code MCP-Protocol-Version} for a message: the one its {@code _meta} names (a
     * stateless-era request must repeat it, also before any negotiation), else the negotiated one; none for
     * {@code initialize}, which is what negotiates it.
     *
     * @param negotiated the version the session agreed on, or null before the handshake
     * @return the version, or null to send no header
     */
    public static String protocolVersion(JsonRpcMessage message, String negotiated) {
        JsonNode params = switch (message) {
            case JsonRpcRequest request -> request.params();
            case JsonRpcNotification notification -> notification.params();
            case JsonRpcResponse response -> null;
        };
        if (params != null) {
            JsonNode version = params.path("_meta").get(ProtocolVersions.META_PROTOCOL_VERSION);
            if (version != null && version.isTextual()) {
                return version.textValue();
            }
        }
        if (message instanceof JsonRpcRequest request && "initialize".equals(request.method())) {
            return null;
        }
        return negotiated;
    }

    /**
     * The {@code Mcp-Name} value of a stateless-era request: {@code params.name} of {@code tools/call} and
     * {@code prompts/get}, {@code params.uri} of {@code resources/read}; null for other methods or when absent.
     */
    public static String name(JsonRpcRequest request) {
        String member = switch (request.method()) {
            case "tools/call", "prompts/get" -> "name";
            case "resources/read" -> "uri";
            default -> null;
        };
        if (member == null || request.params() == null) {
            return null;
        }
        JsonNode value = request.params().get(member);
        return value != null && value.isTextual() ? headerValue(value.textValue()) : null;
    }

    /**
     * A value as a header may carry it: unchanged when it is plain printable ASCII without surrounding whitespace,
     * otherwise {@code =?base64?<base64 of UTF-8>?=} (also when the value itself looks like that form, so the
     * server's decoding gives back exactly the value).
     */
    public static String headerValue(String value) {
        return isHeaderSafe(value) ? value
                : BASE64_PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + BASE64_SUFFIX;
    }

    /**
     * The value a received {@code Mcp-Name} or {@code Mcp-Param-*} header stands for: a {@code =?base64?…?=} value
     * decoded, any other value as it is.
     *
     * @return null when the value has characters no header value may carry (anything but visible ASCII, space and
     *         tab) or its sentinel does not hold canonical Base64 of UTF-8: the spec has such a header rejected,
     *         not compared
     */
    public static String decodeHeaderValue(String value) {
        if (!isFieldValueText(value)) {
            return null;
        }
        if (value.length() < BASE64_PREFIX.length() + BASE64_SUFFIX.length() || !value.startsWith(BASE64_PREFIX)
                || !value.endsWith(BASE64_SUFFIX)) {
            return value;
        }
        String encoded = value.substring(BASE64_PREFIX.length(), value.length() - BASE64_SUFFIX.length());
        try {
            byte[] bytes = Base64.getDecoder().decode(encoded);
            // The JDK decoder also takes missing padding; only the one canonical form is the client's encoding.
            if (!Base64.getEncoder().encodeToString(bytes).equals(encoded)) {
                return null;
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }

    /** The {@code HeaderMismatch} message for a header whose value {@link #decodeHeaderValue} refused. */
    public static String undecodable(String header, String value) {
        return "Header mismatch: " + header + " header value '" + value + "' has characters a header value cannot "
                + "carry or a malformed =?base64?...?= value; send visible ASCII, or =?base64?<Base64 of the UTF-8 "
                + "value>?=";
    }

    private static boolean isHeaderSafe(String value) {
        if (value.isEmpty()) {
            return true;
        }
        if (isBlank(value.charAt(0)) || isBlank(value.charAt(value.length() - 1))) {
            return false;
        }
        return isFieldValueText(value) && !(value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX));
    }

    /** Whether every character may stand in an RFC 9110 field value as this transport sends one: VCHAR, SP, HTAB. */
    private static boolean isFieldValueText(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 || c > 0x7E) && c != '\t') {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
