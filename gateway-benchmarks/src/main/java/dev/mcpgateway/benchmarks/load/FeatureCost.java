package dev.mcpgateway.benchmarks.load;

import dev.mcpgateway.benchmarks.load.LoadRunner.Mode;
import dev.mcpgateway.benchmarks.load.LoadRunner.RunResult;
import dev.mcpgateway.benchmarks.load.LoadRunner.RunSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * What each of the gateway's optional features costs on each HTTP load path (issue 18: none may cost more than 10 %
 * of throughput): closed-loop throughput and JVM CPU per call of load scenarios 1 to 3, with the baseline gateway
 * and with one feature on at a time ({@link Feature}), baseline and feature runs alternating, each on a freshly
 * started gateway after its own warm-up. Prints a markdown table of the medians over the rounds; progress goes to
 * stderr.
 */
public final class FeatureCost {
    /** The throughput loss issue 18 allows a feature on any path. */
    private static final double ALLOWED_LOSS = 0.10;

    private FeatureCost() {
    }

    /**
     * What to measure.
     *
     * @param paths    the load scenarios (1 to 3: each goes through the HTTP front door)
     * @param features the features, each measured against the baseline (never {@link Feature#BASELINE} itself)
     * @param clients  concurrent load clients (connections)
     * @param warmup   sending before each measured run; the JIT on 2 cores needs about 10 s
     * @param duration each measured run
     * @param rounds   baseline and feature runs of each feature on each path
     */
    record Options(List<Scenario> paths, List<Feature> features, int clients, Duration warmup, Duration duration,
                   int rounds) {
        static final String USAGE = """
                Usage: FeatureCost [options]
                  --paths 1,2,3       load scenarios (default all three):
                                        1 HTTP → gateway → in-process tool
                                        2 HTTP → gateway → HTTP plugin
                                        3 HTTP → gateway → stdio plugin ×2
                  --features LIST     comma-separated, default all: %s
                  --clients N         concurrent clients, one connection each (default 16)
                  --warmup D          warm-up before each run, e.g. 10s (default 10s: the JIT on 2 cores needs it)
                  --duration D        each measured run (default 6s)
                  --rounds N          baseline and feature runs per feature and path (default 2, at least 1)
                  --quick             warm-up 500ms, runs of 700ms, 1 round: checks the harness in 1 to 3 minutes
                                      (most of it starting gateways and plugins); its numbers mean nothing
                  --help              this text
                PostgreSQL and Redis for the persistence feature: POSTGRES_HOST (127.0.0.1), POSTGRES_PORT,
                POSTGRES_DB (test), POSTGRES_USER (postgres), POSTGRES_PASSWORD, REDIS_HOST (127.0.0.1), REDIS_PORT.
                """.formatted(Feature.labels().replace("baseline, ", ""));

        Options {
            paths = List.copyOf(paths);
            features = features.stream().filter(feature -> feature != Feature.BASELINE).distinct().toList();
            if (paths.isEmpty() || features.isEmpty()) {
                throw new IllegalArgumentException("at least one path and one feature");
            }
            if (paths.contains(Scenario.IN_PROCESS)) {
                throw new IllegalArgumentException("--paths takes 1, 2 and 3: the features act at the HTTP front door");
            }
            if (clients < 1 || rounds < 1) {
                throw new IllegalArgumentException("--clients and --rounds must be at least 1");
            }
            if (duration.isNegative() || duration.isZero() || warmup.isNegative()) {
                throw new IllegalArgumentException("--duration must be positive and --warmup not negative");
            }
        }

        /** The full measurement: 3 paths × 7 features × 2 rounds × 2 runs of 16 s, with setups some 25 minutes. */
        static Options defaults() {
            return new Options(List.of(Scenario.HTTP_IN_PROCESS, Scenario.HTTP_HTTP, Scenario.HTTP_STDIO),
                    Arrays.asList(Feature.values()), 16, Duration.ofSeconds(10), Duration.ofSeconds(6), 2);
        }

        /**
         * Parses the command line.
         *
         * @return the options, or null if {@code --help} was asked for
         * @throws IllegalArgumentException naming what is wrong
         */
        static Options parse(String... args) {
            Options d = defaults();
            List<Scenario> paths = d.paths;
            List<Feature> features = d.features;
            int clients = d.clients;
            Duration warmup = d.warmup;
            Duration duration = d.duration;
            int rounds = d.rounds;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> {
                        return null;
                    }
                    case "--quick" -> {
                        warmup = Duration.ofMillis(500);
                        duration = Duration.ofMillis(700);
                        rounds = 1;
                    }
                    case "--paths" -> {
                        paths = new ArrayList<>();
                        for (String number : LoadOptions.value(args, ++i, arg).split(",")) {
                            paths.add(Scenario.number(LoadOptions.parseInt(number.trim(), arg)));
                        }
                    }
                    case "--features" -> {
                        features = new ArrayList<>();
                        for (String label : LoadOptions.value(args, ++i, arg).split(",")) {
                            features.add(Feature.named(label));
                        }
                    }
                    case "--clients" -> clients = LoadOptions.parseInt(LoadOptions.value(args, ++i, arg), arg);
                    case "--warmup" -> warmup = LoadOptions.parseDuration(LoadOptions.value(args, ++i, arg), arg);
                    case "--duration" -> duration = LoadOptions.parseDuration(LoadOptions.value(args, ++i, arg), arg);
                    case "--rounds" -> rounds = LoadOptions.parseInt(LoadOptions.value(args, ++i, arg), arg);
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'; see --help");
                }
            }
            return new Options(paths, features, clients, warmup, duration, rounds);
        }
    }

    /**
     * One measured run.
     *
     * @param path    the load scenario
     * @param feature the feature on, or {@link Feature#BASELINE}
     * @param result  what it measured, or null if the run could not be made
     * @param failure why it could not be made, or null
     */
    record Run(Scenario path, Feature feature, RunResult result, String failure) {
    }

    /** Measures what the arguments ({@code --help} lists them) ask for and prints the report. */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("FeatureCost: " + e.getMessage());
            System.err.print(Options.USAGE);
            return;
        }
        if (options == null) {
            System.out.print(Options.USAGE);
            return;
        }
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                .substring(0, 19) + " UTC";
        double loadBefore = loadAverage();
        List<Run> runs = measure(options, System.err);
        double loadAfter = loadAverage();
        System.out.print(markdown(options, started, commit(), loadBefore, loadAfter, runs));
        System.out.flush();
        // The stdio plugins and the stores' threads are gone; what is left (JIT, daemon timers) must not hold the exit.
        System.exit(0);
    }

    /**
     * Measures every feature on every path: for each path and round, a baseline run before each feature's run, the
     * features in reverse order every other round, so that drift over the run (heat, the machine's other load, the
     * JIT still compiling) falls on baseline and features alike.
     */
    static List<Run> measure(Options options, PrintStream progress) {
        List<Run> runs = new ArrayList<>();
        RunSpec spec = new RunSpec(Mode.CLOSED, options.clients(), options.warmup(), options.warmup(),
                options.duration(), 0, 0);
        for (Scenario path : options.paths()) {
            progress.printf("path %d: %s%n", path.number, path.gatewayPath);
            for (int round = 0; round < options.rounds(); round++) {
                List<Feature> order = new ArrayList<>(options.features());
                if (round % 2 == 1) {
                    order = order.reversed();
                }
                for (Feature feature : order) {
                    runs.add(runOnce(path, Feature.BASELINE, spec, progress));
                    runs.add(runOnce(path, feature, spec, progress));
                }
            }
        }
        return runs;
    }

    /** One run on a gateway started for it with {@code feature} on; a run that fails is reported, not thrown. */
    static Run runOnce(Scenario path, Feature feature, RunSpec spec, PrintStream progress) {
        try (Feature.On on = feature.on(); Scenario.Fixture fixture = path.start(EchoPlugin.NAME, on.setup())) {
            RunResult result = LoadRunner.run(fixture.gateway(), spec);
            progress.printf(Locale.ROOT, "  %-18s %,10.0f req/s  %,8.1f µs CPU/call  errors %d%n", feature.label,
                    result.throughputPerSecond(), result.cpuMicrosPerRequest(), result.errors() + result.failures());
            return new Run(path, feature, result, null);
        } catch (Exception e) {
            progress.printf("  %-18s failed: %s%n", feature.label, e);
            return new Run(path, feature, null, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** The report: throughput per feature and path against the baseline, then CPU per call the same way. */
    static String markdown(Options options, String started, String commit, double loadBefore, double loadAfter,
                           List<Run> runs) {
        StringBuilder out = new StringBuilder("## Feature cost (issue 18)\n\n");
        out.append(String.format(Locale.ROOT, "%s, commit %s; %d cores, %s %s; load average %.2f at the start, %.2f at "
                        + "the end. Closed loop, %d clients (platform threads in the gateway's JVM, one keep-alive "
                        + "connection each); each run on a freshly started gateway, %s warm-up then %s measured; %d "
                        + "round(s) of a baseline run before each feature run; medians over the rounds (the baseline: "
                        + "over all its runs on the path).%n%n", started, commit,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), loadBefore, loadAfter, options.clients(),
                seconds(options.warmup()), seconds(options.duration()), options.rounds()));
        out.append("Baseline: ").append(Feature.BASELINE.description).append(". Each feature row has that one "
                + "feature on; a cell is the median throughput and its change against the baseline's median.\n\n");
        table(out, options, runs, "req/s", RunResult::throughputPerSecond, true);
        out.append("\nJVM CPU per call, in µs (load clients included, and in scenarios 1 and 2 the plugin, which "
                + "runs in this JVM; scenario 3's plugin processes are not):\n\n");
        table(out, options, runs, "µs", RunResult::cpuMicrosPerRequest, false);
        out.append("\npipeline: always on (admission, retry, in-flight tracking, instance limit, outlier detection, "
                + "endpoint stats) and cannot be switched off as a whole; its cost is the issue-11 comparison in "
                + "docs/BENCHMARKS.md. The \"pipeline minimal\" row switches off what can be (outlier detection, the "
                + "retry budget): a gain there is what those parts cost.\n");
        for (Feature feature : options.features()) {
            out.append("\n- ").append(feature.label).append(": ").append(feature.description);
        }
        out.append('\n');
        return out.toString();
    }

    /** One table: a row per feature, a column per path, and (for throughput) whether the feature keeps the goal. */
    private static void table(StringBuilder out, Options options, List<Run> runs, String unit,
                              ToDoubleFunction<RunResult> metric, boolean verdict) {
        out.append("| feature |");
        for (Scenario path : options.paths()) {
            out.append(' ').append(path.number).append(' ').append(path.gatewayPath).append(" |");
        }
        out.append(verdict ? " worst | within 10 % |\n|---|" : "\n|---|");
        out.append("---:|".repeat(options.paths().size())).append(verdict ? "---:|:---:|\n" : "\n");
        Map<Scenario, Double> baselines = new EnumMap<>(Scenario.class);
        out.append("| baseline |");
        for (Scenario path : options.paths()) {
            List<Run> base = runsOf(runs, path, Feature.BASELINE);
            double median = median(base, metric);
            baselines.put(path, median);
            out.append(' ').append(cell(median, unit, base)).append(' ').append(spread(base, metric, median))
                    .append(" |");
        }
        out.append(verdict ? " | |\n" : "\n");
        for (Feature feature : options.features()) {
            out.append("| ").append(feature.label).append(" |");
            double worst = Double.NaN;
            for (Scenario path : options.paths()) {
                List<Run> measured = runsOf(runs, path, feature);
                double median = median(measured, metric);
                double change = median / baselines.get(path) - 1;
                if (!Double.isNaN(change) && !(worst <= change)) {
                    worst = change;
                }
                out.append(' ').append(cell(median, unit, measured));
                if (!Double.isNaN(change)) {
                    out.append(String.format(Locale.ROOT, " (%s vs baseline)", percent(change)));
                }
                out.append(" |");
            }
            if (verdict) {
                boolean judged = feature != Feature.PIPELINE_MINIMAL && !Double.isNaN(worst);
                out.append(' ').append(Double.isNaN(worst) ? "–" : percent(worst)).append(" | ")
                        .append(!judged ? "–" : worst >= -ALLOWED_LOSS ? "yes" : "**no**").append(" |\n");
            } else {
                out.append('\n');
            }
        }
    }

    private static List<Run> runsOf(List<Run> runs, Scenario path, Feature feature) {
        return runs.stream().filter(run -> run.path() == path && run.feature() == feature).toList();
    }

    /** The median of the runs that measured something, NaN if none did. */
    static double median(List<Run> runs, ToDoubleFunction<RunResult> metric) {
        double[] values = runs.stream().filter(run -> run.result() != null && run.result().requests() > 0)
                .mapToDouble(run -> metric.applyAsDouble(run.result())).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** A median, with the errors and failed runs behind it, which make it suspect. */
    private static String cell(double median, String unit, List<Run> runs) {
        StringBuilder cell = new StringBuilder(Double.isNaN(median) ? "–"
                : String.format(Locale.ROOT, median >= 1_000 ? "%,.0f %s" : "%.1f %s", median, unit));
        long errors = runs.stream().filter(run -> run.result() != null)
                .mapToLong(run -> run.result().errors() + run.result().failures()).sum();
        long failed = runs.stream().filter(run -> run.result() == null).count();
        if (errors > 0) {
            cell.append(" ⚠ ").append(errors).append(" errors");
        }
        if (failed > 0) {
            cell.append(" ⚠ ").append(failed).append(" run(s) failed: ").append(runs.stream()
                    .filter(run -> run.failure() != null).map(Run::failure).findFirst().orElse("")
                    .replace('|', '/'));
        }
        return cell.toString();
    }

    /** How far the baseline's runs lay from their median: the noise any feature's change must be read against. */
    private static String spread(List<Run> runs, ToDoubleFunction<RunResult> metric, double median) {
        double widest = runs.stream().filter(run -> run.result() != null && run.result().requests() > 0)
                .mapToDouble(run -> Math.abs(metric.applyAsDouble(run.result()) / median - 1)).max().orElse(0);
        return String.format(Locale.ROOT, "(runs within ±%.1f %%)", widest * 100);
    }

    private static String percent(double change) {
        return String.format(Locale.ROOT, "%s%.1f %%", change < 0 ? "−" : "+", Math.abs(change) * 100);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The checked-out commit, as {@code git rev-parse --short HEAD} says, or {@code unknown}. */
    static String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0 && !out.isEmpty()) {
                return out;
            }
        } catch (IOException e) {
            // no git here: unknown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
