package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.auth.AccessPolicy;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.routing.ToolRoute;
import dev.mcpgateway.server.VirtualServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one session sees of the gateway: the items its virtual server includes (all, for the server itself) that the
 * access policy allows its principal, with the virtual server's tool overrides applied. Lists are filtered here, and
 * every request naming an item resolves it here, so an item a client may not use is absent from its lists and
 * answered exactly as one that does not exist. Immutable: one per session, or one for every session of a client
 * that did not authenticate and uses the whole server ({@link ServerEngine#view}).
 */
final class CatalogView {
    private final ServerEngine engine;
    private final AccessPolicy policy;
    private final Principal principal;
    /** Null for the whole server. */
    private final VirtualServer virtualServer;
    /** The identity ({@code namespace/name}) of each tool the virtual server renames, by its new name. */
    private final Map<String, String> renamed;
    private final boolean everything;

    CatalogView(ServerEngine engine, Principal principal, VirtualServer virtualServer) {
        this.engine = engine;
        this.policy = engine.options().accessPolicy();
        this.principal = principal;
        this.virtualServer = virtualServer;
        this.everything = virtualServer == null && !policy.restricts();
        // A view is made per session, and per request for 2026-07-28 clients: nothing is built for the whole server.
        this.renamed = virtualServer == null ? Map.of() : renamedIn(virtualServer);
    }

    /** The identity of each tool a virtual server renames, by its new name. */
    private static Map<String, String> renamedIn(VirtualServer virtualServer) {
        Map<String, String> names = new HashMap<>();
        virtualServer.overrides().forEach((identity, override) -> {
            if (override.name() != null) {
                names.put(override.name(), identity);
            }
        });
        return names;
    }

    /** The virtual server this view is of, or null for the whole server. */
    VirtualServer virtualServer() {
        return virtualServer;
    }

    /**
     * Whether the lists depend on who asks, so a shared cache must not serve them to others ({@code cacheScope:
     * private}); a virtual server's lists depend only on its URL.
     */
    boolean personal() {
        return policy.restricts();
    }

    /** Whether the item {@code namespace/name} (a resource's name is its URI) is in this view. */
    boolean allows(Catalog catalog, String namespace, String name) {
        return everything || (policy.allows(principal, namespace, name) && (virtualServer == null
                || virtualServer.includes(namespace, name, catalog.labelsOf(namespace))));
    }

    /** The definitions of the tools in this view, as its clients see them. */
    List<ObjectNode> tools() {
        RoutingTable table = engine.gateway().routingTable();
        List<ExposedTool> tools = table.tools();
        Catalog catalog = everything ? null : engine.catalog(table);
        List<ObjectNode> definitions = new ArrayList<>(tools.size());
        for (ExposedTool tool : tools) {
            if (everything) {
                definitions.add(tool.toJson());
            } else if (allows(catalog, tool.key().namespace(), tool.key().name()) && !shadowed(tool)) {
                definitions.add(shown(tool));
            }
        }
        return definitions;
    }

    /**
     * The exposed name of the tool a client of this view calls {@code name}, or null when there is none it may use:
     * the caller answers that exactly as for a tool that does not exist.
     */
    String resolveTool(String name) {
        if (everything) {
            return name;
        }
        RoutingTable table = engine.gateway().routingTable();
        return resolveTool(name, table, engine.catalog(table));
    }

    private String resolveTool(String name, RoutingTable table, Catalog catalog) {
        String identity = renamed.get(name);
        ToolRoute route;
        if (identity != null) {
            int slash = identity.indexOf('/');
            route = table.route(new ToolKey(identity.substring(0, slash), identity.substring(slash + 1)));
        } else {
            route = table.routeByExposedName(name);
            if (route != null && newName(route.key()) != null) {
                return null; // known here only by its new name
            }
        }
        if (route == null || !allows(catalog, route.key().namespace(), route.key().name())) {
            return null;
        }
        return route.tool().exposedName();
    }

    /** The prompts in this view, in the order the server lists them. */
    List<ObjectNode> prompts(Catalog catalog) {
        if (everything) {
            return catalog.prompts;
        }
        List<ObjectNode> prompts = new ArrayList<>();
        for (Catalog.Prompt prompt : catalog.promptEntries()) {
            if (allows(catalog, prompt.namespace(), prompt.originalName())) {
                prompts.add(prompt.definition());
            }
        }
        return prompts;
    }

    /** The prompt a client of this view names, or null when there is none it may use. */
    Catalog.Prompt prompt(Catalog catalog, String exposedName) {
        Catalog.Prompt prompt = exposedName == null ? null : catalog.prompt(exposedName);
        return prompt == null || !allows(catalog, prompt.namespace(), prompt.originalName()) ? null : prompt;
    }

    /** The resources (member {@code uri}) or templates (member {@code uriTemplate}) in this view. */
    List<ObjectNode> resources(List<ObjectNode> listed, String member, Catalog catalog) {
        if (everything) {
            return listed;
        }
        List<ObjectNode> visible = new ArrayList<>();
        for (ObjectNode item : listed) {
            String uri = item.path(member).asText();
            if (allows(catalog, catalog.namespaceOf(uri), uri)) {
                visible.add(item);
            }
        }
        return visible;
    }

    /** The instances that serve a resource URI and whose plugin this view allows it of. */
    List<String> owners(List<String> owners, String uri, Catalog catalog) {
        if (everything) {
            return owners;
        }
        RoutingTable table = engine.gateway().routingTable();
        List<String> allowed = new ArrayList<>(owners.size());
        for (String id : owners) {
            PluginInstance instance = table.instances().get(id);
            if (instance != null && allows(catalog, instance.manifest().namespace(), uri)) {
                allowed.add(id);
            }
        }
        return allowed;
    }

    /** The tool of this view a client knows by {@code name}, or null. */
    ExposedTool tool(String name) {
        RoutingTable table = engine.gateway().routingTable();
        String exposed = resolveTool(name, table, engine.catalog(table));
        ToolRoute route = exposed == null ? null : table.routeByExposedName(exposed);
        return route == null ? null : route.tool();
    }

    private ObjectNode shown(ExposedTool tool) {
        VirtualServer.ToolOverride override = virtualServer == null ? null
                : virtualServer.overrides().get(tool.key().namespace() + "/" + tool.key().name());
        if (override == null) {
            return tool.toJson();
        }
        ObjectNode definition = tool.definition().toJsonNamed(override.name() != null ? override.name()
                : tool.exposedName());
        if (override.title() != null) {
            definition.put("title", override.title());
        }
        if (override.description() != null) {
            definition.put("description", override.description());
        }
        return definition;
    }

    private String newName(ToolKey key) {
        VirtualServer.ToolOverride override = virtualServer == null ? null
                : virtualServer.overrides().get(key.namespace() + "/" + key.name());
        return override == null ? null : override.name();
    }

    /** Whether another tool of this view took the tool's exposed name as its new one: that one wins the name. */
    private boolean shadowed(ExposedTool tool) {
        String identity = renamed.get(tool.exposedName());
        return identity != null && !identity.equals(tool.key().namespace() + "/" + tool.key().name());
    }
}
