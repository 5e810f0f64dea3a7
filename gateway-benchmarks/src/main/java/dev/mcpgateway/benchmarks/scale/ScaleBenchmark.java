package dev.mcpgateway.benchmarks.scale;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.Router;
import dev.mcpgateway.routing.VersionConstraint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Issue 6's scale measurements: a registry of 1,000 instances and 50,000 tools built through the public API, the
 * heap it retains, how long one change takes to become routable (idle, then while threads call tools flat out), and
 * lookup time at that size. Prints a markdown report to stdout; {@code --quick} runs fewer repetitions.
 */
public final class ScaleBenchmark {
    /** Which instance receives the health flips and whose plugin gets extra instances. */
    private static final int TARGET_PLUGIN = 0;
    private static final int LOOKUP_BATCH = 1_000;
    private static final JsonNode CALL_ARGUMENTS = Json.object().put("id", "42");

    /**
     * How much to measure.
     *
     * @param shape           the registry to build
     * @param changeReps      repetitions of each cheap change (extra instance, deregistration, health flip)
     * @param newPluginReps   repetitions of registering (and removing) a plugin with new tool names
     * @param lookupTime      how long to time lookups
     * @param loadThreads     threads calling tools during the under-load runs
     */
    record Options(ScaleShape shape, int changeReps, int newPluginReps, Duration lookupTime, int loadThreads) {
        static Options full() {
            return new Options(ScaleShape.ISSUE_6, 500, 200, Duration.ofSeconds(10), 2);
        }

        /** The same shape, measured briefly. */
        Options quick() {
            return new Options(shape, 50, 15, Duration.ofSeconds(1), loadThreads);
        }

        Options withShape(ScaleShape other) {
            return new Options(other, changeReps, newPluginReps, lookupTime, loadThreads);
        }
    }

    private ScaleBenchmark() {
    }

    /**
     * Runs the measurements: {@code --quick} for a short run, {@code --sequential-names} to name plugins and tools
     * {@code p0042/tool_007} instead of word-like names.
     */
    public static void main(String[] args) {
        Options options = Options.full();
        for (String arg : args) {
            options = switch (arg) {
                case "--quick" -> options.quick();
                case "--sequential-names" -> options.withShape(options.shape().withNames(ScaleShape.Names.SEQUENTIAL));
                default -> throw new IllegalArgumentException("usage: ScaleBenchmark [--quick] [--sequential-names]; got "
                        + String.join(" ", args));
            };
        }
        System.out.print(run(options));
        System.out.flush();
    }

    /** Runs every measurement and returns the markdown report. */
    static String run(Options options) {
        ScaleShape shape = options.shape();
        StringBuilder report = new StringBuilder();
        report.append("# Scale: ").append(Measure.count(shape.instances())).append(" instances, ")
                .append(Measure.count(shape.tools())).append(" tools\n\n");
        report.append(shape.plugins()).append(" plugins × ").append(shape.toolsPerPlugin()).append(" tools × ")
                .append(shape.instancesPerPlugin()).append(" instances, ")
                .append(shape.names().name().toLowerCase(Locale.ROOT))
                .append(" names (e.g. `").append(shape.pluginName(1)).append('/').append(shape.toolName(1))
                .append("`), registered with McpGateway.register over a ")
                .append("stub transport (no sockets; tools answer at once). Default config: namespaced naming, ")
                .append("round-robin.\nMachine: ").append(Measure.machine()).append(".\n\n");
        long runStart = System.nanoTime();
        try (McpGateway gateway = stubGateway()) {
            report.append(buildAndMeasureHeap(gateway, shape));
            List<String> names = shuffledNames(gateway, 42);
            Changes idle = Changes.measure(gateway, shape, options.changeReps(), options.newPluginReps(), true);
            String lookups = lookups(gateway.router(), names, options.lookupTime());
            CallLoad load = new CallLoad(gateway, names, options.loadThreads());
            Changes loaded;
            try {
                loaded = Changes.measure(gateway, shape, options.changeReps(), options.newPluginReps(), false);
            } finally {
                load.close();
            }
            double callsPerSecond = load.callsPerSecond();
            long callFailures = load.failures();
            report.append("## Change to routable, idle gateway\n\nFrom the call to the registry until its future ")
                    .append("completes, which is after the new routing table is published (µs).\n\n")
                    .append(idle.table());
            report.append("\n## Change to routable under call load\n\n").append(options.loadThreads())
                    .append(" platform threads call `gateway.callTool` on random tools flat out meanwhile: ")
                    .append(Measure.count(Math.round(callsPerSecond))).append(" calls/s achieved, ")
                    .append(callFailures).append(" failed (a call may pick an instance in the instant it leaves).\n\n")
                    .append(loaded.table());
            report.append("\n## Lookup at ").append(Measure.count(names.size())).append(" tools\n\n").append(lookups);
        }
        report.append("\nTotal run time ").append(Measure.oneDecimal((System.nanoTime() - runStart) / 1e9)).append(" s.\n");
        return report.toString();
    }

    /** A gateway whose {@code http} transport is the {@link StubTransport}. */
    static McpGateway stubGateway() {
        return McpGateway.builder().transport(new StubTransport()).build();
    }

    /**
     * Registers every manifest at once, as a restart that re-registers a whole fleet would, and waits until all are
     * routable.
     */
    static List<PluginInstance> registerAll(McpGateway gateway, List<PluginManifest> manifests) {
        List<CompletableFuture<PluginInstance>> registered = new ArrayList<>(manifests.size());
        for (PluginManifest manifest : manifests) {
            registered.add(gateway.register(Registration.of(manifest)));
        }
        return registered.stream().map(CompletableFuture::join).toList();
    }

    /** The exposed names of every tool, in a random order fixed by {@code seed}. */
    static List<String> shuffledNames(McpGateway gateway, long seed) {
        List<String> names = new ArrayList<>(gateway.listTools().stream().map(ExposedTool::exposedName).toList());
        Collections.shuffle(names, new Random(seed));
        return names;
    }

    private static String buildAndMeasureHeap(McpGateway gateway, ScaleShape shape) {
        long emptyHeap = Measure.settledHeapBytes();
        List<PluginManifest> manifests = shape.manifests();
        long definitionsHeap = Measure.settledHeapBytes() - emptyHeap;
        long tablesBefore = gateway.routingTable().version();
        long start = System.nanoTime();
        registerAll(gateway, manifests);
        long buildNanos = System.nanoTime() - start;
        long tableBuilds = gateway.routingTable().version() - tablesBefore;
        manifests = null; // from here on only the registry holds them
        long retained = Measure.settledHeapBytes() - emptyHeap;
        int toolInstances = shape.tools() * shape.instancesPerPlugin();
        long overhead = retained - definitionsHeap;
        if (gateway.listTools().size() != shape.tools() || gateway.registry().instances().size() != shape.instances()) {
            throw new IllegalStateException("the registry holds " + gateway.registry().instances().size()
                    + " instances and " + gateway.listTools().size() + " tools, not " + shape.instances() + " and "
                    + shape.tools());
        }
        return "## Bulk registration and heap\n\n"
                + "| what | value |\n|---|---|\n"
                + "| registering all " + Measure.count(shape.instances()) + " instances at once, until routable | "
                + Measure.oneDecimal(buildNanos / 1e6) + " ms (" + tableBuilds + " table build(s)) |\n"
                + "| heap retained by registry + routing table, tool definitions included | "
                + Measure.mebibytes(retained) + " |\n"
                + "| … of which the manifests' tool definitions (" + Measure.count(toolInstances) + ", one per tool per "
                + "instance) | " + Measure.mebibytes(definitionsHeap) + " |\n"
                + "| … of which registry + routing structures | " + Measure.mebibytes(overhead) + " |\n"
                + "| bytes per exposed tool, all in | " + Measure.count(retained / shape.tools()) + " |\n"
                + "| registry + routing bytes per tool per instance | " + Measure.count(overhead / toolInstances) + " |\n\n";
    }

    private static String lookups(Router router, List<String> names, Duration time) {
        int sink = 0;
        for (int pass = 0; pass < 3; pass++) { // warm-up: compile the route path
            for (String name : names) {
                sink += router.route(name, VersionConstraint.ANY).endpoint().id().length();
            }
        }
        Histogram batchNanosPerLookup = Measure.nanosHistogram();
        long totalNanos = 0;
        long lookups = 0;
        long deadline = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < deadline) {
            for (int from = 0; from + LOOKUP_BATCH <= names.size(); from += LOOKUP_BATCH) {
                long start = System.nanoTime();
                for (int i = from; i < from + LOOKUP_BATCH; i++) {
                    sink += router.route(names.get(i), VersionConstraint.ANY).endpoint().id().length();
                }
                long elapsed = System.nanoTime() - start;
                batchNanosPerLookup.recordValue(elapsed / LOOKUP_BATCH);
                totalNanos += elapsed;
                lookups += LOOKUP_BATCH;
            }
        }
        if (sink == 42) {
            System.out.print(""); // keeps the JIT from dropping the lookups
        }
        return "`router.route(name, ANY)` over all names in random order, batches of " + LOOKUP_BATCH + ", single "
                + "thread, idle gateway; " + Measure.count(lookups) + " lookups.\n\n"
                + "| mean ns/lookup | batch p50 | batch p99 | batch max |\n|---|---|---|---|\n"
                + Measure.oneDecimal((double) totalNanos / lookups) + " | "
                + batchNanosPerLookup.getValueAtPercentile(50) + " | " + batchNanosPerLookup.getValueAtPercentile(99)
                + " | " + batchNanosPerLookup.getMaxValue() + " |\n";
    }

    /**
     * Change-to-routable latencies at scale: (a) another instance of an existing plugin, (b) a plugin with new tool
     * names, (c) deregistering each again, (d) health flips.
     */
    record Changes(Histogram extraInstance, Histogram extraInstanceLeaves, Histogram newPlugin,
                   Histogram newPluginLeaves, Histogram healthFlip) {

        /** Measures each change on {@code gateway}, which must hold {@code shape}'s registry; leaves it as it found it. */
        static Changes measure(McpGateway gateway, ScaleShape shape, int changeReps, int newPluginReps,
                               boolean withHealth) {
            String existing = shape.pluginName(TARGET_PLUGIN);
            PluginManifest extra = shape.manifest(existing);
            PluginManifest fresh = shape.manifest("fresh");
            warmUp(gateway, extra, fresh, Math.max(5, changeReps / 10));
            Changes changes = new Changes(Measure.nanosHistogram(), Measure.nanosHistogram(), Measure.nanosHistogram(),
                    Measure.nanosHistogram(), Measure.nanosHistogram());
            registerAndLeave(gateway, extra, changeReps, changes.extraInstance, changes.extraInstanceLeaves);
            registerAndLeave(gateway, fresh, newPluginReps, changes.newPlugin, changes.newPluginLeaves);
            if (withHealth) {
                flipHealth(gateway, existing + "-1", changeReps, changes.healthFlip);
            }
            return changes;
        }

        private static void warmUp(McpGateway gateway, PluginManifest extra, PluginManifest fresh, int reps) {
            registerAndLeave(gateway, extra, reps, Measure.nanosHistogram(), Measure.nanosHistogram());
            registerAndLeave(gateway, fresh, Math.max(1, reps / 4), Measure.nanosHistogram(), Measure.nanosHistogram());
        }

        /** Registers an instance of {@code manifest}, checks it is routable, deregisters it; times both. */
        private static void registerAndLeave(McpGateway gateway, PluginManifest manifest, int reps, Histogram register,
                                             Histogram deregister) {
            String id = "bench-" + manifest.name();
            ToolKey probe = manifest.keyOf(manifest.tools().get(0));
            for (int i = 0; i < reps; i++) {
                long start = System.nanoTime();
                gateway.register(Registration.of(id, manifest)).join();
                Measure.recordSince(register, start);
                if (gateway.registry().findByTool(probe).stream().noneMatch(instance -> instance.id().equals(id))) {
                    throw new IllegalStateException(id + " was registered but does not serve " + probe);
                }
                start = System.nanoTime();
                gateway.registry().deregister(id).join();
                Measure.recordSince(deregister, start);
            }
        }

        private static void flipHealth(McpGateway gateway, String instanceId, int reps, Histogram flips) {
            for (int i = 0; i < reps; i++) {
                Health health = i % 2 == 0 ? Health.UNHEALTHY : Health.HEALTHY;
                long start = System.nanoTime();
                gateway.registry().reportHealth(instanceId, health, "benchmark").join();
                Measure.recordSince(flips, start);
            }
            gateway.registry().reportHealth(instanceId, Health.UNKNOWN, "benchmark done").join();
        }

        /** The markdown table of these latencies. */
        String table() {
            StringBuilder table = new StringBuilder("| change | n | p50 µs | p99 µs | max µs |\n|---|---|---|---|---|\n")
                    .append("| (a) register another instance of an existing plugin | ")
                    .append(Measure.micros(extraInstance)).append(" |\n")
                    .append("| (b) register a new plugin with ")
                    .append("new tool names | ").append(Measure.micros(newPlugin)).append(" |\n")
                    .append("| (c) deregister the extra instance of (a) | ")
                    .append(Measure.micros(extraInstanceLeaves)).append(" |\n")
                    .append("| (c') deregister the new plugin of (b) | ")
                    .append(Measure.micros(newPluginLeaves)).append(" |\n");
            if (healthFlip.getTotalCount() > 0) {
                table.append("| (d) health flip (reportHealth UNHEALTHY ↔ HEALTHY) | ").append(Measure.micros(healthFlip))
                        .append(" |\n");
            }
            return table.toString();
        }
    }

    /** Threads calling random tools through the gateway as fast as they can, until closed. */
    static final class CallLoad implements AutoCloseable {
        private final LongAdder calls = new LongAdder();
        private final LongAdder failures = new LongAdder();
        private final List<Thread> threads = new ArrayList<>();
        private final long startNanos = System.nanoTime();
        private volatile boolean running = true;
        private volatile long stopNanos;

        CallLoad(McpGateway gateway, List<String> names, int threadCount) {
            for (int t = 0; t < threadCount; t++) {
                Random random = new Random(t);
                threads.add(Thread.ofPlatform().name("scale-load-" + t).daemon(true).start(() -> {
                    long done = 0;
                    long failed = 0;
                    while (running) {
                        try {
                            gateway.callTool(names.get(random.nextInt(names.size())), CALL_ARGUMENTS).join();
                        } catch (RuntimeException e) {
                            failed++;
                        }
                        done++;
                    }
                    calls.add(done);
                    failures.add(failed);
                }));
            }
        }

        /** Calls completed per second over the load's life; valid once closed. */
        double callsPerSecond() {
            return calls.sum() / ((stopNanos - startNanos) / 1e9);
        }

        /** Calls that failed; valid once closed. */
        long failures() {
            return failures.sum();
        }

        /** Calls made so far by threads that have stopped; all of them once closed. */
        long calls() {
            return calls.sum();
        }

        @Override
        public void close() {
            running = false;
            stopNanos = System.nanoTime();
            for (Thread thread : threads) {
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
