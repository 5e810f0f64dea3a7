package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.event.GatewayEvent.InstanceDeregistered;
import dev.mcpgateway.event.GatewayEvent.LeaseExpired;
import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.examples.runner.GatewayMain;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mcp-gateway register} as a real process, a sidecar keeping the clock plugin registered with a real gateway:
 * SIGTERM or SIGINT deregisters it at once (not a lapsed lease) and the process exits 0.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RegisterSidecarProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final ChildProcesses processes = new ChildProcesses();
    private RegistrationFrontDoor door;
    private ClockPlugin clock;
    private Process sidecar;

    @BeforeEach
    void setUp() throws Exception {
        door = RegistrationFrontDoor.start();
        clock = ClockPlugin.start("127.0.0.1", 0);
    }

    @AfterEach
    void tearDown() {
        try {
            if (sidecar != null) {
                sidecar.destroyForcibly();
            }
            Closing.all(clock, door);
        } finally {
            processes.assertAllExitWithin(WAIT);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aStopSignalDeregistersAtOnceAndExits0(String signal) throws Exception {
        Path manifest = Files.writeString(dir.resolve("clock.json"), """
                {"name": "clock", "version": "1.0.0", "transport": {"type": "http", "url": "%s"},
                 "tools": [{"name": "add", "inputSchema": {"type": "object"}}]}""".formatted(clock.endpoint()));
        sidecar = new ProcessBuilder(JavaMains.command(GatewayMain.class, "register", "--gateway",
                door.base().toString(), "--manifest", manifest.toString(), "--instance-id", "clock-sidecar",
                "--lease", "30s"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();

        Await.until("the sidecar registered the clock plugin", WAIT, () -> door.instance("clock-sidecar").isPresent());
        Signals.send(signal, sidecar.pid());

        assertTrue(sidecar.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the sidecar exits");
        assertEquals(0, sidecar.exitValue(), "a stop is the sidecar's normal end");
        assertTrue(door.instance("clock-sidecar").isEmpty(), "deregistered before it exited");
        door.awaitEvent(InstanceDeregistered.class, "clock-sidecar", WAIT);
        assertEquals(List.of("clock-sidecar"), door.ids(InstanceDeregistered.class));
        assertEquals(List.of(), door.ids(LeaseExpired.class));
    }
}
