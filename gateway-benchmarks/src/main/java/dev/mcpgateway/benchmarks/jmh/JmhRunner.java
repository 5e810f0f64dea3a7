package dev.mcpgateway.benchmarks.jmh;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the gateway's JMH micro-benchmarks (routing, balancers, codec, table rebuild) with settings that finish in a
 * few minutes and prints the results as a markdown table on stdout; JMH's progress goes to stderr.
 *
 * <p>Arguments: any number of regular expressions selecting benchmarks (matched against
 * {@code dev.mcpgateway.benchmarks.jmh.<Class>.<method>}, e.g. {@code Routing} or {@code Balancer.*pick$}), all of
 * them by default; {@code --quick} for one short warmup and measurement iteration (a smoke run, not a measurement).
 */
public final class JmhRunner {
    static final String PACKAGE = JmhRunner.class.getPackageName();
    private static final String USAGE = "usage: JmhRunner [--quick] [benchmark-regex ...]";
    /** The first JDK that warns about sun.misc.Unsafe memory access by default. */
    private static final int UNSAFE_WARNING_FEATURE = 24;

    private JmhRunner() {
    }

    /**
     * How much to run: which benchmarks and how many iterations of what length, in one fork each.
     *
     * @param includes              regular expressions selecting benchmarks; empty for all of this package
     * @param warmupIterations      iterations run and discarded before measuring
     * @param measurementIterations iterations measured
     * @param iterationTime         the length of every iteration
     * @param forks                 JVMs per benchmark (0 runs in this JVM, for tests only)
     */
    record Settings(List<String> includes, int warmupIterations, int measurementIterations, Duration iterationTime,
                    int forks) {
        Settings {
            includes = List.copyOf(includes);
        }

        /** About four minutes for everything on two cores. */
        static Settings full(List<String> includes) {
            return new Settings(includes, 2, 3, Duration.ofSeconds(1), 1);
        }

        /** One 200 ms warmup and one 200 ms measurement: checks that everything runs. */
        static Settings quick(List<String> includes) {
            return new Settings(includes, 1, 1, Duration.ofMillis(200), 1);
        }

        /** Reads {@code [--quick] [regex ...]}. */
        static Settings parse(String... args) {
            boolean quick = false;
            List<String> includes = new ArrayList<>();
            for (String arg : args) {
                if (arg.equals("--quick")) {
                    quick = true;
                } else if (arg.startsWith("-")) {
                    throw new IllegalArgumentException("unknown option '" + arg + "'; " + USAGE);
                } else {
                    includes.add(arg);
                }
            }
            return quick ? quick(includes) : full(includes);
        }

        /** One line saying what ran, for the report. */
        String describe() {
            return String.format(Locale.ROOT, "%d warmup + %d measurement iterations of %d ms, %d fork(s), JDK %s",
                    warmupIterations, measurementIterations, iterationTime.toMillis(), forks,
                    Runtime.version());
        }

        ChainedOptionsBuilder toOptions() {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .warmupIterations(warmupIterations)
                    .warmupTime(TimeValue.milliseconds(iterationTime.toMillis()))
                    .measurementIterations(measurementIterations)
                    .measurementTime(TimeValue.milliseconds(iterationTime.toMillis()))
                    .forks(forks)
                    .shouldFailOnError(true);
            if (Runtime.version().feature() >= UNSAFE_WARNING_FEATURE) {
                // JMH 1.37 uses sun.misc.Unsafe, which JDK 24+ warns about in every fork; forks run on this JDK.
                options.jvmArgsAppend("--sun-misc-unsafe-memory-access=allow");
            }
            if (includes.isEmpty()) {
                options.include("^" + PACKAGE.replace(".", "\\.") + "\\.");
            } else {
                includes.forEach(options::include);
            }
            return options;
        }
    }

    /** Runs the selected benchmarks and prints the markdown report to stdout. */
    public static void main(String[] args) {
        Settings settings = Settings.parse(args);
        Collection<RunResult> results = run(settings, System.err);
        System.out.print(markdown(settings, results));
    }

    /** Runs the benchmarks, JMH's progress going to {@code progress}; fails if any benchmark failed. */
    static Collection<RunResult> run(Settings settings, PrintStream progress) {
        try {
            Collection<RunResult> results = new Runner(settings.toOptions().build(),
                    OutputFormatFactory.createFormatInstance(progress, VerboseMode.NORMAL)).run();
            if (results.isEmpty()) {
                throw new IllegalArgumentException("no benchmark matches " + settings.includes() + "; " + USAGE);
            }
            return results;
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed: " + e.getMessage(), e);
        }
    }

    /** The results as a markdown table; percentiles only for sample-time runs, which record them. */
    static String markdown(Settings settings, Collection<RunResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("JMH micro-benchmarks: ").append(settings.describe()).append("\n\n");
        out.append("| benchmark | params | mode | score | error | units | p50 | p99 | p99.9 |\n");
        out.append("|---|---|---|---:|---:|---|---:|---:|---:|\n");
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            Result<?> primary = result.getPrimaryResult();
            boolean sampled = params.getMode() == Mode.SampleTime;
            out.append("| ").append(params.getBenchmark().substring(PACKAGE.length() + 1))
                    .append(" | ").append(describeParams(params))
                    .append(" | ").append(params.getMode().shortLabel())
                    .append(" | ").append(number(primary.getScore()))
                    .append(" | ").append(number(primary.getScoreError()))
                    .append(" | ").append(primary.getScoreUnit())
                    .append(" | ").append(sampled ? number(primary.getStatistics().getPercentile(50)) : "")
                    .append(" | ").append(sampled ? number(primary.getStatistics().getPercentile(99)) : "")
                    .append(" | ").append(sampled ? number(primary.getStatistics().getPercentile(99.9)) : "")
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String describeParams(BenchmarkParams params) {
        StringJoiner joiner = new StringJoiner(", ");
        for (String key : params.getParamsKeys()) {
            joiner.add(key + "=" + params.getParam(key));
        }
        if (params.getThreads() > 1) {
            joiner.add("threads=" + params.getThreads());
        }
        return joiner.toString();
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        return String.format(Locale.ROOT, magnitude >= 1000 ? "%.0f" : magnitude >= 10 ? "%.1f" : "%.3f", value);
    }
}
