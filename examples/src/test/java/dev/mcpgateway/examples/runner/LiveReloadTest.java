package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;

/**
 * Reloading a running runner's file: an invalid edit is one ERROR line and changes nothing; a changed plugin is
 * replaced without its tools vanishing; instances registered other than by the file are left alone; routing rules
 * are swapped; SIGHUP reloads. The plugins are two in-process HTTP servers, so no process is started.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LiveReloadTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private ClockPlugin clock;
    private ClockPlugin otherClock;
    private GatewayRunner runner;
    private Path config;

    @BeforeEach
    void setUp() {
        clock = ClockPlugin.start("127.0.0.1", 0);
        otherClock = ClockPlugin.start("127.0.0.1", 0);
        config = dir.resolve("gateway.yaml");
    }

    @AfterEach
    void tearDown() {
        if (runner != null) {
            runner.close();
        }
        clock.close();
        otherClock.close();
    }

    @Test
    void anInvalidEditIsOneErrorLineAndTheRunningConfigurationStays() throws IOException {
        start(plugin("clock", clock, ""));
        List<String> toolsBefore = runner.tools();
        String instanceBefore = instances("clock").getFirst().id();

        String log = capturingStandardError(logged -> {
            write(plugin("clock", clock, "") + "  - name: broken\n\ttransport: stdio\n");
            Await.until("the rejection logged", WAIT, () -> logged.get().contains("config reload rejected"));
        });

        List<String> lines = log.lines().filter(line -> line.contains(" ERROR ")).toList();
        assertEquals(List.of("[mcp-gateway-config-reload] ERROR dev.mcpgateway.examples.runner.LiveReload - config "
                + "reload rejected, running configuration kept: config error in gateway.yaml line 5, column 1: YAML "
                + "does not allow tabs for indentation; use spaces"), lines, log);
        assertTrue(log.lines().noneMatch(line -> line.startsWith("\tat ")), "no stack trace: " + log);
        assertEquals(toolsBefore, runner.tools());
        assertEquals(instanceBefore, instances("clock").getFirst().id());

        // Fixed, it applies: the rejected text did not stick.
        write(plugin("clock", clock, "") + plugin("other", otherClock, "").replace("plugins:\n", ""));
        Await.until("the added plugin's tools listed", WAIT, () -> runner.tools().contains("other__add"));
    }

    @Test
    void aChangedPluginIsReplacedNewBeforeOldSoItsToolsNeverVanish() throws IOException {
        start(plugin("clock", clock, "version: 1.0.0"));
        String oldInstance = instances("clock").getFirst().id();
        ConcurrentLinkedQueue<String> missing = new ConcurrentLinkedQueue<>();
        runner.gateway().registry().addListener(event -> {
            if (event instanceof GatewayEvent.RoutingTableUpdated updated && updated.table().tools().stream()
                    .noneMatch(tool -> tool.exposedName().equals("clock__add"))) {
                missing.add(updated.table().tools().toString());
            }
        });

        capturingStandardError(logged -> {
            write(plugin("clock", otherClock, "version: 2.0.0"));
            Await.until("the replacement logged", WAIT, () -> logged.get().contains(
                    "INFO dev.mcpgateway.examples.runner.ConfigReloader - reload: ~clock\n"));
        });

        assertEquals(1, instances("clock").size(), instances("clock").toString());
        assertEquals("2.0.0", instances("clock").getFirst().manifest().version());
        assertNotEquals(oldInstance, instances("clock").getFirst().id());
        assertEquals(List.of(), List.copyOf(missing), "clock__add was listed in every routing table");
    }

    @Test
    void aChangedPluginWhoseNewInstancesFailKeepsItsRunningOnes() throws IOException {
        start(plugin("clock", clock, ""));
        String running = instances("clock").getFirst().id();
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String broken = "plugins:\n  - { name: clock, transport: http, url: \"http://127.0.0.1:" + closedPort
                + "/mcp\" }\n";

        String log = capturingStandardError(logged -> {
            write(broken);
            Await.until("the reload logged", WAIT, () -> logged.get().contains("ConfigReloader - reload: ~clock"));
        });

        assertTrue(log.contains("WARN dev.mcpgateway.examples.runner.ConfigReloader - reload: plugin 'clock' keeps "
                + "its running instances: the changed ones did not come up ("), log);
        assertTrue(log.contains("reload: ~clock (kept running: [clock])\n"), log);
        assertEquals(List.of(running), instances("clock").stream().map(PluginInstance::id).toList(),
                "the running instance serves on, the failed new one is gone");
        assertTrue(runner.tools().contains("clock__add"), runner.tools().toString());

        // The entry stays as it was, so fixing the file (here: back to the running one) is no change.
        String fixed = capturingStandardError(logged -> {
            write(plugin("clock", clock, ""));
            runner.reload().join();
        });
        assertTrue(fixed.contains("ConfigReloader - reload: no changes\n"), fixed);
        assertEquals(List.of(running), instances("clock").stream().map(PluginInstance::id).toList());
    }

    @Test
    void anEditDuringAReloadIsAppliedByAnotherOneAfterIt() throws IOException {
        // A plugin that accepts connections but never answers keeps the first reload waiting for it (2 s here).
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            write(plugin("clock", clock, ""));
            runner = GatewayRunner.start(config, Map.of(), new GatewayRunner.Options(false, Duration.ofSeconds(2),
                    List.of()));
            String slow = "  - { name: slow, transport: http, url: \"http://127.0.0.1:" + silent.getLocalPort()
                    + "/mcp\" }\n";

            String log = capturingStandardError(logged -> {
                write(plugin("clock", clock, "") + slow);
                Await.until("the first reload under way", WAIT, () -> !instances("slow").isEmpty());
                write(plugin("clock", clock, "") + slow + plugin("other", otherClock, "").replace("plugins:\n", ""));
                Await.until("the second reload applied", WAIT, () -> logged.get().contains("reload: +other"));
            });

            List<String> reloads = log.lines().filter(line -> line.contains("ConfigReloader - reload: ")).toList();
            assertEquals(2, reloads.size(), log);
            assertTrue(reloads.get(0).endsWith("reload: +slow"), reloads.toString());
            assertTrue(reloads.get(1).endsWith("reload: +other"), reloads.toString());
            assertTrue(runner.tools().contains("other__add"), runner.tools().toString());
        }
    }

    @Test
    void instancesRegisteredOverTheApiAreNeverTouched() throws IOException {
        start(plugin("clock", clock, ""));
        PluginInstance api = runner.gateway().addPlugin(Registration.of(PluginManifest.builder("clock")
                .transport(new TransportSpec.Http(otherClock.endpoint(), Map.of())).build())
                .withSource(RegistrationSource.API)).join();

        write("plugins: []\n");

        Await.until("the configured instance gone", WAIT, () -> instances("clock").size() == 1);
        assertEquals(api.id(), instances("clock").getFirst().id(), "the API's instance stays");
        assertEquals(RegistrationSource.API, instances("clock").getFirst().source());
        assertTrue(runner.tools().contains("clock__add"), runner.tools().toString());
    }

    @Test
    void routingRulesAreSwappedTimeoutsApplyAndSettingsFixedAtStartAreNamedInOneWarning() throws IOException {
        start(plugin("clock", clock, ""));

        String log = capturingStandardError(() -> {
            write(plugin("clock", clock, "timeout: 5s") + """
                    routing:
                      toolNaming: prefix-on-conflict
                      rules:
                        - { name: canary, match: "clock/*", targets: [{ weight: 9 }, { weight: 1, versions: ">=2" }] }
                    """);
            runner.reload().join();
        });

        assertEquals(List.of("canary"), runner.gateway().routingRules().stream().map(RoutingRule::name).toList());
        assertTrue(log.contains("WARN dev.mcpgateway.examples.runner.ConfigReloader - reload: routing.toolNaming "
                + "cannot change while the gateway runs; it takes effect on restart\n"), log);
        assertEquals(Duration.ofSeconds(5), runner.gateway().config().callTimeoutOf("clock"),
                "a plugin's timeout applies at once, its instances untouched");
        assertTrue(log.contains("INFO dev.mcpgateway.examples.runner.ConfigReloader - reload: rules replaced (1)\n"),
                log);
    }

    /**
     * A real SIGHUP raised in this JVM where the process takes it; where it is ignored (a test JVM started under
     * nohup or by a job runner that ignores SIGHUP, as on some CI machines), the runner must say so rather than
     * pretend. Either way the handler stays installed for the rest of this JVM, holding a closed runner, whose
     * reload does nothing.
     */
    @Test
    void sighupReloadsTheFileWhereTheProcessTakesIt() throws Exception {
        start(plugin("clock", clock, ""));
        Signal hup = new Signal("HUP");
        boolean[] installed = new boolean[1];
        String note = capturingStandardError(() -> installed[0] = Sighup.install(runner));
        if (!installed[0]) {
            assertTrue(note.contains("INFO dev.mcpgateway.examples.runner.Sighup - SIGHUP is ignored for this process "
                    + "(started under nohup?); the configuration reloads when its file changes\n"), note);
            return;
        }
        // The file is unchanged, so only a forced reload (SIGHUP's) reads it and says so.
        String log = capturingStandardError(logged -> {
            Signal.raise(hup);
            Await.until("the forced reload logged", WAIT, () -> logged.get().contains("reload: no changes"));
        });
        assertTrue(log.contains("INFO dev.mcpgateway.examples.runner.Sighup - SIGHUP: reloading the "
                + "configuration\n"), log);
    }

    @Test
    void theSignalHandlerOnlyAsksForAReload() throws IOException {
        start(plugin("clock", clock, ""));
        write(plugin("clock", clock, "") + plugin("other", otherClock, "").replace("plugins:\n", ""));

        Sighup.onSignal(runner);

        Await.until("the added plugin's tools listed", WAIT, () -> runner.tools().contains("other__add"));
    }

    private void start(String yaml) throws IOException {
        write(yaml);
        runner = GatewayRunner.start(config, Map.of(), new GatewayRunner.Options(false, WAIT, List.of()));
    }

    private void write(String yaml) {
        try {
            Files.writeString(config, "server: { port: 0 }\n" + yaml);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String plugin(String name, ClockPlugin server, String extra) {
        return "plugins:\n  - { name: " + name + ", transport: http, url: \"" + server.endpoint() + "\""
                + (extra.isEmpty() ? "" : ", " + extra) + " }\n";
    }

    private List<PluginInstance> instances(String plugin) {
        return runner.gateway().registry().instances().stream()
                .filter(instance -> instance.pluginName().equals(plugin)).toList();
    }

    /** What the runner logs while {@code action} runs (the SLF4J simple logger writes to the current System.err). */
    private static String capturingStandardError(Runnable action) {
        return capturingStandardError(logged -> action.run());
    }

    /** The same, the action seeing what was logged so far. */
    private static String capturingStandardError(Consumer<Supplier<String>> action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.accept(() -> captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }
}
