package dev.mcpgateway.internal.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.mcp.ServerCapabilities;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.PluginCatalog;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.PluginConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lists what a plugin offers, following {@code nextCursor} pages to the end. */
public final class Discovery {
    /** What a plugin offers: its tools and its catalog of resources, templates and prompts. */
    public record Found(List<Tool> tools, PluginCatalog catalog) {
    }

    private static final Logger log = LoggerFactory.getLogger(Discovery.class);
    /** A server that keeps handing out new cursors is stopped here rather than listed forever. */
    private static final int MAX_PAGES = 10_000;

    private Discovery() {
    }

    /**
     * Everything the plugin declared it offers: tools, resources and resource templates, prompts. A kind the
     * server did not declare in its capabilities is not asked for.
     */
    public static CompletableFuture<Found> everything(PluginConnection connection, String plugin, Duration timeout) {
        ServerCapabilities declared = connection.capabilities();
        CompletableFuture<List<Tool>> tools = declared.tools() ? tools(connection, plugin, timeout)
                : CompletableFuture.completedFuture(List.of());
        CompletableFuture<List<ObjectNode>> resources = declared.resources()
                ? objects(connection, "resources/list", "resources", timeout) : none();
        CompletableFuture<List<ObjectNode>> templates = declared.resources()
                ? objects(connection, "resources/templates/list", "resourceTemplates", timeout) : none();
        CompletableFuture<List<ObjectNode>> prompts = declared.prompts()
                ? objects(connection, "prompts/list", "prompts", timeout) : none();
        return CompletableFuture.allOf(tools, resources, templates, prompts).thenApply(done -> new Found(tools.join(),
                new PluginCatalog(resources.join(), templates.join(), prompts.join())));
    }

    private static CompletableFuture<List<ObjectNode>> none() {
        return CompletableFuture.completedFuture(List.of());
    }

    private static CompletableFuture<List<ObjectNode>> objects(PluginConnection connection, String method, String field,
                                                               Duration timeout) {
        return pages(connection, method, field, timeout, null, new ArrayList<>(), new HashSet<>(), 0)
                .thenApply(items -> items.stream().filter(JsonNode::isObject).map(ObjectNode.class::cast).toList());
    }

    /**
     * Every tool the plugin lists. Definitions that are not usable (no name, a non-object schema) are skipped
     * with a warning rather than failing the plugin; a tool listed twice keeps its first definition.
     */
    public static CompletableFuture<List<Tool>> tools(PluginConnection connection, String plugin, Duration timeout) {
        return pages(connection, "tools/list", "tools", timeout, null, new ArrayList<>(), new HashSet<>(), 0)
                .thenApply(definitions -> {
                    Map<String, Tool> tools = new LinkedHashMap<>();
                    for (JsonNode definition : definitions) {
                        try {
                            Tool tool = Tool.fromJson(definition);
                            if (tools.putIfAbsent(tool.name(), tool) != null) {
                                log.warn("{} lists tool '{}' twice; keeping the first definition", plugin, tool.name());
                            }
                        } catch (IllegalArgumentException e) {
                            log.warn("{} lists an unusable tool, skipped: {}", plugin, e.getMessage());
                        }
                    }
                    return List.copyOf(tools.values());
                });
    }

    private static CompletableFuture<List<JsonNode>> pages(PluginConnection connection, String method, String field,
                                                           Duration timeout, String cursor, List<JsonNode> items,
                                                           Set<String> cursorsSeen, int page) {
        var params = Json.object();
        if (cursor != null) {
            params.put("cursor", cursor);
        }
        return connection.request(method, params, CallOptions.timeout(timeout)).thenCompose(result -> {
            JsonNode list = result.get(field);
            if (list != null && list.isArray()) {
                list.forEach(items::add);
            }
            String next = result.path("nextCursor").textValue();
            if (next == null) {
                return CompletableFuture.completedFuture(items);
            }
            if (!cursorsSeen.add(next) || page + 1 >= MAX_PAGES) {
                log.warn("{} pages of {} without an end (cursor '{}' repeats or too many pages); using what was listed",
                        page + 1, method, next);
                return CompletableFuture.completedFuture(items);
            }
            return pages(connection, method, field, timeout, next, items, cursorsSeen, page + 1);
        });
    }
}
