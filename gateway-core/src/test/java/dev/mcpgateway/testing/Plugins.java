package dev.mcpgateway.testing;

import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;

/** Small factories for plugin manifests in tests. */
public final class Plugins {
    private Plugins() {
    }

    /** A manifest for plugin {@code name} at {@code version} offering the named tools over a dummy stdio command. */
    public static PluginManifest manifest(String name, String version, String... tools) {
        PluginManifest.Builder builder = PluginManifest.builder(name).version(version)
                .transport(TransportSpec.Stdio.of("true"));
        for (String tool : tools) {
            builder.tool(Tool.builder(tool).description("test tool " + tool).build());
        }
        return builder.build();
    }
}
