package dev.mcpgateway.benchmarks.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

/** The metrics benchmark measures what it says: successful calls, recorded with metrics on and not without. */
class MetricsBenchmarkTest {

    private static MetricsBenchmark started(String metrics) {
        MetricsBenchmark benchmark = new MetricsBenchmark();
        benchmark.metrics = metrics;
        benchmark.start();
        return benchmark;
    }

    @Test
    void withoutMetricsTheCallsSucceedUnrecorded() {
        MetricsBenchmark benchmark = started("off");
        try {
            assertFalse(benchmark.call().isError());
            assertEquals(MetricsBenchmark.TOOLS, benchmark.tools.length);
            assertFalse(benchmark.gateway.metrics().isPresent());
        } finally {
            benchmark.stop();
        }
    }

    @Test
    void withPrometheusEveryCallIsRecorded() {
        MetricsBenchmark benchmark = started("prometheus");
        try {
            for (int i = 0; i < 2 * MetricsBenchmark.TOOLS; i++) {
                assertFalse(benchmark.call().isError());
            }
            long recorded = benchmark.gateway.metrics().orElseThrow().registry().find("mcp.tool.calls")
                    .tag("outcome", "success").timers().stream().mapToLong(Timer::count).sum();
            assertEquals(2 * MetricsBenchmark.TOOLS, recorded);
        } finally {
            benchmark.stop();
        }
    }
}
