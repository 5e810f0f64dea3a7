package dev.mcpgateway.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a plugin offers besides tools, as it listed them: resources, resource templates and prompts, kept as
 * the definitions the server sent so they reach clients unchanged.
 *
 * @param resources         {@code resources/list} entries
 * @param resourceTemplates {@code resources/templates/list} entries
 * @param prompts           {@code prompts/list} entries
 */
public record PluginCatalog(List<ObjectNode> resources, List<ObjectNode> resourceTemplates, List<ObjectNode> prompts) {
    /** Nothing besides tools. */
    public static final PluginCatalog EMPTY = new PluginCatalog(List.of(), List.of(), List.of());

    public PluginCatalog {
        resources = List.copyOf(resources == null ? List.of() : resources);
        resourceTemplates = List.copyOf(resourceTemplates == null ? List.of() : resourceTemplates);
        prompts = List.copyOf(prompts == null ? List.of() : prompts);
    }
}
