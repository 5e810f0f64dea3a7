package dev.mcpgateway.benchmarks.scale;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.http.HttpTransport;
import dev.mcpgateway.transport.stdio.StdioTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * What active health probing will cost (issue 6): MCP {@code ping}s sent through the gateway to real plugin
 * instances over HTTP and stdio at a fixed rate, with the gateway's CPU time measured against an idle baseline of
 * the same length. The plugins run in child JVMs, so their CPU is measured apart. Prints a markdown report;
 * {@code --quick} for a short run.
 */
public final class HealthOverhead {
    /** The product's default probe interval ({@code GatewayConfig.healthCheckInterval}). */
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    private static final CallOptions PROBE_OPTIONS = CallOptions.timeout(Duration.ofSeconds(5));
    /** The seed's claim to beat, in CPU nanoseconds per plugin per second. */
    private static final long SEED_CLAIM_NANOS_PER_SECOND = TimeUnit.MILLISECONDS.toNanos(5);

    /**
     * How much to measure.
     *
     * @param httpInstances  HTTP plugin instances probed
     * @param httpServers    HTTP endpoints they are spread over (one child JVM serves them all)
     * @param stdioInstances stdio plugin instances probed (one child JVM each), 0 for none
     * @param interval       how often each instance is probed during the measured windows
     * @param window         length of each idle and each probing window
     * @param rounds         idle/probing window pairs
     * @param warmUp         probing before the first window, unmeasured
     */
    record Options(int httpInstances, int httpServers, int stdioInstances, Duration interval, Duration window,
                   int rounds, Duration warmUp) {
        static Options full() {
            return new Options(100, 10, 4, Duration.ofMillis(100), Duration.ofSeconds(5), 3, Duration.ofSeconds(3));
        }

        static Options quick() {
            return new Options(100, 10, 2, Duration.ofMillis(100), Duration.ofSeconds(2), 1, Duration.ofSeconds(1));
        }

        int probesPerWindow() {
            return (int) (window.toNanos() / interval.toNanos());
        }
    }

    /**
     * What probing cost on one transport.
     *
     * @param method                 the MCP method sent as the probe
     * @param probes                 the measured probes, counts and latencies
     * @param gatewayNanosPerProbe   gateway CPU per probe above the idle baseline
     * @param pluginNanosPerProbe    plugin-side CPU per probe above its idle baseline
     * @param gatewayIdleCoreShare   the gateway's CPU while idle, as a share of one core
     */
    record Cost(String method, ProbeLoop.Result probes, double gatewayNanosPerProbe, double pluginNanosPerProbe,
                double gatewayIdleCoreShare) {
    }

    private HealthOverhead() {
    }

    /** Runs the measurements; {@code --quick} for a short run. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Options options = switch (String.join(" ", args)) {
            case "" -> Options.full();
            case "--quick" -> Options.quick();
            default -> throw new IllegalArgumentException("usage: HealthOverhead [--quick]; got " + String.join(" ", args));
        };
        StringBuilder report = new StringBuilder("# Health-check overhead: MCP probes through the gateway\n\n")
                .append("Every instance pinged every ").append(options.interval().toMillis())
                .append(" ms (").append(DEFAULT_INTERVAL.dividedBy(options.interval()))
                .append("× the default rate, so the cost is measurable), spread evenly over the interval, with ")
                .append("`gateway.forward(id, method, null, …)` (`ping`; `server/discover` on stateless-era sessions, ")
                .append("which have no `ping`); ").append(options.rounds()).append(" × (")
                .append(options.window().toSeconds()).append(" s idle, ").append(options.window().toSeconds())
                .append(" s probing) after ").append(options.warmUp().toSeconds()).append(" s of warm-up. ")
                .append("CPU = process CPU time (all threads) while probing minus the idle rate over the same time.\n")
                .append("Machine: ").append(Measure.machine()).append(".\n\n")
                .append("| transport | probe | instances | probes | failed | probe p50 µs | probe p99 µs | gateway CPU µs/probe ")
                .append("| plugin CPU µs/probe | gateway idle, % of a core | gateway CPU µs per instance per second at ")
                .append(DEFAULT_INTERVAL.toSeconds()).append(" s | % of one core for 100 instances at ")
                .append(DEFAULT_INTERVAL.toSeconds()).append(" s |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        report.append(row("HTTP (" + options.httpServers() + " endpoints)", options.httpInstances(), http(options)));
        if (options.stdioInstances() > 0) {
            report.append(row("stdio (1 JVM each)", options.stdioInstances(), stdio(options)));
        }
        report.append("\nSeed's claim to beat: < ").append(Measure.micros(SEED_CLAIM_NANOS_PER_SECOND))
                .append(" µs of CPU per plugin per second.\n");
        System.out.print(report);
        System.out.flush();
    }

    private static String row(String transport, int instances, Cost cost) {
        double perInstancePerSecond = cost.gatewayNanosPerProbe() / DEFAULT_INTERVAL.toSeconds();
        return "| " + transport + " | `" + cost.method() + "` | " + instances + " | " + Measure.count(cost.probes().sent()) + " | "
                + cost.probes().failed() + " | " + Measure.micros(cost.probes().latencyNanos().getValueAtPercentile(50))
                + " | " + Measure.micros(cost.probes().latencyNanos().getValueAtPercentile(99)) + " | "
                + Measure.micros(cost.gatewayNanosPerProbe()) + " | " + Measure.micros(cost.pluginNanosPerProbe())
                + " | " + Measure.oneDecimal(cost.gatewayIdleCoreShare() * 100) + " | "
                + Measure.micros(perInstancePerSecond) + " | "
                + String.format(java.util.Locale.ROOT, "%.4f", perInstancePerSecond * 100 / 1e9 * 100) + " |\n";
    }

    /** HTTP plugins: one child JVM serving several endpoints, several instances registered per endpoint. */
    private static Cost http(Options options) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(childCommand(List.of("-Xmx256m"), "http", String.valueOf(options.httpServers())))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            List<URI> endpoints = readEndpoints(child);
            try (McpGateway gateway = McpGateway.builder().transport(new HttpTransport()).build()) {
                List<String> ids = new ArrayList<>();
                for (int k = 0; k < endpoints.size(); k++) {
                    int count = options.httpInstances() / endpoints.size()
                            + (k < options.httpInstances() % endpoints.size() ? 1 : 0);
                    PluginManifest manifest = PluginManifest.builder("target" + k)
                            .transport(TransportSpec.Http.of(endpoints.get(k).toString())).build();
                    gateway.addPlugin(manifest, count).join().forEach(instance -> ids.add(instance.id()));
                }
                return measure(gateway, ids, () -> cpuNanos(child.toHandle()), options);
            }
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroy();
            }
        }
    }

    /** Stdio plugins: the gateway launches one child JVM per instance. */
    private static Cost stdio(Options options) {
        PluginManifest manifest = PluginManifest.builder("stdio-target").transport(new TransportSpec.Stdio(javaCommand(),
                childArguments(List.of("-Xmx64m", "-XX:+UseSerialGC"), "stdio"), java.util.Map.of(), true, null)).build();
        try (McpGateway gateway = McpGateway.builder().transport(new StdioTransport()).build()) {
            List<String> ids = gateway.addPlugin(manifest, options.stdioInstances()).join().stream()
                    .map(PluginInstance::id).toList();
            return measure(gateway, ids, HealthOverhead::descendantsCpuNanos, options);
        }
    }

    /** Idle and probing windows, alternated; returns the probing cost above the idle baseline. */
    static Cost measure(McpGateway gateway, List<String> ids, LongSupplier pluginCpuNanos, Options options) {
        String method = probeMethod(gateway, ids.get(0));
        java.util.function.Function<String, CompletableFuture<?>> ping =
                id -> gateway.forward(id, method, null, PROBE_OPTIONS);
        ProbeLoop.run(ids, ping, options.interval(), (int) (options.warmUp().toNanos() / options.interval().toNanos()));
        long idleWall = 0;
        long idleGateway = 0;
        long idlePlugin = 0;
        long probeWall = 0;
        long probeGateway = 0;
        long probePlugin = 0;
        long sent = 0;
        long succeeded = 0;
        long failed = 0;
        Histogram latency = Measure.nanosHistogram();
        for (int round = 0; round < options.rounds(); round++) {
            long wall = System.nanoTime();
            long gatewayCpu = Measure.processCpuNanos();
            long pluginCpu = pluginCpuNanos.getAsLong();
            Measure.sleep(options.window());
            idleWall += System.nanoTime() - wall;
            idleGateway += Measure.processCpuNanos() - gatewayCpu;
            idlePlugin += pluginCpuNanos.getAsLong() - pluginCpu;

            wall = System.nanoTime();
            gatewayCpu = Measure.processCpuNanos();
            pluginCpu = pluginCpuNanos.getAsLong();
            ProbeLoop.Result result = ProbeLoop.run(ids, ping, options.interval(), options.probesPerWindow());
            probeWall += System.nanoTime() - wall;
            probeGateway += Measure.processCpuNanos() - gatewayCpu;
            probePlugin += pluginCpuNanos.getAsLong() - pluginCpu;
            sent += result.sent();
            succeeded += result.succeeded();
            failed += result.failed();
            latency.add(result.latencyNanos());
        }
        double gatewayIdleRate = (double) idleGateway / idleWall;
        double pluginIdleRate = (double) idlePlugin / idleWall;
        return new Cost(method, new ProbeLoop.Result(sent, succeeded, failed, latency),
                (probeGateway - gatewayIdleRate * probeWall) / sent,
                (probePlugin - pluginIdleRate * probeWall) / sent, gatewayIdleRate);
    }

    /**
     * {@code ping}, or {@code server/discover} where the session speaks the stateless protocol era, which removed
     * {@code ping}: the cheapest request each session answers.
     */
    static String probeMethod(McpGateway gateway, String instanceId) {
        try {
            gateway.forward(instanceId, "ping", null, PROBE_OPTIONS).join();
            return "ping";
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof JsonRpcException rpc && rpc.code() == ErrorCodes.METHOD_NOT_FOUND) {
                return "server/discover";
            }
            throw e;
        }
    }

    private static List<URI> readEndpoints(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<URI> endpoints = new ArrayList<>();
        for (String line = out.readLine(); !"ready".equals(line); line = out.readLine()) {
            if (line == null) {
                throw new UncheckedIOException(new IOException("the plugin process ended before serving; see its stderr"));
            }
            endpoints.add(URI.create(line.strip()));
        }
        return endpoints;
    }

    private static List<String> childCommand(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(childArguments(jvmOptions, args));
        return command;
    }

    /** JVM options, this JVM's class path, the {@link ProbeTargets} main and its arguments. */
    private static List<String> childArguments(List<String> jvmOptions, String... args) {
        List<String> arguments = new ArrayList<>(jvmOptions);
        arguments.add("-cp");
        arguments.add(System.getProperty("java.class.path"));
        arguments.add(ProbeTargets.class.getName());
        arguments.addAll(List.of(args));
        return arguments;
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long descendantsCpuNanos() {
        return ProcessHandle.current().descendants().mapToLong(HealthOverhead::cpuNanos).sum();
    }
}
