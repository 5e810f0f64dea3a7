package dev.mcpgateway.internal.upstream;

import static dev.mcpgateway.internal.Futures.unwrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CacheHint;
import dev.mcpgateway.mcp.ServerCapabilities;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.PluginCatalog;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.PluginConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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

    /** Every item of a listing's pages, and the caching hint of them all (shortest ttl, private if any page is). */
    private record Listing(List<JsonNode> items, CacheHint hint) {
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
        CompletableFuture<Listing> tools = list(declared.tools(), connection, "tools/list", "tools", timeout);
        CompletableFuture<Listing> resources = list(declared.resources(), connection, "resources/list", "resources",
                timeout);
        CompletableFuture<Listing> templates = list(declared.resources(), connection, "resources/templates/list",
                "resourceTemplates", timeout);
        CompletableFuture<Listing> prompts = list(declared.prompts(), connection, "prompts/list", "prompts", timeout);
        return CompletableFuture.allOf(tools, resources, templates, prompts).thenApply(done -> {
            Map<String, CacheHint> hints = new HashMap<>();
            hints.put("tools/list", tools.join().hint());
            hints.put("resources/list", resources.join().hint());
            hints.put("resources/templates/list", templates.join().hint());
            hints.put("prompts/list", prompts.join().hint());
            hints.values().removeIf(CacheHint.NONE::equals);
            return new Found(toTools(tools.join().items(), plugin), new PluginCatalog(objects(resources.join()),
                    objects(templates.join()), objects(prompts.join()), hints));
        });
    }

    /**
     * A listing the server declared, else nothing (a kind it did not declare is not asked for). Servers that
     * declare resources often lack {@code resources/templates/list} (or a list beside tools): a "method not found"
     * there is an empty list, not a broken plugin; tools must list.
     */
    private static CompletableFuture<Listing> list(boolean declared, PluginConnection connection, String method,
                                                   String field, Duration timeout) {
        Listing none = new Listing(List.of(), CacheHint.NONE);
        if (!declared) {
            return CompletableFuture.completedFuture(none);
        }
        CompletableFuture<Listing> listed = pages(connection, method, field, timeout, null, new ArrayList<>(),
                CacheHint.NONE, new HashSet<>(), 0);
        if ("tools/list".equals(method)) {
            return listed;
        }
        return listed.exceptionallyCompose(error -> {
            Throwable cause = unwrap(error);
            if (cause instanceof JsonRpcException rpc && rpc.code() == ErrorCodes.METHOD_NOT_FOUND) {
                log.debug("{} declared its {} but has no '{}'; listing none", connection.serverInfo().name(), field,
                        method);
                return CompletableFuture.completedFuture(none);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private static List<ObjectNode> objects(Listing listing) {
        return listing.items().stream().filter(JsonNode::isObject).map(ObjectNode.class::cast).toList();
    }

    /**
     * Every tool the plugin lists. Definitions that are not usable (no name, a non-object schema) are skipped
     * with a warning rather than failing the plugin; a tool listed twice keeps its first definition.
     */
    public static CompletableFuture<List<Tool>> tools(PluginConnection connection, String plugin, Duration timeout) {
        return list(true, connection, "tools/list", "tools", timeout).thenApply(listing -> toTools(listing.items(), plugin));
    }

    private static List<Tool> toTools(List<JsonNode> definitions, String plugin) {
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
    }

    private static CompletableFuture<Listing> pages(PluginConnection connection, String method, String field,
                                                    Duration timeout, String cursor, List<JsonNode> items, CacheHint hint,
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
            CacheHint hints = hint.and(CacheHint.of(result));
            String next = result.path("nextCursor").textValue();
            if (next == null) {
                return CompletableFuture.completedFuture(new Listing(items, hints));
            }
            if (!cursorsSeen.add(next) || page + 1 >= MAX_PAGES) {
                log.warn("{} pages of {} without an end (cursor '{}' repeats or too many pages); using what was listed",
                        page + 1, method, next);
                return CompletableFuture.completedFuture(new Listing(items, hints));
            }
            return pages(connection, method, field, timeout, next, items, hints, cursorsSeen, page + 1);
        });
    }
}
