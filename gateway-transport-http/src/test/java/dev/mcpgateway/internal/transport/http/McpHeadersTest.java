package dev.mcpgateway.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class McpHeadersTest {
    private static JsonRpcRequest request(String method, ObjectNode params) {
        return new JsonRpcRequest(RequestId.of(1), method, params);
    }

    private static String base64(String value) {
        return "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    @Test
    void theVersionComesFromMetaThenTheNegotiationAndNeverWithInitialize() {
        ObjectNode modern = Json.object();
        modern.putObject("_meta").put("io.modelcontextprotocol/protocolVersion", "2026-07-28");

        assertEquals("2026-07-28", McpHeaders.protocolVersion(request("server/discover", modern), null));
        assertEquals("2026-07-28", McpHeaders.protocolVersion(request("tools/list", modern), "2025-06-18"));
        assertEquals("2025-06-18", McpHeaders.protocolVersion(request("tools/list", Json.object()), "2025-06-18"));
        assertEquals("2025-06-18", McpHeaders.protocolVersion(new JsonRpcNotification("notifications/initialized", null), "2025-06-18"));
        assertEquals("2025-06-18", McpHeaders.protocolVersion(JsonRpcResponse.success(RequestId.of(2), Json.object()), "2025-06-18"));
        assertNull(McpHeaders.protocolVersion(request("initialize", Json.object()), "2025-06-18"));
        assertNull(McpHeaders.protocolVersion(request("tools/list", null), null));
    }

    @Test
    void theNameHeaderComesFromNameOrUri() {
        assertEquals("search", McpHeaders.name(request("tools/call", Json.object().put("name", "search"))));
        assertEquals("greet", McpHeaders.name(request("prompts/get", Json.object().put("name", "greet"))));
        assertEquals("file:///x", McpHeaders.name(request("resources/read", Json.object().put("uri", "file:///x"))));
        assertNull(McpHeaders.name(request("tools/list", Json.object().put("name", "x"))));
        assertNull(McpHeaders.name(request("tools/call", Json.object().put("name", 3))));
        assertNull(McpHeaders.name(request("tools/call", null)));
    }

    @Test
    void valuesThatAreNotPlainAsciiAreBase64Encoded() {
        assertEquals("plain-value 1", McpHeaders.headerValue("plain-value 1"));
        assertEquals("", McpHeaders.headerValue(""));
        assertEquals(base64("Hello, 世界"), McpHeaders.headerValue("Hello, 世界"));
        assertEquals(base64(" padded"), McpHeaders.headerValue(" padded"));
        assertEquals(base64("tab\t"), McpHeaders.headerValue("tab\t"));
        assertEquals(base64("line\nbreak"), McpHeaders.headerValue("line\nbreak"));
        assertEquals(base64("=?base64?abc?="), McpHeaders.headerValue("=?base64?abc?="), "a value that looks encoded");
        assertEquals("in\tside", McpHeaders.headerValue("in\tside"));
    }

    @Test
    void receivedValuesAreDecodedOrRefused() {
        assertEquals("Hello, 世界", McpHeaders.decodeHeaderValue(base64("Hello, 世界")));
        assertEquals("=?base64?abc?=", McpHeaders.decodeHeaderValue(base64("=?base64?abc?=")));
        assertEquals("plain value", McpHeaders.decodeHeaderValue("plain value"));
        assertEquals("", McpHeaders.decodeHeaderValue(base64("")));
        assertEquals("=?base64?", McpHeaders.decodeHeaderValue("=?base64?"), "too short to be the sentinel form");
        assertNull(McpHeaders.decodeHeaderValue("caf\u00e9"), "beyond ASCII");
        assertNull(McpHeaders.decodeHeaderValue("line\nbreak"), "a control character");
        assertNull(McpHeaders.decodeHeaderValue("=?base64?!!?="), "not Base64");
        assertNull(McpHeaders.decodeHeaderValue("=?base64?YWI?="), "Base64 without its padding");
        assertNull(McpHeaders.decodeHeaderValue("=?base64?wyg=?="), "bytes that are not UTF-8");
    }
}
