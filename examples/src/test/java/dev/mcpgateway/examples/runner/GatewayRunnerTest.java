package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.testing.Stderr;
import dev.mcpgateway.plugin.InstanceStatus;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner end to end, in this JVM: plugins from a configuration behind one HTTP endpoint used by the official SDK
 * client; a plugin that cannot be reached does not stop the others; a port in use is one clear line.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GatewayRunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final GatewayRunner.Options OPTIONS = new GatewayRunner.Options(false, WAIT, List.of());

    @TempDir
    Path root;

    private ClockPlugin clock;
    private GatewayRunner runner;

    @AfterEach
    void tearDown() {
        if (runner != null) {
            runner.close();
        }
        if (clock != null) {
            clock.close();
        }
    }

    @Test
    void anUnreachablePluginIsReportedWhileTheOthersServe() throws Exception {
        clock = ClockPlugin.start("127.0.0.1", 0);
        URI nowhere = URI.create("http://127.0.0.1:" + freePort() + "/mcp");
        Files.writeString(root.resolve("hello.txt"), "one\ntwo\n");
        RunnerConfig config = RunnerConfig.defaults()
                .withServer(RunnerConfig.Server.at("127.0.0.1", 0))
                .withPlugins(List.of(
                        RunnerConfig.Plugin.http("weather", nowhere, Map.of()),
                        RunnerConfig.Plugin.http("clock", clock.endpoint(), Map.of()),
                        withRoot(GatewayMain.demoConfig(clock).plugins().get(1), root)));

        runner = GatewayRunner.start(config, OPTIONS);

        List<PluginStatus> plugins = runner.plugins();
        assertEquals(List.of("weather", "clock", "files"), plugins.stream().map(PluginStatus::name).toList());
        PluginStatus weather = plugins.get(0);
        assertFalse(weather.serving());
        assertEquals(0, weather.up());
        assertTrue(weather.problem() != null && !weather.problem().contains("\n"), weather.problem());
        assertEquals(new PluginStatus("clock", "http", 1, 1, null), plugins.get(1));
        assertEquals(new PluginStatus("files", "stdio", 2, 2, null), plugins.get(2));
        assertEquals(2, runner.gateway().registry().instances().stream()
                .filter(instance -> instance.pluginName().equals("files") && instance.status() == InstanceStatus.UP)
                .count(), "two processes of the files plugin serve side by side");

        String banner = runner.banner();
        assertTrue(banner.contains("MCP endpoint: " + runner.endpoint()), banner);
        assertTrue(banner.contains("weather (http, 0/1 instance up) NOT SERVING: "), banner);
        assertTrue(banner.contains("clock (http, 1/1 instance up) serving"), banner);
        assertTrue(banner.contains("files (stdio, 2/2 instances up) serving"), banner);
        assertTrue(banner.contains("    clock__add\n") && banner.contains("    files__count_lines\n"), banner);

        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
                        .builder("http://" + runner.endpoint().getAuthority()).endpoint(runner.endpoint().getPath()).build())
                .requestTimeout(WAIT).initializationTimeout(WAIT).build();
        try {
            client.initialize();
            List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            assertEquals(runner.tools(), tools);
            assertTrue(tools.contains("clock__add") && tools.contains("files__read_file"), tools.toString());
            assertTrue(tools.stream().noneMatch(tool -> tool.startsWith("weather__")), tools.toString());
            assertEquals("5", text(client.callTool(McpSchema.CallToolRequest.builder("clock__add")
                    .arguments(Map.of("a", 2, "b", 3)).build())));
            assertTrue(text(client.callTool(McpSchema.CallToolRequest.builder("files__count_lines")
                    .arguments(Map.of("path", "hello.txt")).build())).contains("2"));
        } finally {
            client.closeGracefully();
        }

        // The only processes this test starts are the files plugin's.
        List<ProcessHandle> children = ProcessHandle.current().children().toList();
        assertEquals(2, children.size(), "the files plugin runs as two child processes: " + children);
        runner.close();
        assertTrue(runner.done().isDone());
        for (ProcessHandle child : children) {
            child.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertFalse(child.isAlive(), "closing the runner stopped plugin process " + child.pid());
        }
    }

    @Test
    void startingAndStoppingAreOneClearLineEach() throws Exception {
        clock = ClockPlugin.start("127.0.0.1", 0);
        RunnerConfig config = RunnerConfig.defaults().withServer(RunnerConfig.Server.at("127.0.0.1", 0))
                .withPlugins(List.of(RunnerConfig.Plugin.http("clock", clock.endpoint(), Map.of())));

        String[] banner = new String[1];
        String log = Stderr.of(() -> {
            runner = GatewayRunner.start(config, OPTIONS);
            banner[0] = runner.banner();
            runner.close();
        });

        assertTrue(log.matches("(?s).*INFO dev\\.mcpgateway\\.examples\\.runner\\.GatewayRunner - MCP Gateway \\S+"
                + " started in \\d+ ms: http://127\\.0\\.0\\.1:\\d+/mcp, 1 of 1 plugins serving, 3 tools\n.*"), log);
        assertTrue(log.matches("(?s).*MCP Gateway stopping: .*\n.*MCP Gateway stopped in \\d+ ms\n.*"), log);
        assertTrue(banner[0].startsWith("MCP Gateway " + RunnerVersion.VERSION + " is running\n"), banner[0]);
    }

    @Test
    void aPortInUseIsOneClearLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            clock = ClockPlugin.start("127.0.0.1", 0);
            RunnerConfig config = GatewayMain.demoConfig(clock)
                    .withServer(RunnerConfig.Server.at("127.0.0.1", taken.getLocalPort()));

            ConfigException error = assertThrows(ConfigException.class, () -> GatewayRunner.start(config, OPTIONS));

            assertEquals("port " + taken.getLocalPort() + " on 127.0.0.1 is in use; set server.port or GATEWAY_PORT",
                    error.getMessage());
            assertEquals(List.of(), ProcessHandle.current().children().toList(),
                    "the port is checked before any plugin process starts");
        }
    }

    @Test
    void mainReportsBadArgumentsAndBadFilesInOneLine() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(out, err, "--bogus"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("unknown argument '--bogus'\nusage: mcp-gateway"));
        assertEquals(2, run(out, new ByteArrayOutputStream(), "--config"));

        assertEquals(0, run(out, new ByteArrayOutputStream(), "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: mcp-gateway [--config FILE]"));
        ByteArrayOutputStream version = new ByteArrayOutputStream();
        assertEquals(0, run(version, new ByteArrayOutputStream(), "--version"));
        assertTrue(version.toString(StandardCharsets.UTF_8)
                        .matches("mcp-gateway \\d+\\.\\d+\\.\\d+\\S* \\(Java .+\\)\n"),
                "the build's version, not a placeholder: " + version);

        Path bad = Files.writeString(root.resolve("gateway.yaml"), "server: { prot: 1 }\n");
        ByteArrayOutputStream badErr = new ByteArrayOutputStream();
        assertEquals(1, run(new ByteArrayOutputStream(), badErr, "--config", bad.toString()));
        assertEquals("config error in gateway.yaml line 1, column 11: unknown key 'prot' under server (known: host, "
                + "port, maxConnections, maxStreamsPerSession, allowedHosts, allowedOrigins, cors, maxBodyBytesInFlight, "
                + "maxSessions, maxSessionsPerClient, maxCallsPerSession, maxBatchSize, sessionIdleTimeout, tls, path, "
                + "maxRequestBytes, maxRequestHeaderBytes, sseKeepAlive, idleTimeout, requestHeaderTimeout, "
                + "requestBodyTimeout, instructions, pageSize, listChangedDebounce, defaultCacheTtl, "
                + "inputRequiredTimeout, maxSuspendedCalls)\n",
                badErr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theDemoRunsTheFilesPluginFromThisClassPathInTheCurrentDirectory() {
        clock = ClockPlugin.start("127.0.0.1", 0);

        RunnerConfig demo = GatewayMain.demoConfig(clock);

        assertEquals(List.of("clock", "files"), demo.plugins().stream().map(RunnerConfig.Plugin::name).toList());
        assertEquals(clock.endpoint().toString(), demo.plugins().get(0).url());
        RunnerConfig.Plugin files = demo.plugins().get(1);
        assertEquals(2, files.instances());
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), files.command());
        assertEquals(List.of("-cp", System.getProperty("java.class.path"),
                "dev.mcpgateway.examples.demo.FilesPlugin"), files.args());
        assertEquals(Map.of("ROOT", Path.of("").toAbsolutePath().toString()), files.env());
        assertNull(demo.plugins().get(0).command());
    }

    private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return GatewayMain.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The demo's files plugin, serving {@code root}. */
    private static RunnerConfig.Plugin withRoot(RunnerConfig.Plugin files, Path root) {
        return new RunnerConfig.Plugin(files.name(), null, null, null, files.transport(), files.command(), files.args(),
                Map.of("ROOT", root.toString()), files.inheritEnv(), files.instances(), null, null, null, null, null, null,
                null, null);
    }

    private static String text(McpSchema.CallToolResult result) {
        assertFalse(Boolean.TRUE.equals(result.isError()), result.toString());
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
