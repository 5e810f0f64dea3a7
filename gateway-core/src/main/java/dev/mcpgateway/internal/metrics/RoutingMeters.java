package dev.mcpgateway.internal.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Times the router's choice of an instance for each tool call attempt into {@code mcp.gateway.routing.decisions},
 * tagged only by result ({@code routed}, or {@code no_route} when it found none), so a decision costs two clock
 * reads and one recording: no tags, no lookups. Without histogram buckets: decisions take microseconds, below the
 * smallest bucket, so only the count, sum and max say anything.
 */
public final class RoutingMeters {
    static final String NAME = "mcp.gateway.routing.decisions";

    private final Timer routed;
    private final Timer noRoute;

    RoutingMeters(MeterRegistry registry) {
        this.routed = timer(registry, "routed");
        this.noRoute = timer(registry, "no_route");
    }

    /** {@code routing}, timed: a decision that throws (no route) is timed as {@code no_route} and rethrown. */
    public <T, R> Function<T, R> timed(Function<T, R> routing) {
        return call -> {
            long start = System.nanoTime();
            try {
                R routedTo = routing.apply(call);
                routed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                return routedTo;
            } catch (RuntimeException e) {
                noRoute.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                throw e;
            }
        };
    }

    private static Timer timer(MeterRegistry registry, String result) {
        return Timer.builder(NAME).description("The router's choice of an instance for a tool call, by result")
                .tag("result", result).register(registry);
    }
}
