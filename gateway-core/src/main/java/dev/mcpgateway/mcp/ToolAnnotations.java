package dev.mcpgateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;

/**
 * A tool's behaviour hints as its server declares them (untrusted unless the server is trusted).
 * A null hint was not declared; the {@code is…} methods apply MCP's defaults.
 */
public record ToolAnnotations(String title, Boolean readOnlyHint, Boolean destructiveHint,
                              Boolean idempotentHint, Boolean openWorldHint) {

    /** No hints declared. */
    public static final ToolAnnotations NONE = new ToolAnnotations(null, null, null, null, null);

    /** Reads the {@code annotations} object of a tool; missing or mistyped members count as undeclared. */
    public static ToolAnnotations fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            return NONE;
        }
        return new ToolAnnotations(text(node.get("title")), bool(node.get("readOnlyHint")),
                bool(node.get("destructiveHint")), bool(node.get("idempotentHint")), bool(node.get("openWorldHint")));
    }

    /** The annotations as a JSON object holding only the declared hints. */
    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        if (title != null) {
            node.put("title", title);
        }
        putIfSet(node, "readOnlyHint", readOnlyHint);
        putIfSet(node, "destructiveHint", destructiveHint);
        putIfSet(node, "idempotentHint", idempotentHint);
        putIfSet(node, "openWorldHint", openWorldHint);
        return node;
    }

    /** Whether the tool does not modify its environment (default false). */
    public boolean isReadOnly() {
        return readOnlyHint != null && readOnlyHint;
    }

    /** Whether the tool may perform destructive updates (default true; meaningless for read-only tools). */
    public boolean isDestructive() {
        return destructiveHint == null || destructiveHint;
    }

    /** Whether calling the tool twice with the same arguments has no additional effect (default false). */
    public boolean isIdempotent() {
        return idempotentHint != null && idempotentHint;
    }

    /** Whether the tool interacts with an open world of external entities (default true). */
    public boolean isOpenWorld() {
        return openWorldHint == null || openWorldHint;
    }

    /** Whether a failed call may be retried safely: read-only or idempotent. */
    public boolean isSafeToRetry() {
        return isReadOnly() || isIdempotent();
    }

    private static void putIfSet(ObjectNode node, String field, Boolean value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static Boolean bool(JsonNode node) {
        return node != null && node.isBoolean() ? node.booleanValue() : null;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }
}
