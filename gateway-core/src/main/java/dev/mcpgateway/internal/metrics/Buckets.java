package dev.mcpgateway.internal.metrics;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The histogram buckets of the timers of requests (probes, the MCP server's operations): the boundaries
 * OpenTelemetry's MCP conventions advise for {@code mcp.server.operation.duration}, 10 ms to 300 s. Fifteen
 * buckets rather than Micrometer's seventy-odd default ones, so a series tagged by method and tool stays cheap.
 */
final class Buckets {
    private static final Duration[] BOUNDARIES = {Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};

    private Buckets() {
    }

    /** The builder with these buckets when {@code histogram} is on (the host's {@code MetricsOptions}). */
    static Timer.Builder of(Timer.Builder builder, boolean histogram) {
        return histogram ? builder.serviceLevelObjectives(BOUNDARIES) : builder;
    }
}
