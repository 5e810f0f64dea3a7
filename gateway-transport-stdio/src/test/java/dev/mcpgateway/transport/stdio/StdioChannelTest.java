package dev.mcpgateway.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.internal.transport.stdio.ProcessTree;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.Stderr;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.MessageChannel;
import dev.mcpgateway.transport.stdio.RecordingReceiver.Closed;
import dev.mcpgateway.transport.stdio.RecordingReceiver.Invalid;
import dev.mcpgateway.transport.stdio.RecordingReceiver.Message;
import dev.mcpgateway.transport.stdio.testserver.ScriptedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link StdioChannel} against real child processes ({@link ScriptedServer}). */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StdioChannelTest {
    private static final Duration SHORT_GRACE = Duration.ofMillis(300);
    private static final StdioOptions FAST = StdioOptions.defaults()
            .withShutdownGrace(SHORT_GRACE)
            .withKillGrace(SHORT_GRACE);
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);

    private final List<StdioChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        channels.forEach(StdioChannel::close);
    }

    @Test
    void roundTripsRequestsAndIgnoresNotificationsWithoutAnswer() throws Exception {
        RecordingReceiver receiver = new RecordingReceiver();
        StdioChannel channel = start(ScriptedServer.spec(), "echo", FAST, receiver);

        assertTrue(channel.describe().matches("stdio 'echo' pid \\d+"), channel.describe());
        assertEquals(channel.pid().orElseThrow(), Long.parseLong(channel.describe().replaceAll("\\D", "")));
        channel.send(new JsonRpcNotification("notifications/initialized", null)).get();
        for (int id = 1; id <= 3; id++) {
            ObjectNode params = Json.object().put("n", id).put("text", "héllo ✓ \"quoted\" \\ line\nbreak");
            assertNull(channel.send(new JsonRpcRequest(RequestId.of(id), "tools/call", params)).get());
            JsonRpcResponse response = receiver.nextResponse();
            assertEquals(RequestId.of(id), response.id());
            assertEquals("tools/call", response.result().get("method").textValue());
            assertEquals(params, response.result().get("params"));
        }
        assertThrows(IllegalStateException.class, () -> channel.start(new RecordingReceiver()));

        channel.close();
        assertNull(receiver.nextClosed());
        assertEquals(4, receiver.events().size(), () -> "only three answers and the end: " + receiver.events());
    }

    @Test
    void concurrentSendsFromEightThreadsArriveIntact() throws Exception {
        RecordingReceiver receiver = new RecordingReceiver();
        StdioChannel channel = start(ScriptedServer.spec(), "echo", FAST, receiver);
        int threads = 8;
        int perThread = 100;
        Map<RequestId, JsonNode> sent = new HashMap<>();
        List<List<JsonRpcRequest>> batches = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<JsonRpcRequest> batch = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                // Sizes up to ~20 KB, beyond the 4 KiB a pipe writes atomically and the 8 KiB stream buffer.
                String text = ("t" + t + "-i" + i + "-ü€😀").repeat(1 + (i * 37 + t * 11) % 1000);
                ObjectNode params = Json.object().put("thread", t).put("i", i).put("text", text);
                JsonRpcRequest request = new JsonRpcRequest(RequestId.of("t" + t + "-" + i), "echo", params);
                sent.put(request.id(), params);
                batch.add(request);
            }
            batches.add(batch);
        }

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> senders = new ArrayList<>();
            for (List<JsonRpcRequest> batch : batches) {
                senders.add(pool.submit(() -> {
                    go.await();
                    for (JsonRpcRequest request : batch) {
                        channel.send(request).get();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> sender : senders) {
                sender.get(15, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Set<RequestId> answered = new HashSet<>();
        for (int n = 0; n < threads * perThread; n++) {
            JsonRpcResponse response = receiver.nextResponse();
            assertTrue(answered.add(response.id()), () -> "answered twice: " + response.id());
            assertEquals(sent.get(response.id()), response.result().get("params"), () -> "params of " + response.id());
        }
        assertEquals(sent.keySet(), answered);
    }

    @Test
    void nonJsonLinesAreReportedAndStderrNeverBecomesAMessage() throws Exception {
        RecordingReceiver receiver = new RecordingReceiver();
        StdioChannel channel = start(ScriptedServer.spec("garbage"), "noisy", FAST, receiver);

        for (int id = 1; id <= 2; id++) {
            channel.send(new JsonRpcRequest(RequestId.of(id), "m" + id, null)).get();
            String reason = receiver.nextInvalid();
            assertTrue(reason.startsWith("plugin 'noisy' wrote a non-JSON-RPC line to stdout: "
                    + "this is not JSON-RPC, method m" + id + " ("), reason);
            assertEquals(RequestId.of(id), receiver.nextResponse().id(), "the channel keeps working");
        }

        // close() waits for the stderr reader, so every stderr line has been handled by now.
        channel.close();
        assertNull(receiver.nextClosed());
        List<RecordingReceiver.Event> events = receiver.events();
        assertEquals(5, events.size(), events::toString);
        assertEquals(2, events.stream().filter(Invalid.class::isInstance).count());
        assertTrue(events.stream().noneMatch(e -> e instanceof Message m && m.message() instanceof JsonRpcNotification),
                () -> "the JSON-RPC line on stderr must not be delivered: " + events);
    }

    @Test
    void exitIsReportedOnceAfterTheLastLineAndLaterSendsFail() throws Exception {
        RecordingReceiver receiver = new RecordingReceiver();
        StdioChannel channel = start(ScriptedServer.spec("exit-after-first"), "crashy", FAST, receiver);

        channel.send(new JsonRpcRequest(RequestId.of(1), "once", null)).get();
        assertEquals(RequestId.of(1), receiver.nextResponse().id());
        ChannelException cause = receiver.nextClosed();
        assertEquals("plugin 'crashy' exited with code 3", cause.getMessage());

        CompletableFuture<Void> late = channel.send(new JsonRpcRequest(RequestId.of(2), "again", null));
        ExecutionException failure = assertThrows(ExecutionException.class, late::get);
        assertInstanceOf(ChannelException.class, failure.getCause());
        assertEquals("plugin 'crashy' exited with code 3", failure.getCause().getMessage());

        channel.close();
        channel.close();
        assertEquals(1, receiver.closedCount(), () -> "onClosed exactly once: " + receiver.events());
        assertEquals(2, receiver.events().size(), () -> receiver.events().toString());
    }

    @Test
    void anOversizedLineIsSkippedAndLaterLinesStillArrive() throws Exception {
        RecordingReceiver receiver = new RecordingReceiver();
        StdioOptions options = FAST.withMaxLineBytes(64 * 1024);
        StdioChannel channel = start(ScriptedServer.spec("huge"), "big", options, receiver);

        channel.send(new JsonRpcRequest(RequestId.of(1), "big", Json.object().put("size", 300_000))).get();
        String reason = receiver.nextInvalid();
        int lineBytes = "{\"jsonrpc\":\"2.0\",\"method\":\"huge\",\"params\":{\"pad\":\"\"}}".length() + 300_000;
        assertTrue(reason.startsWith("plugin 'big' wrote a line of " + lineBytes + " bytes to stdout, over the limit "
                + "of 65536 bytes (StdioOptions.maxLineBytes); it was skipped: {\"jsonrpc\":\"2.0\",\"method\":\"huge\""),
                reason);
        assertTrue(reason.length() < 600, "the report shows an excerpt, not the line");
        assertEquals(RequestId.of(1), receiver.nextResponse().id());

        channel.send(new JsonRpcRequest(RequestId.of(2), "small", Json.object().put("size", 1000))).get();
        JsonRpcMessage underLimit = assertInstanceOf(Message.class, receiver.next()).message();
        assertEquals(1000, ((JsonRpcNotification) underLimit).params().get("pad").textValue().length());
        assertEquals(RequestId.of(2), receiver.nextResponse().id());
    }

    @Test
    void aPluginGetsTheGivenVariablesOverAFewOfTheGatewaysAndTheWorkingDirectoryIsUsed(@TempDir Path dir)
            throws Exception {
        RecordingReceiver receiver = new RecordingReceiver();
        String value = "token with spaces=and=equals";
        TransportSpec.Stdio spec = ScriptedServer.spec(Map.of("MCP_STDIO_TEST", value, "HOME", dir.toString()), false,
                dir, "env");
        StdioChannel channel = start(spec, "env", FAST, receiver);

        channel.send(new JsonRpcRequest(RequestId.of(1), "env", Json.object().put("name", "MCP_STDIO_TEST"))).get();
        JsonNode result = receiver.nextResponse().result();
        assertEquals(value, result.get("value").textValue());
        // StdioEnvironmentTest checks the list exactly with an environment of its own; this test cannot set its own.
        Set<String> defaults = Set.of("PATH", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LANGUAGE", "TMPDIR");
        List<String> seen = keys(result);
        assertTrue(seen.containsAll(List.of("MCP_STDIO_TEST", "HOME")), seen::toString);
        assertEquals(System.getenv().containsKey("PATH"), seen.contains("PATH"), seen::toString);
        assertTrue(seen.stream().allMatch(key -> key.equals("MCP_STDIO_TEST") || key.equals("HOME")
                || defaults.contains(key) || key.startsWith("LC_")), () -> "more than the defaults: " + seen);
        assertEquals(dir.toRealPath(), Path.of(result.get("cwd").textValue()).toRealPath());
    }

    @Test
    void anInheritedEnvironmentKeepsTheGatewaysVariablesAndAddsTheGivenOnes() throws Exception {
        RecordingReceiver receiver = new RecordingReceiver();
        TransportSpec.Stdio spec = ScriptedServer.spec(Map.of("MCP_STDIO_TEST", "added"), true, null, "env");
        StdioChannel channel = start(spec, "env", FAST, receiver);

        channel.send(new JsonRpcRequest(RequestId.of(1), "env", Json.object().put("name", "MCP_STDIO_TEST"))).get();
        JsonNode result = receiver.nextResponse().result();
        assertEquals("added", result.get("value").textValue());
        Set<String> expected = new HashSet<>(System.getenv().keySet());
        expected.add("MCP_STDIO_TEST");
        assertTrue(new HashSet<>(keys(result)).containsAll(expected), () -> "missing some of " + expected);
        assertEquals(Path.of("").toRealPath(), Path.of(result.get("cwd").textValue()).toRealPath());
    }

    @Test
    void closeKillsAProcessThatIgnoresStdinEofAndSigtermTogetherWithItsChild() throws Exception {
        RecordingReceiver receiver = new RecordingReceiver();
        StdioChannel channel = start(ScriptedServer.spec("stubborn", "spawn-child"), "stubborn", FAST, receiver);
        channel.send(new JsonRpcRequest(RequestId.of(1), "hello", null)).get();
        long childPid = receiver.nextResponse().result().get("childPid").longValue();
        long pid = channel.pid().orElseThrow();
        assertTrue(running(childPid), "the child runs before close");

        long started = System.nanoTime();
        channel.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        Duration bothGraces = FAST.shutdownGrace().plus(FAST.killGrace());
        assertTrue(took.compareTo(bothGraces) >= 0, () -> "SIGKILL comes only after both graces, took " + took);
        assertTrue(took.compareTo(bothGraces.plusSeconds(3)) < 0, () -> "close() must be bounded, took " + took);
        Await.until("the plugin process is gone", GONE_WITHIN, () -> !running(pid));
        Await.until("the plugin's child is gone", GONE_WITHIN, () -> !running(childPid));
        assertNull(receiver.nextClosed());
        assertEquals(1, receiver.closedCount());
    }

    @Test
    void closeStopsChildrenLeftBehindByAServerThatExitsOnStdinEof() throws Exception {
        RecordingReceiver receiver = new RecordingReceiver();
        StdioOptions patient = FAST.withShutdownGrace(Duration.ofSeconds(8));
        StdioChannel channel = start(ScriptedServer.spec("spawn-child"), "parent", patient, receiver);
        channel.send(new JsonRpcRequest(RequestId.of(1), "hello", null)).get();
        long childPid = receiver.nextResponse().result().get("childPid").longValue();
        long pid = channel.pid().orElseThrow();

        long started = System.nanoTime();
        channel.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // The server exits by itself once stdin closes: no waiting out the shutdown grace.
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, () -> "close() took " + took);
        Await.until("the plugin process is gone", GONE_WITHIN, () -> !running(pid));
        Await.until("the orphaned child is gone", GONE_WITHIN, () -> !running(childPid));
        assertNull(receiver.nextClosed(), "the child held stdout open; killing it ends the channel");
        assertEquals(1, receiver.closedCount());
    }

    @Test
    void aServerThatNeverAnswersAcceptsSendsAndExitsOnStdinEof() throws Exception {
        RecordingReceiver receiver = new RecordingReceiver();
        StdioChannel channel = start(ScriptedServer.spec("ignore"), "silent",
                FAST.withShutdownGrace(Duration.ofSeconds(8)), receiver);
        for (int id = 1; id <= 3; id++) {
            assertNull(channel.send(new JsonRpcRequest(RequestId.of(id), "ping", null)).get(5, TimeUnit.SECONDS));
        }
        long pid = channel.pid().orElseThrow();

        long started = System.nanoTime();
        channel.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, () -> "close() took " + took);
        Await.until("the plugin process is gone", GONE_WITHIN, () -> !running(pid));
        assertNull(receiver.nextClosed());
        assertEquals(1, receiver.events().size(), () -> receiver.events().toString());

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> channel.send(new JsonRpcRequest(RequestId.of(4), "ping", null)).get());
        assertEquals("the channel to plugin 'silent' is closed", failure.getCause().getMessage());
    }

    @Test
    void aReceiverThatThrowsDoesNotStopTheChannel() throws Exception {
        RecordingReceiver recorder = new RecordingReceiver();
        MessageChannel.Receiver throwing = new MessageChannel.Receiver() {
            @Override
            public void onMessage(JsonRpcMessage message) {
                recorder.onMessage(message);
                throw new IllegalStateException("receiver bug (expected by the test)");
            }

            @Override
            public void onInvalid(String reason) {
                recorder.onInvalid(reason);
            }

            @Override
            public void onClosed(ChannelException cause) {
                recorder.onClosed(cause);
            }
        };
        StdioChannel channel = new StdioChannel(ScriptedServer.spec(), "echo", FAST);
        channels.add(channel);
        channel.start(throwing);

        // A receiver that throws has a bug: each failure is logged with its stack trace.
        String log = Stderr.until(logged -> logged.split("receiver bug", -1).length > 2, () -> {
            channel.send(new JsonRpcRequest(RequestId.of(1), "a", null)).get();
            channel.send(new JsonRpcRequest(RequestId.of(2), "b", null)).get();
            assertEquals(RequestId.of(1), recorder.nextResponse().id());
            assertEquals(RequestId.of(2), recorder.nextResponse().id());
        });
        assertTrue(log.contains("the receiver failed on a message"), log);
        assertTrue(log.contains("\tat dev.mcpgateway.transport.stdio.StdioChannelTest"), log);
    }

    @Test
    void aCommandThatCannotBeFoundFailsToStartWithTheCommandInTheMessage() {
        String command = "/nonexistent/mcp-stdio-test-plugin";
        StdioChannel channel = new StdioChannel(TransportSpec.Stdio.of(command, "--flag"), "ghost", FAST);
        channels.add(channel);

        ChannelException e = assertThrows(ChannelException.class, () -> channel.start(new RecordingReceiver()));
        assertTrue(e.getMessage().startsWith("cannot start plugin 'ghost': " + command + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
        assertEquals("stdio 'ghost' (not started)", channel.describe());
        assertTrue(channel.pid().isEmpty());
    }

    @Test
    void aMissingWorkingDirectoryFailsToStart(@TempDir Path dir) {
        Path missing = dir.resolve("missing");
        StdioChannel channel = new StdioChannel(ScriptedServer.spec(Map.of(), true, missing), "lost", FAST);
        channels.add(channel);

        ChannelException e = assertThrows(ChannelException.class, () -> channel.start(new RecordingReceiver()));
        assertEquals("cannot start plugin 'lost': its working directory " + missing
                + " does not exist or is not a directory; create it or fix workingDirectory", e.getMessage());
    }

    @Test
    void anInvalidEnvironmentVariableFailsToStartWithoutShowingItsValue() {
        TransportSpec.Stdio spec = ScriptedServer.spec(Map.of("BAD=NAME", "s3cr3t-token"), true, null);
        StdioChannel channel = new StdioChannel(spec, "leaky", FAST);
        channels.add(channel);

        ChannelException e = assertThrows(ChannelException.class, () -> channel.start(new RecordingReceiver()));
        assertTrue(e.getMessage().contains("environment variable 'BAD=NAME'"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t-token"), e.getMessage());
        assertNull(e.getCause(), "the JDK's own message quotes the value");
    }

    @Test
    void sendBeforeStartFailsAndCloseBeforeStartEndsTheChannel() throws Exception {
        StdioChannel channel = new StdioChannel(ScriptedServer.spec(), "idle");

        ExecutionException early = assertThrows(ExecutionException.class,
                () -> channel.send(new JsonRpcNotification("x", null)).get());
        assertEquals("the channel to plugin 'idle' is not started; call start() first", early.getCause().getMessage());

        channel.close();
        channel.close();
        IllegalStateException restart =
                assertThrows(IllegalStateException.class, () -> channel.start(new RecordingReceiver()));
        assertTrue(restart.getMessage().contains("create a new StdioChannel"), restart.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StdioChannel(ScriptedServer.spec(), " "));
    }

    private StdioChannel start(TransportSpec.Stdio spec, String name, StdioOptions options, RecordingReceiver receiver) {
        StdioChannel channel = new StdioChannel(spec, name, options);
        channels.add(channel);
        channel.start(receiver);
        return channel;
    }

    private static List<String> keys(JsonNode result) {
        List<String> keys = new ArrayList<>();
        result.get("envKeys").forEach(key -> keys.add(key.textValue()));
        return keys;
    }

    /** Zombies count as gone: an orphan waits for PID 1 to reap it, which a container may never do. */
    private static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::isRunning).orElse(false);
    }
}
