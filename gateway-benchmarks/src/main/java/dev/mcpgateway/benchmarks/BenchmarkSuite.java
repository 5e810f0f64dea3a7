package dev.mcpgateway.benchmarks;

import dev.mcpgateway.benchmarks.jmh.JmhRunner;
import dev.mcpgateway.benchmarks.load.FeatureCost;
import dev.mcpgateway.benchmarks.load.LoadTool;
import dev.mcpgateway.benchmarks.scale.HealthOverhead;
import dev.mcpgateway.benchmarks.scale.ScaleBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -jar benchmarks.jar [--quick] [--only part,...]}: the whole benchmark suite in one run (JMH
 * micro-benchmarks, end-to-end load, scale, health-probe cost; each feature's cost only with {@code --only features}),
 * printed as one markdown report. Each part runs in a JVM of its own, so none measures the garbage, threads or JIT
 * state another left behind. A part that fails is reported and the others still run; the exit status is 1 if any
 * failed.
 */
public final class BenchmarkSuite {
    private static final Map<String, Class<?>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("jmh", JmhRunner.class);
        PARTS.put("load", LoadTool.class);
        PARTS.put("scale", ScaleBenchmark.class);
        PARTS.put("health", HealthOverhead.class);
        PARTS.put("features", FeatureCost.class);
    }

    /**
     * The parts a run without {@code --only} runs: all but {@code features}, whose alternating runs take some 25
     * minutes and would more than triple the suite's time.
     */
    private static final List<String> DEFAULT_PARTS = List.of("jmh", "load", "scale", "health");

    private BenchmarkSuite() {
    }

    /**
     * Runs the suite.
     *
     * @param args {@code --quick} for short runs of every part (checks the harness, not a measurement);
     *             {@code --only jmh,load,scale,health,features} for a subset, or for {@code features}, which the
     *             suite leaves out by default
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        PrintStream out = System.out;
        boolean quick = false;
        List<String> selected = DEFAULT_PARTS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> {
                    if (i + 1 >= args.length || !PARTS.keySet().containsAll(List.of(args[i + 1].split(",")))) {
                        usage("--only takes a comma-separated list of " + PARTS.keySet());
                        return;
                    }
                    selected = List.of(args[++i].split(","));
                }
                default -> {
                    usage("unknown argument '" + args[i] + "'");
                    return;
                }
            }
        }
        Instant start = Instant.now();
        out.printf(Locale.ROOT, "# MCP Gateway benchmark results%n%n%s%n", machine(quick));
        List<String> failed = new ArrayList<>();
        for (String name : selected) {
            out.printf("%n<!-- part: %s -->%n", name);
            out.flush();
            int status = runInOwnJvm(PARTS.get(name), quick);
            if (status != 0) {
                failed.add(name);
                out.printf("%n**%s FAILED** (exit status %d; its output is above)%n", name, status);
            }
            out.flush();
        }
        out.printf(Locale.ROOT, "%nSuite time: %d s.%s%n", Duration.between(start, Instant.now()).toSeconds(),
                failed.isEmpty() ? "" : " Failed parts: " + failed);
        out.flush();
        if (!failed.isEmpty()) {
            System.exit(1);
        }
    }

    /** Runs a part's main on this JVM's java and class path, its output going where this JVM's goes. */
    private static int runInOwnJvm(Class<?> main, boolean quick) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        if (quick) {
            command.add("--quick");
        }
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: benchmarks.jar [--quick] [--only " + String.join(",", PARTS.keySet()) + "]");
        System.exit(2);
    }
    /** What the numbers were measured on; they mean little without it. */
    private static String machine(boolean quick) {
        Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT, "%s; %d cores, max heap %d MiB; %s %s (%s); %s %s; load average at start %.2f%s",
                Instant.now(), runtime.availableProcessors(), runtime.maxMemory() >> 20,
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"), System.getProperty("os.name"), System.getProperty("os.version"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                quick ? ". QUICK RUN: short iterations, a harness check, not a measurement." : "");
    }
}
