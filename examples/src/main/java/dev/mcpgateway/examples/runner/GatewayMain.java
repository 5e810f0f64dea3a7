package dev.mcpgateway.examples.runner;

import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.examples.demo.FilesPlugin;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar mcp-gateway.jar [--config FILE] [--stdio]}: the standalone gateway. Without {@code --config} it
 * serves the bundled demo plugins. The banner goes to stdout over HTTP and to stderr with {@code --stdio}, where
 * stdout carries the protocol; logs always go to stderr. {@code java -jar mcp-gateway.jar register ...} instead keeps
 * a plugin registered with a running gateway ({@link RegisterCommand}), and {@code apikey ...} makes an API key
 * ({@link ApiKeyCommand}).
 */
public final class GatewayMain {
    /** What {@code --help} prints. */
    static final String USAGE = """
            usage: mcp-gateway [--config FILE] [--stdio] [--help] [--version]
              --config FILE  the YAML configuration (server, plugins, routing, health, limits); without it, the demo plugins
              --stdio        serve over stdin/stdout, for desktop clients that launch a command, instead of HTTP
              --help         print this and exit
              --version      print the version and exit
            environment: MCP_GATEWAY_<SETTING> (e.g. MCP_GATEWAY_SERVER_PORT) overrides the file's setting, as do
              GATEWAY_HOST, GATEWAY_PORT, HEALTH_CHECK_INTERVAL; ${VAR} in it expands (docs/CONFIGURATION.md)
            the file is watched: a saved edit, or SIGHUP, is applied without dropping client sessions
               or: mcp-gateway register --gateway URL --manifest FILE [...]
              keeps a plugin registered with a running gateway until stopped; see mcp-gateway register --help
               or: mcp-gateway apikey --name NAME [--scopes "a b"]
              prints a new API key once and its auth.apiKeys entry; see mcp-gateway apikey --help""";

    private GatewayMain() {
    }

    /** Runs until Ctrl-C (HTTP) or until stdin ends ({@code --stdio}); exits 1 on a configuration error, 2 on usage. */
    public static void main(String[] args) {
        String command = args.length > 0 ? args[0] : "";
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        int status = switch (command) {
            case RegisterCommand.NAME -> RegisterCommand.runUntilStopped(rest, System.out, System.err);
            case ApiKeyCommand.NAME -> ApiKeyCommand.run(rest, System.out, System.err);
            default -> run(args, System.getenv(), System.out, System.err);
        };
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Parses the arguments, starts the gateway and serves until it is shut down.
     *
     * @return the exit status: 0 after a clean shutdown, 1 when it could not start, 2 for bad arguments
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (arguments.help()) {
            out.println(USAGE);
            return 0;
        }
        if (arguments.version()) {
            out.println(RunnerVersion.describe());
            return 0;
        }
        GatewayRunner runner;
        try {
            runner = arguments.config() == null
                    ? startDemo(env, arguments.stdio())
                    : GatewayRunner.start(arguments.config(), env,
                            GatewayRunner.Options.http().withStdio(arguments.stdio()));
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 1;
        }
        Thread hook = new Thread(new ShutdownWatchdog(runner::close, ShutdownWatchdog.DEFAULT_BOUND,
                Runtime.getRuntime()::halt), "mcp-gateway-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Sighup.install(runner);
        (arguments.stdio() ? err : out).print(runner.banner());
        (arguments.stdio() ? err : out).flush();
        runner.done().join();
        runner.close();
        return 0;
    }

    /** The demo: the clock plugin in this process over HTTP, and two processes of the files plugin over stdio. */
    private static GatewayRunner startDemo(Map<String, String> env, boolean stdio) {
        ClockPlugin clock = ClockPlugin.start("127.0.0.1", 0);
        GatewayRunner.Options options = GatewayRunner.Options.http().withStdio(stdio).withCompanion(clock);
        RunnerConfig config;
        try {
            config = ConfigLoader.fromEnvironment(env).withPlugins(demoConfig(clock).plugins());
        } catch (ConfigException e) {
            clock.close();
            throw e;
        }
        return GatewayRunner.start(config, options);
    }

    /** The demo's plugins; the files plugin runs from this JVM's class path (the jar, under {@code java -jar}). */
    static RunnerConfig demoConfig(ClockPlugin clock) {
        List<String> files = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FilesPlugin.class.getName());
        return RunnerConfig.defaults().withPlugins(List.of(
                RunnerConfig.Plugin.http("clock", clock.endpoint(), Map.of()),
                RunnerConfig.Plugin.stdio("files", files,
                        Map.of("ROOT", Path.of("").toAbsolutePath().toString()), 2)));
    }

    /** The command line, parsed. */
    record Arguments(Path config, boolean stdio, boolean help, boolean version) {
        static Arguments parse(String[] args) {
            Path config = null;
            boolean stdio = false;
            boolean help = false;
            boolean version = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--config" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--config needs a file: --config gateway.yaml");
                        }
                        config = Path.of(args[++i]);
                    }
                    case "--stdio" -> stdio = true;
                    case "--help", "-h" -> help = true;
                    case "--version", "-V" -> version = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            return new Arguments(config, stdio, help, version);
        }
    }
}
