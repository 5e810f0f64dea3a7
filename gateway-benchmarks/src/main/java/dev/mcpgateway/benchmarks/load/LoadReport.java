package dev.mcpgateway.benchmarks.load;

import dev.mcpgateway.benchmarks.load.LoadRunner.ClientRun;
import dev.mcpgateway.benchmarks.load.LoadRunner.Mode;
import dev.mcpgateway.benchmarks.load.LoadRunner.RunResult;
import dev.mcpgateway.benchmarks.load.LoadTool.Row;
import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The load tool's markdown report: one row per run, the gateway-added latency per scenario, and the targets. */
final class LoadReport {
    private static final double[] PERCENTILES = {50, 95, 99, 99.9};
    /** Issue 6's targets on a 2-core machine. */
    private static final double ADDED_P50_MICROS = 150;
    private static final double ADDED_P99_MICROS = 1_000;
    private static final double FRONT_DOOR_PER_SECOND = 20_000;
    private static final double HTTP_THROUGHPUT_RATIO = 0.5;

    private LoadReport() {
    }

    /** The machine and JVM, and the load on the machine now (other processes make runs noisy). */
    static String environment() {
        return String.format(Locale.ROOT, "%d cores, %s %s, load average %.2f when the run started",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    static String markdown(LoadOptions options, String environment, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("## End-to-end load\n\n");
        String warmup = options.modes().contains(Mode.CLOSED) && options.warmupLimit().compareTo(options.warmup()) > 0
                ? seconds(options.warmup()) + " warm-up at least (closed loop: on while the JIT is busy, up to "
                        + seconds(options.warmupLimit()) + ")"
                : seconds(options.warmup()) + " warm-up";
        out.append(String.format(Locale.ROOT, "%s; %d clients (platform threads, one keep-alive connection each, in "
                        + "the same JVM as the gateway), %s, %s measured per run; open loop at %s.%n%n",
                environment, options.clients(), warmup, seconds(options.duration()),
                options.ratePerSecond() > 0 ? String.format(Locale.ROOT, "%.0f req/s", options.ratePerSecond())
                        : String.format(Locale.ROOT, "%.0f%% of the gateway path's closed-loop maximum",
                        options.rateFraction() * 100)));
        out.append("| # | path | mode | target req/s | req/s | p50 µs | p95 µs | p99 µs | p99.9 µs | max µs "
                + "| errors | JVM cores | load-gen cores | plugin-process cores | JVM CPU µs/req | alloc KB/req "
                + "| beyond load-gen KB/req | heap MB | GCs | GC ms | warm-up s |\n");
        out.append("|---|---|---|" + "---:|".repeat(18) + "\n");
        for (Row row : rows) {
            RunResult r = row.result();
            out.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %d | %.2f "
                            + "| %.2f | %.2f | %.1f | %.2f | %.2f | %.0f | %d | %d | %.1f |%n",
                    row.scenario().number, row.path(), r.spec().mode().label(), r.spec().mode() == Mode.OPEN
                            ? String.format(Locale.ROOT, "%.0f", r.spec().ratePerSecond()) : "–",
                    r.throughputPerSecond(), micros(r.percentileMicros(50)), micros(r.percentileMicros(95)),
                    micros(r.percentileMicros(99)), micros(r.percentileMicros(99.9)),
                    micros(r.latency().getMaxValue() / 1_000.0), r.errors() + r.failures(), r.jvmCores(),
                    r.loadGenCores(), r.childCores(), r.cpuMicrosPerRequest(), r.allocatedBytesPerRequest() / 1024,
                    r.allocatedBytesPerRequestBeyondLoadGen() / 1024, r.heapUsedBytes() / 1e6, r.gcCount(),
                    r.gcMillis(), r.warmupSeconds()));
        }
        out.append("\nLatency: closed loop from send to answer; open loop from the intended send time (so queueing "
                + "behind a slow answer counts). JVM cores, CPU and allocation per request include the load clients "
                + "(load-gen cores; \"beyond load-gen\" leaves their allocation out) and, in scenarios 1, 2, 4, 5 "
                + "and 6, the plugin, which runs in this JVM; scenario 3's plugin processes are counted apart "
                + "(plugin-process cores).\n\n");
        appendAdded(out, rows);
        appendClients(out, rows);
        appendTargets(out, rows);
        return out.toString();
    }

    /** Gateway-added latency: a percentile of the gateway path minus the same percentile of the direct path. */
    private static void appendAdded(StringBuilder out, List<Row> rows) {
        out.append("### Gateway-added latency and throughput ratio\n\n");
        out.append("Each Δ is a percentile of the gateway path's distribution minus the same percentile of the "
                + "direct path's, measured at the same load point (a difference of distributions, not a per-request "
                + "figure). In closed loop both paths run flat out, so their load points differ; the open-loop rows "
                + "are the fair comparison.\n\n");
        out.append("| # | mode | Δp50 µs | Δp95 µs | Δp99 µs | Δp99.9 µs | gateway/direct req/s |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Scenario scenario : Scenario.values()) {
            for (Mode mode : Mode.values()) {
                Optional<RunResult> gateway = find(rows, scenario, true, mode);
                Optional<RunResult> direct = find(rows, scenario, false, mode);
                if (gateway.isEmpty() || direct.isEmpty()) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, "| %d | %s |", scenario.number, mode.label()));
                for (double p : PERCENTILES) {
                    out.append(' ').append(micros(added(gateway.get(), direct.get(), p))).append(" |");
                }
                out.append(String.format(Locale.ROOT, " %.2f |%n", ratio(gateway.get(), direct.get())));
            }
        }
        out.append('\n');
    }

    /**
     * Open loop, client by client: whether a tail is every client's or a few clients' that fell behind, and if so
     * whether their answers were slow (long service times) or they only sent late (short service, long lag).
     */
    private static void appendClients(StringBuilder out, List<Row> rows) {
        List<Row> open = rows.stream().filter(row -> row.result().spec().mode() == Mode.OPEN).toList();
        if (open.isEmpty()) {
            return;
        }
        out.append("### Open loop, client by client\n\n");
        out.append("Each client's p95 latency (from its intended send times), then the slowest client's service "
                + "time (from the actual send to the answer), when its slowest request was sent (ms into the "
                + "measured run) and its largest send lag (how far behind its schedule a request left). Slowest "
                + "requests sent at the same moment by every client mean the whole path stalled then.\n\n");
        out.append("| # | path | clients' p95 µs: min / median / max | slowest client: service p50 / p99 / max µs "
                + "| clients' slowest request sent at ms: min / max | its send lag max µs |\n");
        out.append("|---|---|---|---|---|---:|\n");
        for (Row row : open) {
            List<ClientRun> clients = row.result().clients().stream().filter(c -> c.requests() > 0)
                    .sorted(Comparator.comparingDouble(ClientRun::latencyP95Micros)).toList();
            if (clients.isEmpty()) {
                continue;
            }
            ClientRun slowest = clients.getLast();
            DoubleSummaryStatistics at = clients.stream().mapToDouble(ClientRun::serviceMaxAtMillis)
                    .summaryStatistics();
            out.append(String.format(Locale.ROOT, "| %d | %s | %s / %s / %s | %s / %s / %s | %.0f / %.0f | %s |%n",
                    row.scenario().number, row.path(), micros(clients.getFirst().latencyP95Micros()),
                    micros(clients.get(clients.size() / 2).latencyP95Micros()), micros(slowest.latencyP95Micros()),
                    micros(slowest.serviceP50Micros()), micros(slowest.serviceP99Micros()),
                    micros(slowest.serviceMaxMicros()), at.getMin(), at.getMax(), micros(slowest.lagMaxMicros())));
        }
        out.append('\n');
    }

    private static void appendTargets(StringBuilder out, List<Row> rows) {
        out.append("### Targets (issue 6, 2-core machine)\n\n");
        Optional<RunResult> httpOpen = find(rows, Scenario.HTTP_HTTP, true, Mode.OPEN);
        Optional<RunResult> httpOpenDirect = find(rows, Scenario.HTTP_HTTP, false, Mode.OPEN);
        if (httpOpen.isPresent() && httpOpenDirect.isPresent()) {
            double p50 = added(httpOpen.get(), httpOpenDirect.get(), 50);
            double p99 = added(httpOpen.get(), httpOpenDirect.get(), 99);
            target(out, "HTTP→HTTP gateway-added p50 < 150 µs (open loop)", micros(p50) + " µs",
                    p50 < ADDED_P50_MICROS);
            target(out, "HTTP→HTTP gateway-added p99 < 1 ms (open loop)", micros(p99) + " µs", p99 < ADDED_P99_MICROS);
        }
        find(rows, Scenario.HTTP_IN_PROCESS, true, Mode.CLOSED).ifPresent(r -> target(out,
                "≥ 20,000 tool calls/s through the HTTP front door to an in-process tool",
                String.format(Locale.ROOT, "%.0f/s", r.throughputPerSecond()),
                r.throughputPerSecond() >= FRONT_DOOR_PER_SECOND));
        Optional<RunResult> httpClosed = find(rows, Scenario.HTTP_HTTP, true, Mode.CLOSED);
        Optional<RunResult> httpClosedDirect = find(rows, Scenario.HTTP_HTTP, false, Mode.CLOSED);
        if (httpClosed.isPresent() && httpClosedDirect.isPresent()) {
            double ratio = ratio(httpClosed.get(), httpClosedDirect.get());
            target(out, "HTTP→HTTP throughput ≥ half of direct (closed loop)",
                    String.format(Locale.ROOT, "%.2f", ratio), ratio >= HTTP_THROUGHPUT_RATIO);
        }
        Optional<RunResult> relay = find(rows, Scenario.HTTP_RELAY_HTTP, true, Mode.CLOSED);
        Optional<RunResult> relayDirect = find(rows, Scenario.HTTP_RELAY_HTTP, false, Mode.CLOSED);
        if (relay.isPresent() && relayDirect.isPresent()) {
            // Not a target: what any gateway could reach here, since each one does at least what the relay does.
            out.append(String.format(Locale.ROOT, "- Not a target: the HTTP→HTTP ratio a relay with no MCP work "
                    + "reaches (scenario 5), roughly the most any gateway gets here: %.2f%n",
                    ratio(relay.get(), relayDirect.get())));
        }
    }

    private static void target(StringBuilder out, String goal, String measured, boolean met) {
        out.append("- ").append(goal).append(": ").append(measured).append(met ? " — met" : " — **missed**")
                .append('\n');
    }

    private static Optional<RunResult> find(List<Row> rows, Scenario scenario, boolean viaGateway, Mode mode) {
        return rows.stream().filter(row -> row.scenario() == scenario && row.viaGateway() == viaGateway
                && row.result().spec().mode() == mode).map(Row::result).findFirst();
    }

    private static double added(RunResult gateway, RunResult direct, double percentile) {
        return gateway.percentileMicros(percentile) - direct.percentileMicros(percentile);
    }

    private static double ratio(RunResult gateway, RunResult direct) {
        return direct.throughputPerSecond() > 0 ? gateway.throughputPerSecond() / direct.throughputPerSecond() : 0;
    }

    private static String seconds(java.time.Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1_000.0);
    }

    private static String micros(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return String.format(Locale.ROOT, Math.abs(value) < 10 ? "%.2f" : Math.abs(value) < 1_000 ? "%.1f" : "%.0f",
                value);
    }
}
