package dev.mcpgateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;

/**
 * What an MCP server declared it can do, kept as the tree it sent (so experimental and future capabilities
 * survive) with typed questions for what the gateway needs to know.
 */
public record ServerCapabilities(ObjectNode json) {
    /** A server that declared nothing. */
    public static final ServerCapabilities NONE = new ServerCapabilities(Json.object());

    public ServerCapabilities {
        json = json == null ? Json.object() : json.deepCopy();
    }

    /** Reads a {@code capabilities} object; anything that is not an object counts as no capabilities. */
    public static ServerCapabilities fromJson(JsonNode node) {
        return node != null && node.isObject() ? new ServerCapabilities((ObjectNode) node) : NONE;
    }

    /** Whether the server offers tools. */
    public boolean tools() {
        return json.has("tools");
    }

    /** Whether the server sends {@code notifications/tools/list_changed}. */
    public boolean toolsListChanged() {
        return json.path("tools").path("listChanged").asBoolean(false);
    }

    /** Whether the server offers resources. */
    public boolean resources() {
        return json.has("resources");
    }

    /** Whether the server supports {@code resources/subscribe}. */
    public boolean resourcesSubscribe() {
        return json.path("resources").path("subscribe").asBoolean(false);
    }

    /** Whether the server sends {@code notifications/resources/list_changed}. */
    public boolean resourcesListChanged() {
        return json.path("resources").path("listChanged").asBoolean(false);
    }

    /** Whether the server offers prompts. */
    public boolean prompts() {
        return json.has("prompts");
    }

    /** Whether the server sends {@code notifications/prompts/list_changed}. */
    public boolean promptsListChanged() {
        return json.path("prompts").path("listChanged").asBoolean(false);
    }

    /** Whether the server accepts {@code logging/setLevel}. */
    public boolean logging() {
        return json.has("logging");
    }

    /** Whether the server answers {@code completion/complete}. */
    public boolean completions() {
        return json.has("completions");
    }

    /** A copy of the declared capabilities. */
    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }
}
