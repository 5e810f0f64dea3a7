package dev.mcpgateway.examples.runner;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.HttpTransport;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import dev.mcpgateway.transport.stdio.StdioTransport;
import dev.mcpgateway.transport.stdio.server.StdioServer;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running standalone gateway: the plugins of a {@link RunnerConfig} behind one MCP endpoint, served over
 * Streamable HTTP or over this process's stdin/stdout. A plugin that does not come up is reported and retried in the
 * background; the others serve meanwhile. Closing it stops the front door, the server and every plugin.
 */
public final class GatewayRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayRunner.class);
    /** How long a reload waits for a retired instance's calls in flight before removing it anyway. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final McpGateway gateway;
    private final McpServer server;
    private final McpHttpServer http;
    private final StdioServer stdio;
    private final ConfigReloader reloader;
    private final List<AutoCloseable> companions;
    /** Set once when the configuration came from a file, which is then watched. */
    private volatile LiveReload liveReload;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private GatewayRunner(McpGateway gateway, McpServer server, McpHttpServer http, StdioServer stdio,
                          ConfigReloader reloader, List<AutoCloseable> companions) {
        this.gateway = gateway;
        this.server = server;
        this.http = http;
        this.stdio = stdio;
        this.reloader = reloader;
        this.companions = List.copyOf(companions);
    }

    /**
     * How to run.
     *
     * @param stdio        serve over this process's stdin/stdout instead of HTTP
     * @param startTimeout how long to wait for the plugins before serving without the slow ones
     * @param companions   closed after the gateway, e.g. in-process servers the configuration points at
     */
    public record Options(boolean stdio, Duration startTimeout, List<AutoCloseable> companions) {
        public Options {
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
            }
            companions = List.copyOf(companions == null ? List.of() : companions);
        }

        /** HTTP, waiting up to 20 s for the plugins. */
        public static Options http() {
            return new Options(false, Duration.ofSeconds(20), List.of());
        }

        /** These options, also closing {@code companion} on shutdown. */
        public Options withCompanion(AutoCloseable companion) {
            List<AutoCloseable> all = new ArrayList<>(companions);
            all.add(companion);
            return new Options(stdio, startTimeout, all);
        }

        /** These options, serving over stdio or HTTP. */
        public Options withStdio(boolean overStdio) {
            return new Options(overStdio, startTimeout, companions);
        }
    }

    /**
     * Starts the plugins and serves them.
     *
     * @throws ConfigException with a one-line message when the gateway cannot listen (port in use, bad host);
     *                         everything started is stopped again
     */
    public static GatewayRunner start(RunnerConfig config, Options options) {
        long starting = System.nanoTime();
        RunnerTracing tracing = config.tracing().start();
        McpGateway gateway;
        try {
            gateway = build(config, tracing);
        } catch (RuntimeException e) {
            closeQuietly(tracing);
            throw e;
        }
        // The tracer outlives the gateway whose calls it exports: closed with the companions, flushing the last spans.
        options = tracing == null ? options : options.withCompanion(tracing);
        McpServer server = null;
        McpHttpServer http = null;
        TokenValidator validator = null;
        try {
            server = McpServer.create(gateway, config.serverOptions(), config.persistence().openSessionStore());
            // The port is taken before any plugin starts, so a port in use costs no plugin process; HTTP clients that
            // connect early hear of each plugin's tools through list_changed.
            if (!options.stdio()) {
                validator = config.auth().enabled() ? config.auth().validator() : null;
                http = listen(server, config.server(), MetricsConfig.served(FrontDoorSecurity.options(config.server(),
                        config.auth(), validator), gateway));
            }
            List<PluginStatus> statuses = PluginStarter.start(gateway, config.plugins(), options.startTimeout(),
                    Set.of());
            // Desktop clients launching the gateway often list tools once, so stdio serves only once plugins are up.
            StdioServer stdio = options.stdio() ? StdioServer.serve(server) : null;
            // The validator outlives the front door that uses it: closed with the companions, after the gateway.
            List<AutoCloseable> companions = validator == null ? options.companions()
                    : options.withCompanion(validator).companions();
            GatewayRunner runner = new GatewayRunner(gateway, server, http, stdio, new ConfigReloader(gateway, config,
                    statuses, options.startTimeout(), DRAIN_TIMEOUT), companions);
            long serving = statuses.stream().filter(PluginStatus::serving).count();
            log.info("MCP Gateway {} started in {} ms: {}, {} of {} plugins serving, {} tools", RunnerVersion.VERSION,
                    (System.nanoTime() - starting) / 1_000_000, http == null ? "stdio" : http.endpoint(), serving,
                    statuses.size(), gateway.listTools().size());
            return runner;
        } catch (RuntimeException e) {
            closeQuietly(http);
            closeQuietly(validator);
            closeQuietly(server);
            closeQuietly(gateway);
            options.companions().forEach(GatewayRunner::closeQuietly);
            throw e;
        }
    }

    /**
     * The gateway of a configuration, with the registrations its store kept served again.
     *
     * @throws ConfigException with one line when the store cannot be reached or read: a gateway that would serve
     *                         without the registrations it promised to keep must not start
     */
    private static McpGateway build(RunnerConfig config, RunnerTracing tracing) {
        RegistryStore store;
        try {
            store = config.persistence().openStore();
        } catch (RegistryStoreUnavailableException e) {
            throw new ConfigException("cannot start: " + e.getMessage() + "; the gateway keeps API registrations "
                    + "there (persistence.postgres, POSTGRES_HOST): make it reachable, or unset it to keep state in "
                    + "memory", e);
        }
        try {
            McpGateway.Builder builder = config.metrics().applyTo(McpGateway.builder());
            if (tracing != null) {
                builder.observationRegistry(tracing.registry());
            }
            return builder.config(config.gatewayConfig())
                    .accessLog(config.accessLog().options())
                    .transport(new StdioTransport())
                    .transport(new HttpTransport())
                    .registryStore(store)
                    .build();
        } catch (IllegalStateException e) {
            store.close(); // a build that failed leaves the store to its caller
            throw new ConfigException("cannot start: " + e.getMessage(), e);
        }
    }

    /**
     * Starts from a configuration file, as {@link #start(RunnerConfig, Options)} does, then keeps the gateway in step
     * with the file: each saved change is validated and applied as a diff without dropping client sessions (see
     * {@link #reload()}).
     *
     * @param env the environment: {@code ${VAR}} in the file, the seed keys and the overrides
     * @throws ConfigException with a one-line message when the file is not valid or the gateway cannot listen
     */
    public static GatewayRunner start(Path file, Map<String, String> env, Options options) {
        String text = ConfigLoader.read(file);
        GatewayRunner runner = start(ConfigLoader.loadAtStart(file.getFileName().toString(), text, env), options);
        LiveReload live = new LiveReload(file, text, env, runner.reloader);
        runner.liveReload = live;
        live.watch();
        return runner;
    }

    private static McpHttpServer listen(McpServer server, RunnerConfig.Server where, HttpFrontDoorOptions options) {
        try {
            return McpHttpServer.start(server, options);
        } catch (BindException e) {
            throw new ConfigException("port " + where.port() + " on " + where.host()
                    + " is in use; set server.port or GATEWAY_PORT", e);
        } catch (IOException e) {
            throw new ConfigException("cannot listen on " + where.host() + ":" + where.port() + ": " + e.getMessage()
                    + "; check server.host (GATEWAY_HOST) and server.port (GATEWAY_PORT)", e);
        }
    }

    /** The HTTP endpoint clients connect to, or null when serving over stdio. */
    public URI endpoint() {
        return http == null ? null : http.endpoint();
    }

    /** How each configured plugin came up, in configuration order (as of the last reload). */
    public List<PluginStatus> plugins() {
        return reloader.statuses();
    }

    /**
     * Reads and applies the configuration file again, as SIGHUP does: a valid file is applied as a diff, an invalid
     * one is one ERROR line and the running configuration stays. Nothing to do when the configuration did not come
     * from a file.
     *
     * @return completes once that reload has finished, applied or rejected
     */
    public CompletableFuture<Void> reload() {
        LiveReload live = liveReload;
        if (live == null) {
            log.info("no configuration file to reload: this gateway was configured in code (the demo)");
            return CompletableFuture.completedFuture(null);
        }
        return live.request();
    }

    /** The tool names clients see now. */
    public List<String> tools() {
        return gateway.listTools().stream().map(ExposedTool::exposedName).toList();
    }

    /** The gateway behind the endpoint. */
    public McpGateway gateway() {
        return gateway;
    }

    /** Completes once serving ended: closed, or (stdio) the client closed stdin. */
    public CompletableFuture<Void> done() {
        return stdio == null ? closed : CompletableFuture.anyOf(closed, stdio.done()).thenApply(ignored -> null);
    }

    /** What the gateway serves, for people: where it listens, each plugin with its state, and the tools. */
    public String banner() {
        StringBuilder out = new StringBuilder("MCP Gateway " + RunnerVersion.VERSION + " is running\n");
        out.append("  MCP endpoint: ").append(http == null ? "stdio (this process's stdin/stdout)" : http.endpoint())
                .append('\n');
        if (http != null) {
            for (String name : server.virtualServerNames()) {
                out.append("  virtual server ").append(name).append(": ").append(http.endpoint()).append('/')
                        .append(name).append('\n');
            }
        }
        out.append("  plugins:").append(plugins().isEmpty() ? " none configured\n" : "\n");
        for (PluginStatus plugin : plugins()) {
            out.append("    ").append(plugin.name()).append(" (").append(plugin.transport()).append(", ")
                    .append(plugin.up()).append('/').append(plugin.instances())
                    .append(plugin.instances() == 1 ? " instance up) " : " instances up) ")
                    .append(plugin.serving() ? "serving" : "NOT SERVING: " + plugin.problem()).append('\n');
        }
        List<String> tools = tools();
        out.append("  tools (").append(tools.size()).append("):").append(tools.isEmpty() ? " none yet\n" : "\n");
        tools.forEach(tool -> out.append("    ").append(tool).append('\n'));
        return out.toString();
    }

    /** Stops serving, then the gateway and its plugins, then the companions. Idempotent. */
    @Override
    public void close() {
        // Ctrl-C's shutdown hook and the main thread may both get here.
        if (!closing.compareAndSet(false, true)) {
            closed.join();
            return;
        }
        long stopping = System.nanoTime();
        log.info("MCP Gateway stopping: no new requests; calls in flight finish, plugins are stopped");
        closeQuietly(liveReload);
        closeQuietly(http);
        closeQuietly(stdio);
        closeQuietly(server);
        closeQuietly(gateway);
        companions.forEach(GatewayRunner::closeQuietly);
        log.info("MCP Gateway stopped in {} ms", (System.nanoTime() - stopping) / 1_000_000);
        closed.complete(null);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("closing {} failed: {}", closeable, e.toString());
        }
    }
}
