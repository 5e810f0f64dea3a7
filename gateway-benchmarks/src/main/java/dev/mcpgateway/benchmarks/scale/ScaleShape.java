package dev.mcpgateway.benchmarks.scale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a large registry: how many plugins, how many tools each and how many instances of each, with the
 * manifests that make it up. Every instance gets a manifest of its own, as it would after its own discovery, so
 * memory figures count one set of tool definitions per instance.
 *
 * @param plugins            distinct plugins (each its own namespace)
 * @param toolsPerPlugin     tools each plugin offers
 * @param instancesPerPlugin instances registered for each plugin
 * @param names              how plugins and tools are named
 */
public record ScaleShape(int plugins, int toolsPerPlugin, int instancesPerPlugin, Names names) {
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "da", "fi", "go",
            "hu", "ja", "pe", "zu"};
    private static final String[] VERBS = {"get", "list", "create", "update", "delete", "search", "read", "write", "sync",
            "watch"};
    private static final String[] NOUNS = {"issue", "file", "user", "branch", "commit", "ticket", "page", "record",
            "message", "event"};

    /** The size issue 6 asks for: 1,000 instances and 50,000 tools. */
    public static final ScaleShape ISSUE_6 = new ScaleShape(500, 100, 2, Names.WORDS);

    /** How the generated plugins and tools are named; hash-based structures care. */
    public enum Names {
        /** Word-like names ({@code kalomi}, {@code create_issue}), as real plugins have. */
        WORDS,
        /**
         * Numbered names ({@code p0042}, {@code tool_007}): a worst case for {@code String.hashCode}, whose
         * combinations in {@code ToolKey} collide (50,000 keys share 9,500 hash codes).
         */
        SEQUENTIAL
    }

    private static final TransportSpec STUB_ENDPOINT = TransportSpec.Http.of("http://127.0.0.1:9/mcp");

    public ScaleShape {
        Objects.requireNonNull(names, "names");
        if (plugins < 1 || toolsPerPlugin < 1 || instancesPerPlugin < 1) {
            throw new IllegalArgumentException("plugins, tools per plugin and instances per plugin must be at least 1, got "
                    + plugins + ", " + toolsPerPlugin + ", " + instancesPerPlugin);
        }
        if (names == Names.WORDS && plugins > SYLLABLES.length * SYLLABLES.length * SYLLABLES.length) {
            throw new IllegalArgumentException("word-like names run out after " + SYLLABLES.length * SYLLABLES.length
                    * SYLLABLES.length + " plugins, got " + plugins + "; use Names.SEQUENTIAL");
        }
    }

    /** The same shape with other names. */
    public ScaleShape withNames(Names other) {
        return new ScaleShape(plugins, toolsPerPlugin, instancesPerPlugin, other);
    }

    /** Instances in the registry. */
    public int instances() {
        return plugins * instancesPerPlugin;
    }

    /** Distinct tools clients see. */
    public int tools() {
        return plugins * toolsPerPlugin;
    }

    /** The name of plugin number {@code index}. */
    public String pluginName(int index) {
        return switch (names) {
            case WORDS -> syllable(index) + syllable(index / SYLLABLES.length)
                    + syllable(index / (SYLLABLES.length * SYLLABLES.length));
            case SEQUENTIAL -> String.format("p%04d", index);
        };
    }

    private static String syllable(int index) {
        return SYLLABLES[index % SYLLABLES.length];
    }

    /** The name of each plugin's tool number {@code index}. */
    public String toolName(int index) {
        return switch (names) {
            case WORDS -> VERBS[index % 10] + "_" + NOUNS[index / 10 % 10] + (index < 100 ? "" : "_" + index / 100);
            case SEQUENTIAL -> String.format("tool_%03d", index);
        };
    }

    /** One manifest per instance, plugin by plugin. */
    public List<PluginManifest> manifests() {
        List<PluginManifest> manifests = new ArrayList<>(instances());
        for (int p = 0; p < plugins; p++) {
            for (int i = 0; i < instancesPerPlugin; i++) {
                manifests.add(manifest(pluginName(p)));
            }
        }
        return manifests;
    }

    /** A manifest of plugin {@code name} with this shape's number of tools, reached through the stub transport. */
    public PluginManifest manifest(String name) {
        List<Tool> tools = new ArrayList<>(toolsPerPlugin);
        for (int t = 0; t < toolsPerPlugin; t++) {
            tools.add(tool(name, toolName(t)));
        }
        return PluginManifest.builder(name).version("1.0.0").transport(STUB_ENDPOINT).tools(tools).build();
    }

    /** A definition about the size of a small real one: a sentence of description and a one-property schema. */
    private static Tool tool(String plugin, String name) {
        ObjectNode schema = Json.object().put("type", "object");
        schema.putObject("properties").putObject("id").put("type", "string").put("description", "which item to read");
        schema.putArray("required").add("id");
        return Tool.builder(name).description("Reads one item of " + plugin + " by id and returns it as JSON ("
                + name + ")").inputSchema(schema).build();
    }
}
