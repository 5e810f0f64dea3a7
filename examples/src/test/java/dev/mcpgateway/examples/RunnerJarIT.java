package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.testing.Await;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's first run, for real: the executable jar the build produced, and the README's {@code ./mcp-gateway}
 * launcher, are started as processes with no configuration; the official MCP Java SDK client calls a tool of each demo
 * plugin through them; Ctrl-C (SIGTERM here) or the end of stdin stops them with their plugin processes. Runs after
 * {@code package}, in {@code verify}.
 */
class RunnerJarIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** How each line the jar logs starts (its logback.xml; LogOutputTest has the rest of the format). */
    private static final Pattern EVENT = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) "
            + "(TRACE|DEBUG|INFO |WARN |ERROR) \\[");
    private final List<ProcessHandle> started = new ArrayList<>();

    @TempDir
    Path workDir;

    @AfterEach
    void killLeftovers() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void theJarServesTheDemoPluginsAndStopsCleanly() throws Exception {
        Path jar = Path.of(System.getProperty("gateway.jar", "target/mcp-gateway.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "the build did not produce " + jar);
        Files.writeString(workDir.resolve("hello.txt"), "hi\n");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()).directory(workDir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("GATEWAY_PORT", String.valueOf(port));
        Process gateway = builder.start();
        started.add(gateway.toHandle());

        URI endpoint = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && endpoint == null; line = out.readLine()) {
                if (line.contains("MCP endpoint: ")) {
                    endpoint = URI.create(line.substring(line.indexOf("MCP endpoint: ") + 14).trim());
                }
            }
            assertEquals(URI.create("http://127.0.0.1:" + port + "/mcp"), endpoint, "the banner names the endpoint");
            List<ProcessHandle> plugins = gateway.descendants().toList();
            started.addAll(plugins);

            McpSyncClient client = McpClient.sync(SdkClients.streamableHttp(endpoint)).requestTimeout(WAIT).build();
            try {
                client.initialize();
                List<String> tools = SdkClients.toolNames(client);
                assertTrue(tools.containsAll(List.of("clock__add", "files__list_files")), tools::toString);
                CallToolResult sum = client.callTool(CallToolRequest.builder("clock__add")
                        .arguments(Map.of("a", 2, "b", 3)).build());
                assertEquals("5", SdkClients.text(sum));
                CallToolResult listing = client.callTool(CallToolRequest.builder("files__list_files")
                        .arguments(Map.of()).build());
                assertTrue(SdkClients.text(listing).contains("hello.txt"), SdkClients.text(listing));
            } finally {
                client.closeGracefully();
            }

            gateway.toHandle().destroy(); // what Ctrl-C does
            Await.until("the gateway stopped", WAIT, () -> !gateway.isAlive());
            Await.until("its plugin processes stopped", WAIT, () -> plugins.stream().noneMatch(ProcessHandle::isAlive));
            assertFalse(gateway.isAlive());
        }
    }

    @Test
    void theLauncherScriptServesOverStdioForDesktopClients() throws Exception {
        Path script = Path.of("..", "mcp-gateway").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(script), script + " is the README's run command");
        List<String> stderr = new CopyOnWriteArrayList<>();
        StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder("bash")
                .args(script.toString(), "--stdio").build(), McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(stderr::add);
        McpSyncClient client = McpClient.sync(transport).requestTimeout(WAIT).initializationTimeout(WAIT).build();
        List<ProcessHandle> processes;
        try {
            client.initialize();
            processes = ProcessHandle.current().descendants()
                    .filter(process -> process.info().commandLine().orElse("").contains("mcp-gateway")
                            || process.info().commandLine().orElse("").contains("FilesPlugin"))
                    .toList();
            started.addAll(processes);
            assertEquals("5", SdkClients.callText(client, "clock__add", Map.of("a", 2, "b", 3)));
            // The script runs the gateway where it was started, so the files plugin serves this module's directory.
            String listing = SdkClients.callText(client, "files__list_files", Map.of());
            assertTrue(listing.contains("pom.xml"), listing);
        } finally {
            client.closeGracefully(); // closes the gateway's stdin: what a desktop client does when it quits
        }
        assertTrue(stderr.stream().anyMatch(line -> line.contains("MCP endpoint: stdio")),
                "the banner goes to stderr, stdout carries the protocol: " + stderr);
        assertFalse(processes.isEmpty());
        Await.until("the gateway and its plugins stopped", WAIT,
                () -> processes.stream().noneMatch(ProcessHandle::isAlive));
    }

    /**
     * The jar started from a file reloads it on a real SIGHUP, sent to it as an operator would ({@code kill -HUP});
     * the file is unchanged, so only SIGHUP's forced reload logs "no changes". Where the process ignores SIGHUP (a
     * job runner started the build under nohup), the runner must say so instead.
     */
    @Test
    void theJarReloadsItsFileOnSighup() throws Exception {
        Path jar = Path.of(System.getProperty("gateway.jar", "target/mcp-gateway.jar")).toAbsolutePath();
        Path config = Files.writeString(workDir.resolve("gateway.yaml"), "server: { port: 0 }\nplugins: []\n");
        Path banner = workDir.resolve("gateway.out");
        Path log = workDir.resolve("gateway.log");
        Process gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--config", config.toString()).directory(workDir.toFile())
                .redirectOutput(banner.toFile()).redirectError(log.toFile()).start();
        started.add(gateway.toHandle());
        // The banner is printed once the SIGHUP handler is installed.
        Await.until("the gateway serving", WAIT, () -> logged(banner).contains("MCP endpoint: "));

        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(gateway.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());

        Await.until("the reload or the note that SIGHUP is ignored", WAIT, () -> logged(log).contains("reload: no "
                + "changes") || logged(log).contains("SIGHUP is ignored for this process"));
        assertTrue(gateway.isAlive(), "SIGHUP reloads, it does not stop the gateway:\n" + logged(log));
        gateway.toHandle().destroy();
        Await.until("the gateway stopped", WAIT, () -> !gateway.isAlive());
        assertTrue(logged(log).lines().allMatch(line -> EVENT.matcher(line).lookingAt()),
                "one line per event, in the jar's format:\n" + logged(log));
    }

    /** What the process wrote to the file so far. */
    private static String logged(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
