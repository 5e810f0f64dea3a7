package dev.mcpgateway.benchmarks;

import dev.mcpgateway.benchmarks.jmh.JmhRunner;
import dev.mcpgateway.benchmarks.load.LoadTool;
import dev.mcpgateway.benchmarks.scale.HealthOverhead;
import dev.mcpgateway.benchmarks.scale.ScaleBenchmark;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -jar benchmarks.jar [--quick] [--only part,...]}: the whole benchmark suite in one run (JMH
 * micro-benchmarks, end-to-end load, scale, health-probe cost), printed as one markdown report. A part that fails
 * is reported and the others still run; the exit status is 1 if any failed.
 */
public final class BenchmarkSuite {
    /** One part of the suite: a main that prints a markdown section. */
    private interface Part {
        void run(String[] args) throws Exception;
    }

    private static final Map<String, Part> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("jmh", JmhRunner::main);
        PARTS.put("load", LoadTool::main);
        PARTS.put("scale", ScaleBenchmark::main);
        PARTS.put("health", HealthOverhead::main);
    }

    private BenchmarkSuite() {
    }

    /**
     * Runs the suite.
     *
     * @param args {@code --quick} for short runs of every part (checks the harness, not a measurement);
     *             {@code --only jmh,load,scale,health} for a subset
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        boolean quick = false;
        List<String> selected = new ArrayList<>(PARTS.keySet());
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
        String[] partArgs = quick ? new String[] {"--quick"} : new String[0];
        Instant start = Instant.now();
        out.printf(Locale.ROOT, "# MCP Gateway benchmark results%n%n%s%n", machine(quick));
        List<String> failed = new ArrayList<>();
        for (String name : selected) {
            out.printf("%n<!-- part: %s -->%n", name);
            out.flush();
            try {
                PARTS.get(name).run(partArgs);
            } catch (Exception | Error e) {
                failed.add(name);
                out.printf("%n**%s FAILED**: %s%n", name, e);
                e.printStackTrace();
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
