package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway in a child JVM with a 64 MiB heap, flooded with large calls at once (2025-06-18, one session): within the default budget of bodies
 * in flight it refuses what does not fit and keeps serving; with a budget as large as the flood it runs out of memory
 * (and, told to exit on that, exits rather than staying up dead). Proof that the flood is a real threat, and that the
 * budget is what holds it.
 */
@Timeout(120)
class SmallHeapFloodTest {
    private static final int CLIENTS = 24;
    private static final int ROUNDS = 2;
    private static final String VERSION = "2025-06-18";
    /** Each body: a call of the slow tool with 3 MiB of arguments (under the 4 MiB size limit), held while it runs. */
    private static final String BIG = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
            + "{\"name\":\"calc__slow\",\"arguments\":{\"pad\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}}}";

    @TempDir
    Path directory;

    @Test
    void withTheDefaultBudgetTheFloodIsRefusedInPartAndTheGatewayKeepsServing() throws Exception {
        Path stderr = directory.resolve("stderr.txt");
        Process gateway = start("default", stderr);
        BufferedReader stdout = stdoutOf(gateway);
        try (McpHttp http = new McpHttp(endpointOf(stdout))) {
            Flood flood = flood(http);
            assertTrue(flood.served.get() > 0, "some bodies fit the budget: " + flood);
            assertTrue(flood.refused.get() > 0, "the rest were refused: " + flood);
            assertTrue(gateway.isAlive(), "the gateway survived the flood");

            String session = http.initialize(VERSION);
            Reply sum = http.call(session, VERSION, "tools/call",
                    "{\"name\":\"calc__add\",\"arguments\":{\"a\":40,\"b\":2}}");
            assertEquals("42", sum.result().path("content").path(0).path("text").asText(), sum.body());
        } finally {
            stop(gateway);
        }
        assertFalse(Files.readString(stderr).contains("OutOfMemoryError"), Files.readString(stderr));
    }

    @Test
    void withABudgetAsLargeAsTheFloodTheSameFloodExhaustsTheHeap() throws Exception {
        Path stderr = directory.resolve("stderr.txt");
        Process gateway = start(Long.toString(1L << 30), stderr);
        BufferedReader stdout = stdoutOf(gateway);
        try (McpHttp http = new McpHttp(endpointOf(stdout))) {
            flood(http);
            assertTrue(gateway.waitFor(30, TimeUnit.SECONDS), "the gateway exited on running out of memory");
        } finally {
            stop(gateway);
        }
        assertEquals(3, gateway.exitValue(), "the exit code of -XX:+ExitOnOutOfMemoryError");
        // The JVM reports it on stdout.
        String rest = String.join("\n", stdout.lines().toList());
        assertTrue(rest.contains("OutOfMemoryError"), rest);
    }

    private Process start(String budget, Path stderr) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), SmallHeapGatewayMain.class.getName(), budget);
        return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    }

    private static BufferedReader stdoutOf(Process gateway) {
        return new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
    }

    private static URI endpointOf(BufferedReader stdout) throws IOException {
        String line = stdout.readLine();
        assertTrue(line != null && line.startsWith("http://127.0.0.1:"), "the gateway printed its endpoint: " + line);
        return URI.create(line);
    }

    /**
     * Every client sends its big bodies one after another, all clients at once. A refused body may also end as a
     * broken connection: the server answers 503 without reading it and closes once the rest is too long to skip.
     */
    private static Flood flood(McpHttp http) {
        String session = http.initialize(VERSION);
        Flood flood = new Flood();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                all.add(CompletableFuture.runAsync(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        try {
                            Reply reply = http.send(http.post(BIG, "Mcp-Session-Id", session,
                                    "MCP-Protocol-Version", VERSION));
                            (reply.status() == 200 ? flood.served : reply.status() == 503 ? flood.refused
                                    : flood.other).incrementAndGet();
                        } catch (UncheckedIOException brokenOrGone) {
                            flood.broken.incrementAndGet();
                        }
                    }
                }, clients));
            }
            all.forEach(CompletableFuture::join);
        }
        return flood;
    }

    private static void stop(Process gateway) throws InterruptedException {
        try {
            gateway.getOutputStream().close(); // ends its stdin: it stops serving and exits
        } catch (IOException alreadyGone) {
            // it exited on its own
        }
        if (!gateway.waitFor(10, TimeUnit.SECONDS)) {
            gateway.destroyForcibly().waitFor();
        }
    }

    /** How the flood's requests ended. */
    private static final class Flood {
        final AtomicInteger served = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger broken = new AtomicInteger();
        final AtomicInteger other = new AtomicInteger();

        @Override
        public String toString() {
            return served + " served, " + refused + " refused with 503, " + broken + " broken, " + other + " other";
        }
    }
}
