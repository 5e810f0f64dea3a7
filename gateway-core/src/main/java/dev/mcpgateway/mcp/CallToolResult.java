package dev.mcpgateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import java.util.Objects;

/**
 * The result of {@code tools/call}, passed through as the plugin sent it: content blocks, structured
 * content, {@code isError} and any member the gateway does not know stay exactly as they were.
 * The tree is shared, not copied, on the hot path: treat it as read-only.
 */
public record CallToolResult(ObjectNode json) {
    public CallToolResult {
        Objects.requireNonNull(json, "json");
    }

    /** A result with one text content block. */
    public static CallToolResult text(String text) {
        return new CallToolResult(withText(Json.object(), text));
    }

    /** A tool-level failure ({@code isError: true}) with one text block saying what went wrong. */
    public static CallToolResult error(String message) {
        return new CallToolResult(withText(Json.object(), message).put("isError", true));
    }

    /** A result with one text block and structured content (which should match the tool's output schema). */
    public static CallToolResult structured(String text, ObjectNode structuredContent) {
        ObjectNode node = withText(Json.object(), text);
        node.set("structuredContent", structuredContent);
        return new CallToolResult(node);
    }

    /** Whether the tool reported a failure ({@code isError: true}). */
    public boolean isError() {
        return json.path("isError").asBoolean(false);
    }

    /** The content blocks (an empty array if the plugin sent none). */
    public ArrayNode content() {
        JsonNode content = json.get("content");
        return content != null && content.isArray() ? (ArrayNode) content : Json.nodes().arrayNode();
    }

    /** The structured content, or null. */
    public JsonNode structuredContent() {
        return json.get("structuredContent");
    }

    /** The text of the first text block, or null; a convenience for tests and logs. */
    public String firstText() {
        for (JsonNode block : content()) {
            if ("text".equals(block.path("type").asText())) {
                return block.path("text").asText();
            }
        }
        return null;
    }

    private static ObjectNode withText(ObjectNode node, String text) {
        node.putArray("content").addObject().put("type", "text").put("text", text);
        return node;
    }
}
