package dev.mcpgateway.internal.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times the gateway's active health probes into {@code mcp.gateway.probes}, tagged by plugin and result
 * ({@code success}, {@code failure}): how long plugins take to answer them and how often they fail, which the
 * health transitions alone do not show (a plugin failing one probe in three never changes its health). Each plugin's
 * two timers are built on its first probe and kept.
 */
public final class ProbeMeters {
    static final String NAME = "mcp.gateway.probes";

    private final MeterRegistry registry;
    private final boolean histogram;
    /** Per plugin: the success timer, then the failure timer. */
    private final ConcurrentHashMap<String, Timer[]> byPlugin = new ConcurrentHashMap<>();

    ProbeMeters(MeterRegistry registry, boolean histogram) {
        this.registry = registry;
        this.histogram = histogram;
    }

    /** One probe of an instance of {@code plugin} settled after {@code nanos}: answered fit or not. */
    public void record(String plugin, boolean passed, long nanos) {
        Timer[] timers = byPlugin.get(plugin);
        if (timers == null) {
            timers = byPlugin.computeIfAbsent(plugin, p -> new Timer[] {timer(p, "success"), timer(p, "failure")});
        }
        timers[passed ? 0 : 1].record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String plugin, String result) {
        return Buckets.of(Timer.builder(NAME), histogram)
                .description("The gateway's active health probes, by plugin and result")
                .tags("plugin", plugin, "result", result).register(registry);
    }
}
