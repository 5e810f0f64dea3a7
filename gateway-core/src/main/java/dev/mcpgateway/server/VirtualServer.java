package dev.mcpgateway.server;

import dev.mcpgateway.routing.ToolPattern;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A curated toolset under its own endpoint: a named view of the gateway that exposes a chosen subset of its tools,
 * prompts and resources, optionally renaming or redescribing tools, so one team can be handed what it needs without
 * running another gateway. The HTTP front door serves each at {@code <path>/<name>} (e.g. {@code /mcp/github-team});
 * {@link McpServer#virtualServer(String)} gives the server a front door feeds. Filtering is not authorization: a
 * client of a virtual server sees only what both the virtual server includes and the server's
 * {@link dev.mcpgateway.auth.AccessPolicy} allows it.
 *
 * <p>Items are named by identity: {@code <namespace>/<name>} for tools and prompts, {@code <namespace>/<uri>} for
 * resources (see {@link ToolPattern}). An item is included when a pattern covers it, or when an instance of its
 * plugin carries every label of one of the label selectors (the whole plugin is then included).
 *
 * @param name           the endpoint's name: lower-case letters, digits, {@code -}, {@code _} and {@code .}, starting
 *                       with a letter or digit, at most 64 characters
 * @param items          patterns of the items included (an explicit list is patterns without wildcards)
 * @param labelSelectors selectors of whole plugins by their instances' labels
 * @param overrides      per tool identity ({@code namespace/name}, no wildcards): what clients of this virtual server
 *                       see instead of the tool's exposed name, title and description; applies only to tools it
 *                       includes
 */
public record VirtualServer(String name, List<ToolPattern> items, List<Map<String, String>> labelSelectors,
                            Map<String, ToolOverride> overrides) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** The characters of a tool name the MCP specification allows, 1 to 128 of them. */
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_./-]{1,128}");

    /**
     * What a virtual server shows of one tool instead of the plugin's own; each part null to keep the original.
     *
     * @param name        the tool's name in this virtual server (unique in it), or null
     * @param title       its title, or null
     * @param description its description, or null
     */
    public record ToolOverride(String name, String title, String description) {
        public ToolOverride {
            if (name != null && !TOOL_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("an overriding tool name has 1 to 128 of the characters A-Z a-z 0-9"
                        + " _ . / -, got '" + name + "'");
            }
            if (name == null && title == null && description == null) {
                throw new IllegalArgumentException("an override changes at least one of name, title and description");
            }
        }
    }

    /** Validates the settings and copies the collections. */
    public VirtualServer {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a virtual server's name is part of its URL: lower-case letters, digits,"
                    + " '-', '_' and '.', starting with a letter or digit, at most 64 characters; got '" + name + "'");
        }
        items = List.copyOf(Objects.requireNonNull(items, "items"));
        List<Map<String, String>> selectors = new ArrayList<>();
        for (Map<String, String> selector : Objects.requireNonNull(labelSelectors, "labelSelectors")) {
            if (selector.isEmpty()) {
                throw new IllegalArgumentException("virtual server '" + name + "': an empty label selector would "
                        + "include every plugin; use the pattern '*' to mean that");
            }
            selectors.add(Map.copyOf(selector));
        }
        labelSelectors = List.copyOf(selectors);
        if (items.isEmpty() && labelSelectors.isEmpty()) {
            throw new IllegalArgumentException("virtual server '" + name + "' includes nothing: give it patterns such "
                    + "as 'github/*' or 'files/read_file', or label selectors such as team=payments");
        }
        overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
        Map<String, String> byNewName = new HashMap<>();
        overrides.forEach((identity, override) -> {
            int slash = identity.indexOf('/');
            if (slash <= 0 || slash == identity.length() - 1 || identity.contains("*") || identity.contains("?")) {
                throw new IllegalArgumentException("virtual server '" + name + "': an override names one tool as "
                        + "namespace/name without wildcards, got '" + identity + "'");
            }
            String previous = override.name() == null ? null : byNewName.put(override.name(), identity);
            if (previous != null) {
                throw new IllegalArgumentException("virtual server '" + name + "': tools '" + previous + "' and '"
                        + identity + "' are both renamed '" + override.name() + "'; names must be unique");
            }
        });
    }

    /** A virtual server to build; {@code name} as {@link VirtualServer#name()} requires. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Whether the item {@code namespace/name} is included, given the labels of the instances of its plugin.
     *
     * @param pluginLabels the labels of each instance of the item's plugin (empty when none is known)
     */
    public boolean includes(String namespace, String name, Collection<Map<String, String>> pluginLabels) {
        for (ToolPattern pattern : items) {
            if (pattern.matches(namespace, name)) {
                return true;
            }
        }
        for (Map<String, String> selector : labelSelectors) {
            for (Map<String, String> labels : pluginLabels) {
                if (labels.entrySet().containsAll(selector.entrySet())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Builds a {@link VirtualServer}. */
    public static final class Builder {
        private final String name;
        private final List<ToolPattern> items = new ArrayList<>();
        private final List<Map<String, String>> labelSelectors = new ArrayList<>();
        private final Map<String, ToolOverride> overrides = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Includes the items these patterns cover, e.g. {@code github/*} or {@code files/read_file}.
         *
         * @throws IllegalArgumentException if one is not a valid {@link ToolPattern}
         */
        public Builder include(String... patterns) {
            for (String pattern : patterns) {
                items.add(ToolPattern.parse(pattern));
            }
            return this;
        }

        /** Includes every plugin an instance of which carries all of these labels. */
        public Builder includeLabels(Map<String, String> selector) {
            labelSelectors.add(new LinkedHashMap<>(Objects.requireNonNull(selector, "selector")));
            return this;
        }

        /** Shows the tool {@code namespace/name} with another name, title or description (nulls keep the original). */
        public Builder override(String tool, ToolOverride override) {
            overrides.put(Objects.requireNonNull(tool, "tool"), Objects.requireNonNull(override, "override"));
            return this;
        }

        /** The virtual server; fails with what to fix. */
        public VirtualServer build() {
            return new VirtualServer(name, items, labelSelectors, overrides);
        }
    }
}
