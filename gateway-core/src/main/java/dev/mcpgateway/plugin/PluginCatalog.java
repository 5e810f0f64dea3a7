package dev.mcpgateway.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.mcp.CacheHint;
import java.util.List;
import java.util.Map;

/**
 * What a plugin offers besides tools, as it listed them: resources, resource templates and prompts, kept as
 * the definitions the server sent so they reach clients unchanged, and the caching hints it gave on each listing.
 *
 * @param resources         {@code resources/list} entries
 * @param resourceTemplates {@code resources/templates/list} entries
 * @param prompts           {@code prompts/list} entries
 * @param listHints         the caching hints of each listing by its method ({@code tools/list} included), for the
 *                          listings whose server gave any
 */
public record PluginCatalog(List<ObjectNode> resources, List<ObjectNode> resourceTemplates, List<ObjectNode> prompts,
                            Map<String, CacheHint> listHints) {
    /** Nothing besides tools. */
    public static final PluginCatalog EMPTY = new PluginCatalog(List.of(), List.of(), List.of());

    public PluginCatalog {
        resources = List.copyOf(resources == null ? List.of() : resources);
        resourceTemplates = List.copyOf(resourceTemplates == null ? List.of() : resourceTemplates);
        prompts = List.copyOf(prompts == null ? List.of() : prompts);
        listHints = Map.copyOf(listHints == null ? Map.of() : listHints);
    }

    /** A catalog whose server gave no caching hints. */
    public PluginCatalog(List<ObjectNode> resources, List<ObjectNode> resourceTemplates, List<ObjectNode> prompts) {
        this(resources, resourceTemplates, prompts, Map.of());
    }

    /** The caching hint of one listing ({@code tools/list}, {@code prompts/list}, ...), or {@link CacheHint#NONE}. */
    public CacheHint listHint(String method) {
        return listHints.getOrDefault(method, CacheHint.NONE);
    }
}
