package dev.mcpgateway.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.ToolKey;
import java.util.Objects;

/**
 * A tool as the gateway's clients see it: the exposed name chosen by the {@code ToolNaming} strategy, the
 * identity it routes to, and the definition taken from the newest version of the plugin that offers it.
 */
public record ExposedTool(String exposedName, ToolKey key, Tool definition) {
    public ExposedTool {
        Objects.requireNonNull(exposedName, "exposedName");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(definition, "definition");
    }

    /** The definition as sent to clients in {@code tools/list}: the plugin's own, renamed. */
    public ObjectNode toJson() {
        return definition.toJsonNamed(exposedName);
    }
}
