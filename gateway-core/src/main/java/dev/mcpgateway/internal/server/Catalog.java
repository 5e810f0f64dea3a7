package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.mcp.CacheHint;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.routing.RoutingTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The resources, resource templates and prompts of every routable instance, as one server offers them: prompts
 * renamed by the gateway's naming strategy (as tools are), resource URIs kept as the plugins gave them and mapped
 * back to the instances that offer them, and the caching hint of each aggregated list. Built from one routing
 * table; immutable.
 */
final class Catalog {
    static final Catalog EMPTY = new Catalog(-1, List.of(), List.of(), List.of(), Map.of(), List.of(), Map.of(), Map.of(),
            Map.of(), Map.of());
    /** The lists the gateway aggregates, by method; each has a caching hint. */
    private static final List<String> LISTS = List.of("tools/list", "resources/list", "resources/templates/list",
            "prompts/list");

    /** A prompt as clients see it and where it comes from: the namespace of the plugin whose definition is listed. */
    record Prompt(String exposedName, String namespace, String originalName, ObjectNode definition,
                  List<String> instances) {
    }

    /** A resource template with the fixed prefix of its URI template, used to route reads of URIs it expands to. */
    record Template(String prefix, List<String> instances) {
    }

    final long version;
    final List<ObjectNode> resources;
    final List<ObjectNode> templates;
    final List<ObjectNode> prompts;
    private final Map<String, Prompt> promptsByName;
    private final List<Template> templateOwners;
    private final Map<String, List<String>> resourceOwners;
    private final Map<String, CacheHint> hints;
    /** The namespace of the plugin whose definition of each resource (by URI) or template (by URI template) is listed. */
    private final Map<String, String> namespaces;
    /** The labels of each routable instance, by its plugin's namespace: what virtual servers select plugins by. */
    private final Map<String, List<Map<String, String>>> labels;

    private Catalog(long version, List<ObjectNode> resources, List<ObjectNode> templates, List<ObjectNode> prompts,
                    Map<String, Prompt> promptsByName, List<Template> templateOwners,
                    Map<String, List<String>> resourceOwners, Map<String, CacheHint> hints,
                    Map<String, String> namespaces, Map<String, List<Map<String, String>>> labels) {
        this.version = version;
        this.resources = resources;
        this.templates = templates;
        this.prompts = prompts;
        this.promptsByName = promptsByName;
        this.templateOwners = templateOwners;
        this.resourceOwners = resourceOwners;
        this.hints = hints;
        this.namespaces = namespaces;
        this.labels = labels;
    }

    static Catalog of(RoutingTable table, ToolNaming naming) {
        Map<String, ObjectNode> resources = new LinkedHashMap<>();
        Map<String, List<String>> resourceOwners = new HashMap<>();
        Map<String, ObjectNode> templates = new LinkedHashMap<>();
        Map<String, List<String>> templateOwnersByUri = new HashMap<>();
        Map<ToolKey, ObjectNode> promptDefinitions = new HashMap<>();
        Map<ToolKey, List<String>> promptOwners = new HashMap<>();
        Map<String, CacheHint> hints = new HashMap<>();
        Map<String, String> namespaces = new HashMap<>();
        Map<String, List<Map<String, String>>> labels = new HashMap<>();
        for (PluginInstance instance : table.instances().values()) { // sorted by id: the first offer wins
            if (!instance.isRoutable()) {
                continue;
            }
            var catalog = instance.manifest().catalog();
            String namespace = instance.manifest().namespace();
            labels.computeIfAbsent(namespace, n -> new ArrayList<>()).add(instance.manifest().labels());
            // An aggregate is fresh only as long as its shortest-lived part, and private if any part is.
            for (String list : LISTS) {
                hints.merge(list, catalog.listHint(list), CacheHint::and);
            }
            for (ObjectNode resource : catalog.resources()) {
                String uri = resource.path("uri").asText(null);
                if (uri != null) {
                    if (resources.putIfAbsent(uri, resource) == null) {
                        namespaces.put(uri, namespace);
                    }
                    resourceOwners.computeIfAbsent(uri, u -> new ArrayList<>()).add(instance.id());
                }
            }
            for (ObjectNode template : catalog.resourceTemplates()) {
                String uriTemplate = template.path("uriTemplate").asText(null);
                if (uriTemplate != null) {
                    if (templates.putIfAbsent(uriTemplate, template) == null) {
                        namespaces.put(uriTemplate, namespace);
                    }
                    templateOwnersByUri.computeIfAbsent(uriTemplate, u -> new ArrayList<>()).add(instance.id());
                }
            }
            for (ObjectNode prompt : catalog.prompts()) {
                String name = prompt.path("name").asText(null);
                if (name != null && !name.isEmpty()) {
                    ToolKey key = new ToolKey(namespace, name);
                    promptDefinitions.putIfAbsent(key, prompt);
                    promptOwners.computeIfAbsent(key, k -> new ArrayList<>()).add(instance.id());
                }
            }
        }
        SortedMap<String, ToolKey> names = promptDefinitions.isEmpty() ? new TreeMap<>()
                : naming.assign(promptDefinitions.keySet());
        Map<String, Prompt> promptsByName = new LinkedHashMap<>();
        List<ObjectNode> prompts = new ArrayList<>();
        names.forEach((exposed, key) -> {
            ObjectNode definition = promptDefinitions.get(key).deepCopy();
            definition.put("name", exposed);
            promptsByName.put(exposed, new Prompt(exposed, key.namespace(), key.name(), definition,
                    List.copyOf(promptOwners.get(key))));
            prompts.add(definition);
        });
        List<Template> templateOwners = new ArrayList<>();
        templateOwnersByUri.forEach((uriTemplate, owners) -> {
            int brace = uriTemplate.indexOf('{');
            templateOwners.add(new Template(brace < 0 ? uriTemplate : uriTemplate.substring(0, brace), List.copyOf(owners)));
        });
        // Longest prefix first, so the most specific template routes a URI.
        templateOwners.sort((a, b) -> Integer.compare(b.prefix().length(), a.prefix().length()));
        return new Catalog(table.version(), List.copyOf(resources.values()), List.copyOf(templates.values()),
                List.copyOf(prompts), promptsByName, List.copyOf(templateOwners), resourceOwners, Map.copyOf(hints),
                namespaces, labels);
    }

    /** The caching hint of an aggregated list by its method: what its plugins said, {@link CacheHint#NONE} if nothing. */
    CacheHint hint(String listMethod) {
        return hints.getOrDefault(listMethod, CacheHint.NONE);
    }

    /** One of the instances offering an item, spread over them (they are replicas of one plugin or alternatives). */
    static String any(List<String> instances) {
        return instances.get(instances.size() == 1 ? 0
                : ThreadLocalRandom.current().nextInt(instances.size()));
    }

    /** Every prompt, in the order clients see them. */
    Collection<Prompt> promptEntries() {
        return promptsByName.values();
    }

    /** The namespace of the plugin whose listed definition of a resource URI or URI template this is, or null. */
    String namespaceOf(String uriOrTemplate) {
        return namespaces.get(uriOrTemplate);
    }

    /** The labels of the routable instances of a plugin, by its namespace (empty when it has none). */
    List<Map<String, String>> labelsOf(String namespace) {
        return labels.getOrDefault(namespace, List.of());
    }

    /** The prompt a client names, or null. */
    Prompt prompt(String exposedName) {
        return promptsByName.get(exposedName);
    }

    /** The instances that can serve a resource URI: those listing it, else those whose template it matches. */
    List<String> ownersOf(String uri) {
        List<String> owners = resourceOwners.get(uri);
        if (owners != null) {
            return owners;
        }
        for (Template template : templateOwners) {
            if (uri.startsWith(template.prefix())) {
                return template.instances();
            }
        }
        return List.of();
    }
}
