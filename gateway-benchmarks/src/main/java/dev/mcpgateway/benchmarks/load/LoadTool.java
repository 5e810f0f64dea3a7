package dev.mcpgateway.benchmarks.load;

import dev.mcpgateway.benchmarks.load.LoadRunner.Mode;
import dev.mcpgateway.benchmarks.load.LoadRunner.RunResult;
import dev.mcpgateway.benchmarks.load.LoadRunner.RunSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-to-end load tool: runs each scenario through the gateway and directly against the same plugin, in
 * closed loop (maximum throughput at N clients) and open loop (a fixed rate, latency from the intended send
 * time), and prints a markdown report with throughput, latency percentiles, gateway-added latency, CPU and heap.
 */
public final class LoadTool {
    private LoadTool() {
    }

    /** Runs the load described by the arguments ({@code --help} lists them) and prints the report. */
    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadTool: " + e.getMessage());
            System.err.print(LoadOptions.USAGE);
            return;
        }
        if (options == null) {
            System.out.print(LoadOptions.USAGE);
            return;
        }
        String environment = LoadReport.environment();
        List<Row> rows = run(options, System.err);
        System.out.print(LoadReport.markdown(options, environment, rows));
    }

    /**
     * One measured run in the report.
     *
     * @param scenario the scenario
     * @param viaGateway whether it went through the gateway (else directly to the plugin)
     * @param result   what it measured
     */
    record Row(Scenario scenario, boolean viaGateway, RunResult result) {
        String path() {
            return viaGateway ? scenario.gatewayPath : scenario.directPath;
        }
    }

    /** Runs every scenario the options select, reporting progress on {@code progress}. */
    static List<Row> run(LoadOptions options, PrintStream progress) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Scenario scenario : options.scenarios()) {
            progress.printf("scenario %d: %s%n", scenario.number, scenario.gatewayPath);
            try (Scenario.Fixture fixture = scenario.start(options.toolName())) {
                RunResult gatewayClosed = null;
                if (options.modes().contains(Mode.CLOSED)) {
                    gatewayClosed = measure(rows, progress, scenario, true, fixture.gateway(),
                            spec(options, Mode.CLOSED, 0));
                    measure(rows, progress, scenario, false, fixture.direct(), spec(options, Mode.CLOSED, 0));
                }
                if (options.modes().contains(Mode.OPEN)) {
                    // Both paths at the same rate: the difference of their distributions is the gateway's cost.
                    double rate = options.ratePerSecond() > 0 ? options.ratePerSecond()
                            : Math.max(1, options.rateFraction() * gatewayClosed.throughputPerSecond());
                    measure(rows, progress, scenario, true, fixture.gateway(), spec(options, Mode.OPEN, rate));
                    measure(rows, progress, scenario, false, fixture.direct(), spec(options, Mode.OPEN, rate));
                }
            }
        }
        return rows;
    }

    private static RunSpec spec(LoadOptions options, Mode mode, double rate) {
        return new RunSpec(mode, options.clients(), options.warmup(), options.warmupLimit(), options.duration(), rate,
                options.requestLimit());
    }

    private static RunResult measure(List<Row> rows, PrintStream progress, Scenario scenario, boolean viaGateway,
                                     Target target, RunSpec spec) throws Exception {
        RunResult result = LoadRunner.run(target, spec);
        rows.add(new Row(scenario, viaGateway, result));
        progress.printf("  %-45s %-6s %,10.0f req/s  p50 %,8.1f µs  p99 %,9.1f µs  errors %d  (warm-up %.1f s)%n",
                target.describe(), spec.mode().label(), result.throughputPerSecond(), result.percentileMicros(50),
                result.percentileMicros(99), result.errors() + result.failures(), result.warmupSeconds());
        return result;
    }
}
