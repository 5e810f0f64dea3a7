package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mcpgateway.testing.Await;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image for real: {@code deploy/build-image.sh} builds it from the Dockerfile on this machine (no
 * registry: its bases come from Debian packages and the build's JDK), then podman runs it as an operator would. The
 * gateway in the container answers {@code /healthz} and {@code /readyz} and an MCP client's {@code initialize} and
 * {@code tools/list} through a port published on 127.0.0.1, runs as UID 10001, passes the image's own health check,
 * refuses to start when nobody said how clients authenticate, and stops on SIGTERM without being killed. Runs after
 * {@code package}, in {@code verify}; podman must be installed (.ci/run installs it).
 */
class ContainerImageIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String IMAGE = "localhost/mcp-gateway:it";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int UID = 10001;
    private final List<String> containers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void buildTheImage() throws Exception {
        assertTrue(onPath("podman"), "podman is needed to build and run the image: install it (Debian: apt-get install "
                + "-y podman runc; .ci/run does) and run the build again");
        Path log = Path.of("target", "container-image-build.log").toAbsolutePath();
        Process build = new ProcessBuilder("bash", REPO.resolve("deploy/build-image.sh").toString(), IMAGE)
                .directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            build.destroyForcibly();
            fail("deploy/build-image.sh took longer than " + BUILD_TIMEOUT + "; its output: " + log);
        }
        assertEquals(0, build.exitValue(), () -> "deploy/build-image.sh failed:\n" + tail(log));
    }

    @AfterEach
    void removeContainers() throws Exception {
        for (String name : containers) {
            podman("rm", "--force", "--time", "0", name);
        }
    }

    @Test
    void theImageServesMcpAsANonRootUserAndStopsOnSigterm() throws Exception {
        int port = freePort();
        String name = container();
        // The image does not choose how clients authenticate; here, a loopback-only port, nobody needs to.
        Result run = podman("run", "--detach", "--name", name, "--publish", "127.0.0.1:" + port + ":9105",
                "--env", "AUTH_PROVIDER=none", IMAGE);
        assertEquals(0, run.exit(), run::describe);

        URI base = URI.create("http://127.0.0.1:" + port);
        Await.until("/readyz answering 200 (the demo plugins up)", START_TIMEOUT, () -> status(base, "/readyz") == 200);
        assertEquals(200, status(base, "/healthz"));

        McpSyncClient client = McpClient.sync(SdkClients.streamableHttp(base.resolve("/mcp")))
                .requestTimeout(COMMAND_TIMEOUT).build();
        try {
            client.initialize();
            List<String> tools = SdkClients.toolNames(client);
            assertTrue(tools.containsAll(List.of("clock__add", "files__list_files")), tools::toString);
        } finally {
            client.closeGracefully();
        }

        Result user = podman("inspect", "--format", "{{.Config.User}} {{.State.Pid}}", name);
        assertEquals(0, user.exit(), user::describe);
        String[] configured = user.output().strip().split(" ");
        assertEquals(UID + ":" + UID, configured[0], "the image's USER");
        assertEquals(UID, processUid(Long.parseLong(configured[1])), "the gateway process's real UID on this host");
        Result shell = podman("exec", name, "/bin/bash", "-c", "echo $UID $EUID");
        assertEquals(UID + " " + UID, shell.output().strip(), () -> "a command in the container: " + shell.describe());

        Result health = podman("healthcheck", "run", name);
        assertEquals(0, health.exit(), () -> "the image's HEALTHCHECK (deploy/healthcheck): " + health.describe());

        long stopping = System.nanoTime();
        Result stop = podman("stop", "--time", "30", name);
        assertEquals(0, stop.exit(), stop::describe);
        Duration took = Duration.ofNanos(System.nanoTime() - stopping);
        assertTrue(took.compareTo(Duration.ofSeconds(25)) < 0, "SIGTERM drained within the runner's 20 s: " + took);
        Result exit = podman("inspect", "--format", "{{.State.ExitCode}}", name);
        assertNotEquals("137", exit.output().strip(), "stopped by SIGTERM, not killed");
    }

    @Test
    void withoutAnAuthenticationChoiceTheContainerRefusesToStart() throws Exception {
        String name = container();
        Result run = podman("run", "--name", name, IMAGE);
        assertNotEquals(0, run.exit(), run::describe);
        Result logged = podman("logs", name);
        String logs = logged.output() + logged.errors();
        assertTrue(logs.contains("server.host 0.0.0.0 is not a loopback address and no authentication is "
                + "configured"), logs);
        assertTrue(logs.contains("AUTH_PROVIDER=none"), "the message says what to set: " + logs);
    }

    /** A container name of this test's own, removed after it. */
    private String container() {
        String name = "mcp-gateway-it-" + UUID.randomUUID().toString().substring(0, 8);
        containers.add(name);
        return name;
    }

    private int status(URI base, String path) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The real UID of a host process, from its /proc status (podman runs rootful here: no user namespace). */
    private static int processUid(long pid) throws IOException {
        Matcher uid = Pattern.compile("(?m)^Uid:\\s+(\\d+)").matcher(Files.readString(Path.of("/proc", pid + "",
                "status")));
        assertTrue(uid.find(), "no Uid line for process " + pid);
        return Integer.parseInt(uid.group(1));
    }

    /** Runs deploy/podman.sh, which adds the settings this machine needs, with the given arguments. */
    private static Result podman(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", REPO.resolve("deploy/podman.sh").toString()));
        command.addAll(List.of(args));
        // Files rather than pipes, so that a podman that hangs is still bounded by the timeout.
        Path out = Files.createTempFile(Path.of("target"), "podman", ".out");
        Path err = Files.createTempFile(Path.of("target"), "podman", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("podman " + String.join(" ", args) + " took longer than " + COMMAND_TIMEOUT);
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    private static boolean onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A podman command's exit code, standard output and standard error. */
    private record Result(int exit, String output, String errors) {
        /** Both outputs, for a failure's message. */
        String describe() {
            return "exit " + exit + "\n" + output + errors;
        }
    }
}
