package dev.mcpgateway.benchmarks.jmh;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.inprocess.ToolHandler;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Builds the plugin fleets the benchmarks register: in-process plugins with numbered tools, so a table of any
 * size can be built through the gateway's real registry and naming without starting processes.
 */
final class Fleet {
    private static final ToolHandler ANSWER_OK = (arguments, context) -> CallToolResult.text("ok");

    private Fleet() {
    }

    /** The name of plugin number {@code index}, e.g. {@code plugin-0042}. */
    static String pluginName(int index) {
        return String.format("plugin-%04d", index);
    }

    /**
     * A plugin with {@code tools} tools named {@code operation_00}, {@code operation_01}, …; instances of one plugin
     * at different versions are separate {@code InProcessPlugin}s with the same name.
     */
    static InProcessPlugin plugin(String name, String version, int tools) {
        InProcessPlugin.Builder builder = InProcessPlugin.builder(name).version(version);
        for (int t = 0; t < tools; t++) {
            builder.tool(String.format("operation_%02d", t), "Operation " + t + " of " + name, ANSWER_OK);
        }
        return builder.build();
    }

    /**
     * Registers every plugin in the list (a plugin listed twice gets two instances) without waiting in between,
     * so the control loop batches them as it would a fleet starting up, and waits until all are routable and the
     * registry is idle.
     */
    /** How long registered instances may take to connect and be reported healthy. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    static List<PluginInstance> registerAll(McpGateway gateway, List<InProcessPlugin> instances) {
        List<CompletableFuture<PluginInstance>> registered = new ArrayList<>(instances.size());
        for (InProcessPlugin plugin : instances) {
            registered.add(gateway.registerInProcess(plugin));
        }
        List<PluginInstance> all = registered.stream().map(CompletableFuture::join).toList();
        awaitIdle(gateway, all.getFirst());
        return all;
    }

    /**
     * Waits until the control loop has applied every change that registering queued. Connecting to a new instance
     * queues a manifest update (the tools it lists) and, once that is applied, the report that the instance is healthy;
     * a measurement must not start while those still rebuild the table. So: every instance healthy, then a lease
     * renewal, which changes nothing and completes after every change queued before it.
     */
    static void awaitIdle(McpGateway gateway, PluginInstance anyInstance) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (gateway.registry().instances().stream().anyMatch(instance -> instance.health() != Health.HEALTHY)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the registered instances were not all healthy within " + SETTLE_TIMEOUT);
            }
            LockSupport.parkNanos(1_000_000);
        }
        gateway.registry().renew(anyInstance.id()).join();
    }
}
