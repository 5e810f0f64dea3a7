package dev.mcpgateway.benchmarks.jmh;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.plugin.PluginInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How long one registration takes to become routable (the registry future completes only after the routing table
 * reflecting it is published) in a registry of 1,000 instances: 200 plugins of 10 tools, 5 instances each. Adding
 * an instance of an existing plugin changes no tool names; adding a new plugin changes the set of tools and so
 * re-runs tool naming. Each registration is deregistered after its invocation, outside the timing, so every
 * invocation starts from the same 1,000 instances. A lease renewal, which crosses to the control loop and back
 * without a rebuild, is the baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RebuildBenchmark {
    static final int PLUGINS = 200;
    static final int INSTANCES_PER_PLUGIN = 5;
    static final int TOOLS_PER_PLUGIN = 10;
    static final String VERSION = "1.0.0";

    McpGateway gateway;
    List<InProcessPlugin> plugins;
    /** A plugin none of whose tools is registered. */
    InProcessPlugin newcomer;
    private PluginInstance anyInstance;
    private int nextPlugin;
    /** What the last invocation registered, removed again after it. */
    private PluginInstance added;

    @Setup(Level.Trial)
    public void buildRegistry() {
        gateway = McpGateway.builder().build();
        plugins = new ArrayList<>(PLUGINS);
        List<InProcessPlugin> instances = new ArrayList<>(PLUGINS * INSTANCES_PER_PLUGIN);
        for (int p = 0; p < PLUGINS; p++) {
            InProcessPlugin plugin = Fleet.plugin(Fleet.pluginName(p), VERSION, TOOLS_PER_PLUGIN);
            plugins.add(plugin);
            for (int i = 0; i < INSTANCES_PER_PLUGIN; i++) {
                instances.add(plugin);
            }
        }
        anyInstance = Fleet.registerAll(gateway, instances).getFirst();
        newcomer = Fleet.plugin("newcomer", VERSION, TOOLS_PER_PLUGIN);
    }

    /** Removes what the invocation added; joining it also waits out the manifest update its connection queued. */
    @TearDown(Level.Invocation)
    public void deregisterAdded() {
        if (added != null) {
            gateway.registry().deregister(added.id()).join();
            added = null;
        }
    }

    @TearDown(Level.Trial)
    public void closeGateway() {
        gateway.close();
    }

    /** One more instance of an existing plugin (plugins taken in turn), until routable. */
    @Benchmark
    public PluginInstance registerInstanceOfExistingPlugin() {
        InProcessPlugin plugin = plugins.get(nextPlugin);
        nextPlugin = (nextPlugin + 1) % PLUGINS;
        added = gateway.registerInProcess(plugin).join();
        return added;
    }

    /** The first instance of a plugin with 10 tools nobody offers yet, until routable. */
    @Benchmark
    public PluginInstance registerNewPlugin() {
        added = gateway.registerInProcess(newcomer).join();
        return added;
    }

    /** A round trip through the control loop that publishes no new table. */
    @Benchmark
    public PluginInstance renewLease() {
        return gateway.registry().renew(anyInstance.id()).join();
    }
}
