package dev.mcpgateway.balancer;

import dev.mcpgateway.plugin.PluginInstance;
import java.util.Objects;

/**
 * A plugin instance as a load balancer sees it: the registry's snapshot plus its live load figures.
 *
 * @param instance the instance snapshot this routing table was built from
 * @param stats    live figures, the same object for as long as the instance is registered
 */
public record Endpoint(PluginInstance instance, EndpointStats stats) {
    public Endpoint {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(stats, "stats");
    }

    /** The instance id. */
    public String id() {
        return instance.id();
    }

    /** The instance's relative weight (from its manifest, at least 1). */
    public int weight() {
        return instance.manifest().weight();
    }
}
