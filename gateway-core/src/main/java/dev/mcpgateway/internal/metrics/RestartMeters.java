package dev.mcpgateway.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the restarts of plugin connections into {@code mcp.gateway.upstream.restarts}, tagged by plugin and
 * transport type: each time supervision tries again after a session broke (a process exited, a stream ended) or an
 * attempt to connect failed, so a crash loop shows as a steady rate. Not tagged by instance: ids come and go, and the
 * plugin is what an operator acts on.
 */
public final class RestartMeters {
    static final String NAME = "mcp.gateway.upstream.restarts";

    private final MeterRegistry registry;

    RestartMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * The counter of the connections of {@code plugin}'s instances over a transport of type {@code transport},
     * registered when a connection opens: a series that starts at 0 lets {@code increase()} see its first restart.
     */
    public Counter of(String plugin, String transport) {
        return Counter.builder(NAME)
                .description("Restarts of plugin connections by the gateway's supervision, by plugin and transport")
                .tags("plugin", plugin, "transport", transport).register(registry);
    }
}
