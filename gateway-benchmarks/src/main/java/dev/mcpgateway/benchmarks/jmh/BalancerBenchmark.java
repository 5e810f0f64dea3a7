package dev.mcpgateway.benchmarks.jmh;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.EndpointStats;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.balancer.Picker;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One pick of each load-balancing strategy over 3 or 100 endpoints, from one thread and from two threads sharing the
 * picker (the round-robin counter and the smooth-weighted lock are the shared state). Endpoints have unequal weights
 * (so {@code weighted} runs the smooth weighted picker rather than its round-robin shortcut), different numbers of
 * calls in flight and latency averages (so least-connections and p2c compare real figures).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BalancerBenchmark {
    private static final int MAX_WEIGHT = 5;
    private static final int MAX_IN_FLIGHT = 4;

    @Param({"round-robin", "least-connections", "weighted", "p2c"})
    public String balancer;

    @Param({"3", "100"})
    public int endpoints;

    Picker picker;

    @Setup(Level.Trial)
    public void buildPicker() {
        picker = LoadBalancer.byName(balancer).newPicker(null, endpoints(endpoints));
    }

    /** One pick from a single thread. */
    @Benchmark
    public Endpoint pick() {
        return picker.pick();
    }

    /** One pick while another thread picks from the same picker. */
    @Benchmark
    @Threads(2)
    public Endpoint pickFromTwoThreads() {
        return pick();
    }

    /** Instances of one plugin with weights 1 to 5, 0 to 3 calls in flight and latency averages of 1 to 7 ms. */
    static List<Endpoint> endpoints(int count) {
        List<Endpoint> list = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            PluginManifest manifest = PluginManifest.builder("files").version("1.0.0")
                    .transport(new TransportSpec.InProcess("files-" + i)).weight(1 + i % MAX_WEIGHT).build();
            PluginInstance instance = new PluginInstance(String.format("files-%03d", i), manifest, InstanceStatus.UP,
                    Health.HEALTHY, now, null, now, null, null, RegistrationSource.HOST);
            EndpointStats stats = new EndpointStats();
            stats.callStarted();
            stats.callFinished(TimeUnit.MILLISECONDS.toNanos(1 + i % 7), true);
            for (int call = 0; call < i % MAX_IN_FLIGHT; call++) {
                stats.callStarted();
            }
            list.add(new Endpoint(instance, stats));
        }
        return list;
    }
}
