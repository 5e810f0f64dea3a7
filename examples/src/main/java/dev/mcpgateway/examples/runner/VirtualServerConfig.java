package dev.mcpgateway.examples.runner;

import dev.mcpgateway.server.VirtualServer;
import java.util.List;
import java.util.Map;

/**
 * One entry of the runner's {@code virtualServers:} list ({@link VirtualServer}): a curated toolset served at
 * {@code <server.path>/<name>}, such as {@code /mcp/payments}.
 *
 * <pre>{@code
 * virtualServers:
 *   - name: payments
 *     include: ["ledger/*", "github/create_issue"]
 *     labels: [{ team: payments }]
 *     overrides:
 *       github/create_issue: { name: file_bug, description: "File a payments bug" }
 * }</pre>
 *
 * @param name      the endpoint's name, part of its URL
 * @param include   patterns of the tools, prompts and resources included ({@code namespace/name})
 * @param labels    label selectors including whole plugins
 * @param overrides per tool ({@code namespace/name}), its name, title or description here
 */
public record VirtualServerConfig(String name, List<String> include, List<Map<String, String>> labels,
                                  Map<String, VirtualServer.ToolOverride> overrides) {
    public VirtualServerConfig {
        include = List.copyOf(include == null ? List.of() : include);
        labels = List.copyOf(labels == null ? List.of() : labels);
        overrides = Map.copyOf(overrides == null ? Map.of() : overrides);
        virtualServer(name, include, labels, overrides); // the library's checks, reported where the entry is
    }

    /** The virtual server this entry stands for. */
    public VirtualServer virtualServer() {
        return virtualServer(name, include, labels, overrides);
    }

    private static VirtualServer virtualServer(String name, List<String> include, List<Map<String, String>> labels,
                                               Map<String, VirtualServer.ToolOverride> overrides) {
        if (name == null) {
            throw new IllegalArgumentException("a virtual server needs a name, which is part of its URL: "
                    + "name: payments serves /mcp/payments");
        }
        VirtualServer.Builder builder = VirtualServer.builder(name).include(include.toArray(String[]::new));
        labels.forEach(builder::includeLabels);
        overrides.forEach(builder::override);
        return builder.build();
    }
}
