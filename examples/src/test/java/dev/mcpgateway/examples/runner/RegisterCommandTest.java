package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.event.GatewayEvent.InstanceDeregistered;
import dev.mcpgateway.examples.RegistrationFrontDoor;
import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcp-gateway register}: its arguments and their errors, and a run in this JVM against a real gateway that
 * registers a manifest file and deregisters when stopped. The signal handling of a real process:
 * {@code RegisterSidecarProcessTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RegisterCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private RegistrationFrontDoor door;
    private ClockPlugin clock;

    @AfterEach
    void tearDown() {
        if (clock != null) {
            clock.close();
        }
        if (door != null) {
            door.close();
        }
    }

    @Test
    void parsesEveryOption() {
        RegisterCommand.Arguments arguments = RegisterCommand.Arguments.parse(new String[] {
                "--gateway", "http://127.0.0.1:9105", "--manifest", "notes.json", "--instance-id", "notes-eu-1",
                "--lease", "45s", "--header", "Authorization=Bearer a=b", "--header", "X-Team=search"});
        assertEquals(URI.create("http://127.0.0.1:9105"), arguments.gateway());
        assertEquals(Path.of("notes.json"), arguments.manifest());
        assertEquals("notes-eu-1", arguments.instanceId());
        assertEquals(Duration.ofSeconds(45), arguments.lease());
        assertEquals(Map.of("Authorization", "Bearer a=b", "X-Team", "search"), arguments.headers(),
                "split at the first '=' only");
        assertTrue(arguments.toString().contains("headers=[Authorization, X-Team]"), "no header values printed");
        assertTrue(RegisterCommand.Arguments.parse(new String[] {"--help"}).help());

        RegisterCommand.Arguments minimal = RegisterCommand.Arguments.parse(new String[] {
                "--manifest", "m.json", "--gateway", "https://gw.example.com"});
        assertNull(minimal.instanceId());
        assertNull(minimal.lease());
        assertEquals(Map.of(), minimal.headers());
    }

    @Test
    void saysWhichArgumentIsMissingOrWrong() {
        assertEquals("--gateway is required: the gateway to register with, e.g. --gateway http://127.0.0.1:9105",
                parseError("--manifest", "m.json"));
        assertEquals("--manifest is required: the plugin's manifest as a JSON file",
                parseError("--gateway", "http://127.0.0.1:9105"));
        assertEquals("unknown argument '--port'", parseError("--port", "1"));
        assertEquals("--lease needs a value", parseError("--gateway", "http://127.0.0.1:9105", "--lease"));
        assertEquals("--gateway takes an http:// or https:// URL such as http://127.0.0.1:9105, got '127.0.0.1:9105'",
                parseError("--gateway", "127.0.0.1:9105"));
        assertTrue(parseError("--header", "Authorization").startsWith("--header takes Name=Value"));
        assertTrue(parseError("--lease", "30").startsWith("'30' is not a duration"));
    }

    @Test
    void badArgumentsAndUnreadableManifestsExit2WithTheUsage() throws Exception {
        assertEquals(2, run("--gateway", "http://127.0.0.1:1", "--manifest", dir.resolve("missing.json").toString()));
        assertTrue(stderr().startsWith("mcp-gateway register: cannot read the manifest " + dir.resolve("missing.json")
                + ": no such file\nusage: mcp-gateway register"), stderr());

        err.reset();
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"name\": \"notes\",\n \"transport\": }");
        assertEquals(2, run("--gateway", "http://127.0.0.1:1", "--manifest", broken.toString()));
        assertTrue(stderr().startsWith("mcp-gateway register: the manifest " + broken + " is not valid JSON, line 2,"),
                stderr());

        err.reset();
        Path array = Files.writeString(dir.resolve("array.json"), "[]");
        assertEquals(2, run("--gateway", "http://127.0.0.1:1", "--manifest", array.toString()));
        assertTrue(stderr().contains("must hold one JSON object"), stderr());

        err.reset();
        Path fine = Files.writeString(dir.resolve("fine.json"), "{\"name\": \"notes\"}");
        assertEquals(2, run("--gateway", "http://127.0.0.1:1", "--manifest", fine.toString(), "--lease", "0s"));
        assertTrue(stderr().startsWith("mcp-gateway register: a lease is whole seconds from 1 s to 86400 s"), stderr());

        err.reset();
        assertEquals(2, run("--bogus"));
        assertTrue(stderr().startsWith("mcp-gateway register: unknown argument '--bogus'\nusage: mcp-gateway register"));

        assertEquals(0, run("--help"));
        assertTrue(stdout().startsWith("usage: mcp-gateway register --gateway URL --manifest FILE"), stdout());
    }

    @Test
    void registersTheManifestFileUntilStoppedThenDeregisters() throws Exception {
        door = RegistrationFrontDoor.start();
        clock = ClockPlugin.start("127.0.0.1", 0);
        Path manifest = Files.writeString(dir.resolve("clock.json"), """
                {"name": "clock", "version": "1.0.0", "labels": {"track": "sidecar"},
                 "transport": {"type": "http", "url": "%s"},
                 "tools": [{"name": "add", "inputSchema": {"type": "object"}}]}""".formatted(clock.endpoint()));
        CountDownLatch stop = new CountDownLatch(1);

        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> RegisterCommand.run(new String[] {
                "--gateway", door.base().toString(), "--manifest", manifest.toString(), "--instance-id", "clock-side",
                "--lease", "5s", "--header", "X-Registered-By=test"}, print(out), print(err), stop));

        Await.until("the sidecar registered the clock plugin", WAIT, () -> door.instance("clock-side").isPresent());
        PluginInstance registered = door.instance("clock-side").orElseThrow();
        assertEquals(Duration.ofSeconds(5), registered.lease());
        assertEquals(Map.of("track", "sidecar"), registered.manifest().labels());
        assertTrue(stdout().startsWith("Registering instance clock-side with " + door.base()), stdout());

        stop.countDown();
        assertEquals(0, status.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(door.instance("clock-side").isEmpty());
        door.awaitEvent(InstanceDeregistered.class, "clock-side", WAIT);
    }

    @Test
    void aManifestTheGatewayRejectsExits1WithItsReasons() throws Exception {
        door = RegistrationFrontDoor.start();
        Path manifest = Files.writeString(dir.resolve("typo.json"), """
                {"name": "clock", "transprot": {"type": "http", "url": "http://127.0.0.1:1/mcp"}}""");

        assertEquals(1, RegisterCommand.run(new String[] {"--gateway", door.base().toString(), "--manifest",
                manifest.toString()}, print(out), print(err), new CountDownLatch(1)));
        assertTrue(stderr().startsWith("mcp-gateway register: gateway " + door.base() + "/api/v1/plugins rejected plugin"
                + " 'clock' (400): "), stderr());
        assertTrue(stderr().contains("/transprot: "), stderr());
    }

    private int run(String... args) {
        return RegisterCommand.run(args, print(out), print(err), new CountDownLatch(1));
    }

    private static String parseError(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> RegisterCommand.Arguments.parse(args)).getMessage();
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
