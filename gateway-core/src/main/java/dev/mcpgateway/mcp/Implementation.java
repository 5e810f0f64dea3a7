package dev.mcpgateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import java.util.Objects;

/**
 * The name and version of an MCP client or server ({@code clientInfo} / {@code serverInfo}).
 *
 * @param name    the implementation's name
 * @param version its version
 * @param title   a display name, or null
 */
public record Implementation(String name, String version, String title) {
    public Implementation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    /** Reads {@code serverInfo}/{@code clientInfo}; missing members become {@code "unknown"}. */
    public static Implementation fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new Implementation("unknown", "unknown", null);
        }
        JsonNode title = node.get("title");
        return new Implementation(node.path("name").asText("unknown"), node.path("version").asText("unknown"),
                title != null && title.isTextual() ? title.textValue() : null);
    }

    /** The JSON form. */
    public ObjectNode toJson() {
        ObjectNode node = Json.object().put("name", name).put("version", version);
        if (title != null) {
            node.put("title", title);
        }
        return node;
    }
}
