package dev.mcpgateway.plugin;

import dev.mcpgateway.mcp.Tool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a plugin instance offers and how to reach it: its name, namespace, version, transport, tools,
 * labels and load-balancing weight. Built once, validated, immutable; instances of one plugin may run
 * different versions (that is how canaries are routed).
 *
 * @param name      the plugin's name, e.g. {@code github}
 * @param namespace the namespace of its tools; defaults to the name
 * @param version   the plugin's version; semantic versions take part in version constraints
 * @param transport how to reach it
 * @param tools     the tools it offers, unique by name
 * @param labels    free-form labels for routing selectors, e.g. {@code region=eu}
 * @param weight    the relative share of traffic for weighted balancing, at least 1
 * @param catalog   its resources, resource templates and prompts
 */
public record PluginManifest(String name, String namespace, String version, TransportSpec transport,
                             List<Tool> tools, Map<String, String> labels, int weight, PluginCatalog catalog) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** Largest accepted weight; keeps weighted arithmetic far from overflow. */
    public static final int MAX_WEIGHT = 1_000_000;

    public PluginManifest {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("plugin name '" + name
                    + "' is invalid: use 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit");
        }
        namespace = namespace == null ? name : namespace;
        if (!NAME.matcher(namespace).matches()) {
            throw new IllegalArgumentException("plugin '" + name + "': namespace '" + namespace
                    + "' is invalid: use 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit");
        }
        version = version == null || version.isBlank() ? "0.0.0" : version.strip();
        Objects.requireNonNull(transport, "plugin '" + name + "' needs a transport");
        tools = List.copyOf(tools == null ? List.of() : tools);
        Set<String> seen = new HashSet<>();
        for (Tool tool : tools) {
            if (!seen.add(tool.name())) {
                throw new IllegalArgumentException("plugin '" + name + "' lists tool '" + tool.name() + "' twice");
            }
        }
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("plugin '" + name + "': weight must be between 1 and " + MAX_WEIGHT
                    + ", got " + weight);
        }
        catalog = catalog == null ? PluginCatalog.EMPTY : catalog;
    }

    /** Starts a manifest for the plugin with the given name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this manifest's values, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(name).namespace(namespace).version(version).transport(transport).weight(weight);
        b.tools.addAll(tools);
        b.labels.putAll(labels);
        b.catalog = catalog;
        return b;
    }

    /** The same manifest with another tool list (after discovery or a list_changed). */
    public PluginManifest withTools(List<Tool> newTools) {
        return new PluginManifest(name, namespace, version, transport, newTools, labels, weight, catalog);
    }

    /** The same manifest with another catalog of resources, templates and prompts. */
    public PluginManifest withCatalog(PluginCatalog newCatalog) {
        return new PluginManifest(name, namespace, version, transport, tools, labels, weight, newCatalog);
    }

    /** The same manifest reached through another transport. */
    public PluginManifest withTransport(TransportSpec newTransport) {
        return new PluginManifest(name, namespace, version, newTransport, tools, labels, weight, catalog);
    }

    /** The identity of one of this plugin's tools. */
    public ToolKey keyOf(Tool tool) {
        return new ToolKey(namespace, tool.name());
    }

    /** Builds a {@link PluginManifest}. */
    public static final class Builder {
        private final String name;
        private String namespace;
        private String version;
        private TransportSpec transport;
        private final List<Tool> tools = new ArrayList<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private int weight = 1;
        private PluginCatalog catalog = PluginCatalog.EMPTY;

        private Builder(String name) {
            this.name = name;
        }

        /** The namespace of the plugin's tools (defaults to its name). */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** The plugin's version (defaults to {@code 0.0.0}). */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** How to reach the plugin. */
        public Builder transport(TransportSpec transport) {
            this.transport = transport;
            return this;
        }

        /** Adds a tool. */
        public Builder tool(Tool tool) {
            tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /** Replaces the tool list. */
        public Builder tools(List<Tool> newTools) {
            tools.clear();
            tools.addAll(newTools);
            return this;
        }

        /** Adds a label. */
        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        /** The relative weight for weighted balancing (defaults to 1). */
        public Builder weight(int weight) {
            this.weight = weight;
            return this;
        }

        /** Its resources, resource templates and prompts. */
        public Builder catalog(PluginCatalog catalog) {
            this.catalog = catalog;
            return this;
        }

        /** The manifest; fails with what is wrong if a value is invalid. */
        public PluginManifest build() {
            return new PluginManifest(name, namespace, version, transport, tools, labels, weight, catalog);
        }
    }
}
