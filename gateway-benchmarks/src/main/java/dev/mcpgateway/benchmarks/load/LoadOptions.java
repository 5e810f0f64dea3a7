package dev.mcpgateway.benchmarks.load;

import dev.mcpgateway.benchmarks.load.LoadRunner.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@link LoadTool} runs: which scenarios, in which modes, for how long, with how many clients and at which
 * open-loop rate.
 *
 * @param scenarios    the scenarios, in order
 * @param modes        closed loop, open loop or both
 * @param clients      concurrent load clients (connections) per run
 * @param warmup       sending before each measured run, at least
 * @param warmupLimit  sending before a closed-loop run at most, while the JIT is busy ({@link Warmup}); the same as
 *                     {@code warmup} for a fixed warm-up
 * @param duration     each measured run
 * @param ratePerSecond the open-loop rate, or 0 for {@code rateFraction} of the gateway path's closed-loop maximum
 * @param rateFraction the share of the closed-loop maximum the open loop runs at when no rate is given
 * @param toolName     the plugin tool called ({@code echo}; another name measures error answers)
 * @param requestLimit the most requests measured per run, 0 for none (tests)
 */
record LoadOptions(List<Scenario> scenarios, Set<Mode> modes, int clients, Duration warmup, Duration warmupLimit,
                   Duration duration, double ratePerSecond, double rateFraction, String toolName, long requestLimit) {
    static final String USAGE = """
            Usage: LoadTool [options]
              --scenarios 1,2,...   which scenarios (default all):
                                      1 HTTP → gateway → in-process tool   (direct: the same HTTP server, canned answer)
                                      2 HTTP → gateway → HTTP plugin       (direct: HTTP → the plugin)
                                      3 HTTP → gateway → stdio plugin ×2   (direct: MCP client engine → stdio)
                                      4 McpGateway.callTool → in-process   (direct: the tool handler)
                                      5 HTTP → byte relay → HTTP plugin    (direct: HTTP → the plugin; scenario 2
                                        without the MCP work, roughly the most its ratio can reach here)
                                      6 HTTP → gateway → in-process tool on the request's thread (direct: as 1)
              --mode closed|open|both  closed loop (max throughput), open loop (fixed rate), or both (default)
              --clients N           concurrent clients, one connection each (default 16)
              --warmup D            warm-up before each run, e.g. 3s, 500ms (default 10s: on two cores the JIT
                                    compiles for at least that long, and a shorter one measures the compiler;
                                    30s with --mode open alone, whose warm-up is the JVM's first load: at half
                                    of max the JIT was still recompiling after 10s in half of the runs)
              --warmup-limit D      a closed-loop warm-up goes on past --warmup while the JIT is busy (a second
                                    with 50 ms of compiling or more), up to this in all (default 60s; the same as
                                    --warmup for a fixed warm-up)
              --duration D          each measured run (default 8s)
              --rate R              open-loop requests/s (default: --rate-fraction of the gateway's closed max)
              --rate-fraction F     default 0.5
              --quick               warm-up 700ms, runs of 1s: everything in about 35 s (checks the harness;
                                    too short for the JIT to settle, so not for comparing numbers)
              --help                this text
            Prints a markdown report on stdout; progress goes to stderr.
            """;

    LoadOptions {
        scenarios = List.copyOf(scenarios);
        modes = Set.copyOf(modes);
        if (scenarios.isEmpty() || modes.isEmpty()) {
            throw new IllegalArgumentException("at least one scenario and one mode");
        }
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be at least 1, got " + clients);
        }
        if (duration.isNegative() || duration.isZero() || warmup.isNegative()) {
            throw new IllegalArgumentException("--duration must be positive and --warmup not negative");
        }
        if (warmupLimit.compareTo(warmup) < 0) {
            throw new IllegalArgumentException("--warmup-limit (" + warmupLimit.toMillis() + " ms) must not be "
                    + "shorter than --warmup (" + warmup.toMillis() + " ms)");
        }
        if (ratePerSecond < 0 || !(rateFraction > 0)) {
            throw new IllegalArgumentException("--rate must not be negative and --rate-fraction must be positive");
        }
        if (modes.contains(Mode.OPEN) && !modes.contains(Mode.CLOSED) && ratePerSecond == 0) {
            throw new IllegalArgumentException("--mode open alone needs --rate (otherwise it runs at a share of "
                    + "the closed-loop maximum)");
        }
    }

    /**
     * The warm-up of an open-loop-only run when none is given. Its warm-up is the first load the JVM sees, at a rate
     * below the maximum; after 10 s of it the compiler was still recompiling in half of the runs (0.5-0.8 of the two
     * cores), so the measured run saw a machine near saturation and a backlog that never drained.
     */
    static final Duration OPEN_ALONE_WARMUP = Duration.ofSeconds(30);

    /** {@code --quick}'s warm-up: long enough to check the harness, too short to compare numbers. */
    static final Duration QUICK_WARMUP = Duration.ofMillis(700);
    /** {@code --quick}'s measured runs. */
    static final Duration QUICK_DURATION = Duration.ofSeconds(1);

    /** The longest a closed-loop warm-up waits for the JIT by default. */
    static final Duration DEFAULT_WARMUP_LIMIT = Duration.ofSeconds(60);

    /**
     * The default full run: every scenario, both modes, 16 clients, 8 s runs after at least 10 s of warm-up (11 s or
     * more in closed loop, which watches the JIT for a second at least) and at most 60 s: about 8 to 13 minutes.
     */
    static LoadOptions defaults() {
        return new LoadOptions(List.of(Scenario.values()), EnumSet.allOf(Mode.class), 16, Duration.ofSeconds(10),
                DEFAULT_WARMUP_LIMIT, Duration.ofSeconds(8), 0, 0.5, EchoPlugin.NAME, 0);
    }

    /**
     * Parses the command line.
     *
     * @return the options, or null if {@code --help} was asked for
     * @throws IllegalArgumentException naming what is wrong
     */
    static LoadOptions parse(String... args) {
        LoadOptions d = defaults();
        List<Scenario> scenarios = d.scenarios;
        Set<Mode> modes = d.modes;
        int clients = d.clients;
        Duration warmup = null;
        Duration warmupLimit = null;
        boolean quick = false;
        Duration duration = null;
        double rate = d.ratePerSecond;
        double fraction = d.rateFraction;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--quick" -> quick = true;
                case "--scenarios" -> {
                    scenarios = new ArrayList<>();
                    for (String number : value(args, ++i, arg).split(",")) {
                        scenarios.add(Scenario.number(parseInt(number.trim(), arg)));
                    }
                }
                case "--mode" -> modes = switch (value(args, ++i, arg).toLowerCase(Locale.ROOT)) {
                    case "closed" -> EnumSet.of(Mode.CLOSED);
                    case "open" -> EnumSet.of(Mode.OPEN);
                    case "both" -> EnumSet.allOf(Mode.class);
                    default -> throw new IllegalArgumentException("--mode is closed, open or both, got " + args[i]);
                };
                case "--clients" -> clients = parseInt(value(args, ++i, arg), arg);
                case "--warmup" -> warmup = parseDuration(value(args, ++i, arg), arg);
                case "--warmup-limit" -> warmupLimit = parseDuration(value(args, ++i, arg), arg);
                case "--duration" -> duration = parseDuration(value(args, ++i, arg), arg);
                case "--rate" -> rate = parseDouble(value(args, ++i, arg), arg);
                case "--rate-fraction" -> fraction = parseDouble(value(args, ++i, arg), arg);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'; see --help");
            }
        }
        // --quick shortens what the other options leave unset, wherever it stands among them.
        if (duration == null) {
            duration = quick ? QUICK_DURATION : d.duration;
        }
        if (warmup == null) {
            warmup = quick ? QUICK_WARMUP : modes.equals(EnumSet.of(Mode.OPEN)) ? OPEN_ALONE_WARMUP : d.warmup;
        }
        if (warmupLimit == null) {
            // --quick checks the harness: its warm-up stays as short as it says, whatever --warmup set it to.
            warmupLimit = quick || warmup.compareTo(d.warmupLimit) > 0 ? warmup : d.warmupLimit;
        }
        return new LoadOptions(scenarios, modes, clients, warmup, warmupLimit, duration, rate, fraction, d.toolName,
                0);
    }

    /** Parses {@code 8s}, {@code 500ms}, {@code 2m} or an ISO-8601 duration such as {@code PT8S}. */
    static Duration parseDuration(String text, String option) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            }
            return Duration.parse(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " takes a duration such as 8s or 500ms, got '" + text + "'");
        }
    }

    /** The value following option {@code args[index - 1]}, or a failure saying it is missing (FeatureCost's too). */
    static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value; see --help");
        }
        return args[index];
    }

    /** {@code text} as a whole number, or a failure naming the option. */
    static int parseInt(String text, String option) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, got '" + text + "'");
        }
    }

    private static double parseDouble(String text, String option) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, got '" + text + "'");
        }
    }
}
