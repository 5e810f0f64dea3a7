package dev.mcpgateway.benchmarks.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import org.junit.jupiter.api.Test;

/** The access benchmark measures what it says: calls that succeed, and lists of what the token may see. */
class AccessBenchmarkTest {

    private static AccessBenchmark started(String access) {
        AccessBenchmark benchmark = new AccessBenchmark();
        benchmark.access = access;
        benchmark.start();
        return benchmark;
    }

    @Test
    void withoutAPolicyTheSessionSeesEveryToolAndCalls() {
        AccessBenchmark benchmark = started("none");
        try {
            JsonRpcResponse call = benchmark.call();
            assertFalse(call.isError(), () -> call.error().message());
            assertEquals(AccessBenchmark.PLUGINS * AccessBenchmark.TOOLS_PER_PLUGIN,
                    benchmark.list().result().path("tools").size());
        } finally {
            benchmark.stop();
        }
    }

    @Test
    void withThePolicyTheTokenSeesItsTwoPluginsAndCalls() {
        AccessBenchmark benchmark = started("policy");
        try {
            JsonRpcResponse call = benchmark.call();
            assertFalse(call.isError(), () -> call.error().message());
            assertEquals(2 * AccessBenchmark.TOOLS_PER_PLUGIN, benchmark.list().result().path("tools").size());
            int allowed = 0;
            for (int i = 0; i < benchmark.tools.length; i++) {
                allowed += benchmark.decide() ? 1 : 0;
            }
            assertEquals(2 * AccessBenchmark.TOOLS_PER_PLUGIN, allowed, "one rotation decides every tool once");
        } finally {
            benchmark.stop();
        }
    }
}
