package dev.mcpgateway.benchmarks.scale;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
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
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What the gateway's active health checks cost (issue 11): the gateway's own monitor probing real plugin instances
 * over HTTP and stdio at a short interval (its {@code ping}, or {@code server/discover} on 2026-07-28 sessions), with
 * the gateway's CPU time measured against an idle baseline: the same plugins behind a gateway whose probing is off.
 * The probes are counted where they leave the gateway ({@link ProbeCounter}). The plugins run in child JVMs, so their
 * CPU is measured apart. Prints a markdown report; {@code --quick} for a short run.
 */
public final class HealthOverhead {
    /** The product's default probe interval ({@code HealthCheckOptions.defaults().interval()}). */
    private static final Duration DEFAULT_INTERVAL = HealthCheckOptions.defaults().interval();
    /** The seed's claim to beat, in CPU nanoseconds per plugin per second. */
    private static final long SEED_CLAIM_NANOS_PER_SECOND = TimeUnit.MILLISECONDS.toNanos(5);

    /**
     * How much to measure.
     *
     * @param httpInstances  HTTP plugin instances probed
     * @param httpServers    HTTP endpoints they are spread over (one child JVM serves them all)
     * @param stdioInstances stdio plugin instances probed (one child JVM each), 0 for none
     * @param interval       how often the monitor probes each instance while measured
     * @param window         length of each idle and each probing window
     * @param rounds         windows of each kind
     * @param warmUp         time before the first window of each kind, unmeasured
     */
    record Options(int httpInstances, int httpServers, int stdioInstances, Duration interval, Duration window,
                   int rounds, Duration warmUp) {
        static Options full() {
            return new Options(100, 10, 4, Duration.ofMillis(200), Duration.ofSeconds(5), 3, Duration.ofSeconds(3));
        }

        static Options quick() {
            return new Options(100, 10, 2, Duration.ofMillis(200), Duration.ofSeconds(2), 1, Duration.ofSeconds(2));
        }

        /** The monitor's options while measured: the short interval, with a timeout that loopback easily keeps. */
        HealthCheckOptions probing() {
            return HealthCheckOptions.builder().interval(interval).timeout(interval.multipliedBy(9).dividedBy(10))
                    .build();
        }
    }

    /**
     * What probing cost on one transport.
     *
     * @param probes                 the probes sent in the measured windows, counts and latencies
     * @param gatewayNanosPerProbe   gateway CPU per probe above the idle baseline
     * @param pluginNanosPerProbe    plugin-side CPU per probe above its idle baseline
     * @param gatewayIdleCoreShare   the gateway's CPU while idle, as a share of one core
     */
    record Cost(ProbeCounter.Window probes, double gatewayNanosPerProbe, double pluginNanosPerProbe,
                double gatewayIdleCoreShare) {
    }

    /** CPU and wall time of the windows of one kind. */
    private record Spent(long wallNanos, long gatewayNanos, long pluginNanos) {
        double gatewayRate() {
            return (double) gatewayNanos / wallNanos;
        }

        double pluginRate() {
            return (double) pluginNanos / wallNanos;
        }
    }

    /** Starts a gateway with these health checks, its probes counted by the counter, with the plugins added. */
    @FunctionalInterface
    interface GatewayWith {
        McpGateway start(HealthCheckOptions healthChecks, ProbeCounter counter);
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
        HealthCheckOptions probing = options.probing();
        StringBuilder report = new StringBuilder("# Health-check overhead: the gateway's own probes\n\n")
                .append("The gateway's health monitor probing every instance every ").append(probing.interval().toMillis())
                .append(" ms ±").append(Math.round(probing.jitter() * 100)).append(" % (")
                .append(DEFAULT_INTERVAL.dividedBy(probing.interval()))
                .append("× the default rate, so the cost is measurable; timeout ").append(probing.timeout().toMillis())
                .append(" ms), against the same plugins behind a gateway with probing off; ").append(options.rounds())
                .append(" × ").append(options.window().toSeconds()).append(" s of each after ")
                .append(options.warmUp().toSeconds()).append(" s of warm-up. ")
                .append("CPU = process CPU time (all threads) while probing minus the idle rate over the same time; ")
                .append("probes counted where they leave the gateway.\n")
                .append("Machine: ").append(Measure.machine()).append(".\n\n")
                .append("| transport | probe | instances | probes | failed | probe p50 µs | probe p99 µs | gateway CPU µs/probe ")
                .append("| plugin CPU µs/probe | gateway idle, % of a core | gateway CPU µs per instance per second at ")
                .append(DEFAULT_INTERVAL.toSeconds()).append(" s | % of one core for 100 instances at ")
                .append(DEFAULT_INTERVAL.toSeconds()).append(" s |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Process child = new ProcessBuilder(childCommand(List.of("-Xmx256m"), "http", String.valueOf(options.httpServers())))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            List<URI> endpoints = readEndpoints(child);
            report.append(row("HTTP (" + options.httpServers() + " endpoints)", options.httpInstances(),
                    measure((checks, counter) -> http(endpoints, options.httpInstances(), checks, counter),
                            () -> cpuNanos(child.toHandle()), options)));
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroy();
            }
        }
        if (options.stdioInstances() > 0) {
            report.append(row("stdio (1 JVM each)", options.stdioInstances(),
                    measure((checks, counter) -> stdio(options.stdioInstances(), checks, counter),
                            HealthOverhead::descendantsCpuNanos, options)));
        }
        report.append("\nSeed's claim to beat: < ").append(Measure.micros(SEED_CLAIM_NANOS_PER_SECOND))
                .append(" µs of CPU per plugin per second.\n");
        System.out.print(report);
        System.out.flush();
    }

    private static String row(String transport, int instances, Cost cost) {
        double perInstancePerSecond = cost.gatewayNanosPerProbe() / DEFAULT_INTERVAL.toSeconds();
        return "| " + transport + " | `" + String.join("`, `", new java.util.TreeSet<>(cost.probes().methods())) + "` | "
                + instances + " | " + Measure.count(cost.probes().sent()) + " | "
                + cost.probes().failed() + " | " + Measure.micros(cost.probes().latencyNanos().getValueAtPercentile(50))
                + " | " + Measure.micros(cost.probes().latencyNanos().getValueAtPercentile(99)) + " | "
                + Measure.micros(cost.gatewayNanosPerProbe()) + " | " + Measure.micros(cost.pluginNanosPerProbe())
                + " | " + Measure.oneDecimal(cost.gatewayIdleCoreShare() * 100) + " | "
                + Measure.micros(perInstancePerSecond) + " | "
                + String.format(java.util.Locale.ROOT, "%.4f", perInstancePerSecond * 100 / 1e9 * 100) + " |\n";
    }

    /** HTTP plugins: instances spread over the endpoints of one child JVM. */
    private static McpGateway http(List<URI> endpoints, int instances, HealthCheckOptions checks, ProbeCounter counter) {
        McpGateway gateway = McpGateway.builder().config(GatewayConfig.builder().healthChecks(checks).build())
                .transport(counter.counting(new HttpTransport())).build();
        for (int k = 0; k < endpoints.size(); k++) {
            int count = instances / endpoints.size() + (k < instances % endpoints.size() ? 1 : 0);
            PluginManifest manifest = PluginManifest.builder("target" + k)
                    .transport(TransportSpec.Http.of(endpoints.get(k).toString())).build();
            gateway.addPlugin(manifest, count).join();
        }
        return gateway;
    }

    /** Stdio plugins: the gateway launches one child JVM per instance. */
    private static McpGateway stdio(int instances, HealthCheckOptions checks, ProbeCounter counter) {
        PluginManifest manifest = PluginManifest.builder("stdio-target").transport(new TransportSpec.Stdio(javaCommand(),
                childArguments(List.of("-Xmx64m", "-XX:+UseSerialGC"), "stdio"), java.util.Map.of(), true, null)).build();
        McpGateway gateway = McpGateway.builder().config(GatewayConfig.builder().healthChecks(checks).build())
                .transport(counter.counting(new StdioTransport())).build();
        gateway.addPlugin(manifest, instances).join();
        return gateway;
    }

    /**
     * The idle baseline (the plugins behind a gateway that does not probe), then the same plugins behind a gateway
     * whose monitor probes them; returns the probing cost above the baseline.
     */
    static Cost measure(GatewayWith gateways, LongSupplier pluginCpuNanos, Options options) {
        Spent idle = windows(gateways, HealthCheckOptions.disabled(), new ProbeCounter(), pluginCpuNanos, options);
        ProbeCounter counter = new ProbeCounter();
        Spent probing = windows(gateways, options.probing(), counter, pluginCpuNanos, options);
        ProbeCounter.Window probes = counter.snapshot();
        if (probes.sent() == 0) {
            throw new IllegalStateException("the monitor sent no probes in " + options.rounds() + " windows");
        }
        return new Cost(probes, (probing.gatewayNanos() - idle.gatewayRate() * probing.wallNanos()) / probes.sent(),
                (probing.pluginNanos() - idle.pluginRate() * probing.wallNanos()) / probes.sent(), idle.gatewayRate());
    }

    /** Starts a gateway, warms up, and measures its windows; the counter holds the probes of the windows only. */
    private static Spent windows(GatewayWith gateways, HealthCheckOptions checks, ProbeCounter counter,
                                 LongSupplier pluginCpuNanos, Options options) {
        try (McpGateway gateway = gateways.start(checks, counter)) {
            Measure.sleep(options.warmUp());
            counter.reset();
            long wall = 0;
            long gatewayCpu = 0;
            long pluginCpu = 0;
            for (int round = 0; round < options.rounds(); round++) {
                long wallAt = System.nanoTime();
                long gatewayAt = Measure.processCpuNanos();
                long pluginAt = pluginCpuNanos.getAsLong();
                Measure.sleep(options.window());
                wall += System.nanoTime() - wallAt;
                gatewayCpu += Measure.processCpuNanos() - gatewayAt;
                pluginCpu += pluginCpuNanos.getAsLong() - pluginAt;
            }
            return new Spent(wall, gatewayCpu, pluginCpu);
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
