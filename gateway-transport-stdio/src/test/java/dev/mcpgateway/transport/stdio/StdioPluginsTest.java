package dev.mcpgateway.transport.stdio;

import static dev.mcpgateway.transport.stdio.PluginProcesses.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.event.GatewayEvent.HealthChanged;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.logging.RateLimitedLog;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.RecordingListener;
import dev.mcpgateway.trace.TraceContext;
import dev.mcpgateway.transport.SessionOptions;
import dev.mcpgateway.transport.stdio.testserver.MiniMcpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway with the real {@link StdioTransport} against real MCP server processes ({@link MiniMcpServer}):
 * discovery, pass-through of results, progress, garbage on stdout, timeouts that cancel upstream, crashes with
 * restarts while another instance keeps serving, {@code list_changed}, and no process left after {@code close()}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StdioPluginsTest {
    private static final String PLUGIN = "mini";
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Long enough that "meanwhile" (between a crash and the restart) is a window the test can act in. */
    private static final Duration RESTART_BACKOFF = Duration.ofSeconds(1);
    private static final Duration GRACE = Duration.ofMillis(500);

    private final PluginProcesses processes = new PluginProcesses();
    private final RecordingListener events = new RecordingListener();
    private final McpGateway gateway = McpGateway.builder()
            .config(GatewayConfig.builder()
                    .sessionOptions(SessionOptions.defaults().withRestartBackoff(RESTART_BACKOFF, RESTART_BACKOFF.multipliedBy(2)))
                    .build())
            .transport(new StdioTransport(StdioOptions.defaults().withShutdownGrace(GRACE).withKillGrace(GRACE)))
            .listener(events)
            .build();

    @AfterEach
    void closeGateway() {
        processes.closeAndCheckNoneLeft(gateway);
    }

    @Test
    void discoversToolsAndPassesResultsThroughUnchanged() throws Exception {
        PluginInstance instance = start(1).get(0);

        assertEquals(InstanceStatus.UP, instance.status());
        assertEquals(Set.of("mini__echo", "mini__fail", "mini__crash", "mini__hang", "mini__cancelled_ids",
                "mini__garbage", "mini__progress", "mini__add_tool", "mini__meta"), exposedNames());
        ExposedTool echo = gateway.routingTable().tools().stream()
                .filter(tool -> tool.exposedName().equals("mini__echo")).findFirst().orElseThrow();
        ObjectNode expectedDefinition = MiniMcpServer.echoDefinition().put("name", "mini__echo");
        assertEquals(expectedDefinition, echo.toJson(), "the definition reaches clients as the server sent it, renamed");

        CallToolResult echoed = call("mini__echo", Json.object().put("text", "héllo\n\"world\" ✓"));
        ObjectNode expected = Json.object();
        expected.putArray("content").addObject().put("type", "text").put("text", "héllo\n\"world\" ✓");
        expected.putObject("structuredContent").put("echoed", "héllo\n\"world\" ✓").put("length", 15);
        // As an int: Jackson reads a number that fits one as an IntNode, and nodes of other number types differ.
        expected.putObject("_meta").put("pid", Math.toIntExact(pidOf(echoed)));
        expected.putObject("x-mini").putArray("nested").add(1).add("two");
        assertEquals(expected, echoed.json(), "content, structuredContent, _meta and unknown members are untouched");
        assertTrue(processes.started().stream().anyMatch(p -> p.pid() == pidOf(echoed)),
                "the answer came from a child process of this JVM");

        CallToolResult failed = call("mini__fail", Json.object());
        ObjectNode expectedFailure = Json.object();
        expectedFailure.putArray("content").addObject().put("type", "text").put("text", "fail: the tool failed on purpose");
        expectedFailure.put("isError", true);
        expectedFailure.putObject("structuredContent").put("reason", "on purpose");
        assertTrue(failed.isError());
        assertEquals(expectedFailure, failed.json(), "a tool failure is a result, passed through as sent");

        JsonRpcException unknown = failure(gateway.callTool("mini__nope", Json.object()), WAIT);
        assertEquals(ErrorCodes.INVALID_PARAMS, unknown.code());
        assertEquals(List.of(), unhealthy(), "nothing here made the instance unhealthy");
    }

    @Test
    void progressNotificationsReachTheCallersListenerBeforeTheResult() throws Exception {
        start(1);
        List<JsonNode> progress = new CopyOnWriteArrayList<>();

        CallToolResult result = gateway.callTool(ToolCall.of("mini__progress", Json.object()).withProgress(progress::add))
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertEquals("progressed", result.firstText(), () -> "the server saw a progress token: " + result.json());
        assertFalse(result.isError());
        assertEquals(List.of(1, 2, 3), progress.stream().map(p -> p.path("progress").asInt()).toList());
        assertEquals(List.of("step 1 of 3", "step 2 of 3", "step 3 of 3"),
                progress.stream().map(p -> p.path("message").asText()).toList());
        assertTrue(progress.stream().allMatch(p -> p.path("total").asInt() == 3));
        JsonNode token = progress.get(0).get("progressToken");
        assertNotNull(token);
        assertTrue(progress.stream().allMatch(p -> token.equals(p.get("progressToken"))), () -> "one token: " + progress);

        List<JsonNode> none = new CopyOnWriteArrayList<>();
        gateway.callTool(ToolCall.of("mini__echo", Json.object().put("text", "x")).withProgress(none::add))
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(List.of(), none, "another call's listener hears nothing");
    }

    @Test
    void aNonJsonLineOnStdoutIsSkippedAndTheSessionGoesOn() throws Exception {
        PluginInstance instance = start(1).get(0);

        assertEquals("after garbage", call("mini__garbage", Json.object()).firstText());
        assertEquals("still here", call("mini__echo", Json.object().put("text", "still here")).firstText());
        assertTrue(gateway.registry().instance(instance.id()).orElseThrow().isRoutable());
        assertEquals(List.of(), unhealthy());
        assertEquals(1, processes.started().size(), "the same process answered throughout, none was restarted");
    }

    @Test
    void aPluginFloodingStdoutAndStderrIsLoggedABoundedNumberOfLinesThatCountTheRest() throws Exception {
        start(1);
        int lines = 5_000;
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // slf4j-simple writes each line to whatever System.err is at the time.
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals("after garbage", call("mini__garbage", Json.object().put("lines", lines)).firstText());
            assertEquals("still here", call("mini__echo", Json.object().put("text", "still here")).firstText());
            // Closing ends both reader threads, which say what they held back.
            processes.closeAndCheckNoneLeft(gateway);
        } finally {
            System.setErr(stderr);
        }
        List<String> log = captured.toString(StandardCharsets.UTF_8).lines().toList();

        List<String> warnings = log.stream().filter(line -> line.contains("wrote a non-JSON-RPC line to stdout")).toList();
        List<String> stderrLines = log.stream().filter(line -> line.endsWith(" - a line on stderr")).toList();
        // One interval's worth, or two if this machine took over 10 s for the flood.
        assertTrue(warnings.size() <= 2 * RateLimitedLog.WARNING_BURST, warnings.size() + " warnings");
        assertTrue(stderrLines.size() <= 2 * RateLimitedLog.OUTPUT_BURST, stderrLines.size() + " stderr lines");
        assertEquals(lines, warnings.size() + heldBack(log, "ClientSession - "), "every garbage line logged or counted");
        assertEquals(lines, stderrLines.size() + heldBack(log, "mcp.plugin." + PLUGIN + " - stderr of plugin"),
                "every stderr line logged or counted");
    }

    /** The sum of the counts of lines held back that lines from the logger starting with {@code source} report. */
    private static long heldBack(List<String> log, String source) {
        Pattern count = Pattern.compile(Pattern.quote(source) + ".*: ([0-9,]+) more like this in the last 10 s were not"
                + " logged$");
        return log.stream().map(count::matcher).filter(Matcher::find)
                .mapToLong(found -> Long.parseLong(found.group(1).replace(",", ""))).sum();
    }

    @Test
    void aCallerThatCancelsItsCallCancelsItInThePluginProcess() throws Exception {
        start(1);
        var hanging = gateway.callTool(ToolCall.of("mini__hang", Json.object()));

        Await.until("the plugin has the call", WAIT, () -> gateway.routingTable().route(
                new dev.mcpgateway.plugin.ToolKey(PLUGIN, "hang")).endpoints().get(0).stats().inFlight() == 1);
        hanging.cancel(true);

        Await.until("the plugin saw the cancellation", WAIT, () -> call("mini__cancelled_ids", Json.object())
                .structuredContent().path("cancelled").size() == 1);
        assertEquals(0, gateway.routingTable().route(new dev.mcpgateway.plugin.ToolKey(PLUGIN, "hang")).endpoints()
                .get(0).stats().inFlight(), "neither the cancelled call nor the finished ones are counted in flight");
    }

    @Test
    void aCallThatTimesOutFailsWithUpstreamTimeoutAndIsCancelledUpstream() throws Exception {
        start(1);
        Duration timeout = Duration.ofMillis(300);
        long startNanos = System.nanoTime();

        JsonRpcException timedOut = failure(gateway.callTool(ToolCall.of("mini__hang", Json.object()).withTimeout(timeout)),
                WAIT);

        long tookMillis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        assertEquals(ErrorCodes.UPSTREAM_TIMEOUT, timedOut.code(), timedOut::getMessage);
        assertTrue(timedOut.getMessage().contains("plugin '" + PLUGIN + "'"), timedOut.getMessage());
        assertTrue(tookMillis >= timeout.toMillis(), () -> "failed after " + tookMillis + " ms, before the timeout");
        // The cancellation went out before the timeout was reported, on the same stdin as this call.
        CallToolResult seen = call("mini__cancelled_ids", Json.object());
        JsonNode cancelled = seen.structuredContent().path("cancelled");
        assertEquals(1, cancelled.size(), () -> "one cancellation, for the hanging request: " + seen.json());
        assertEquals("hang", cancelled.get(0).path("tool").asText());
        assertTrue(cancelled.get(0).path("requestId").isIntegralNumber(), () -> seen.json().toString());
    }

    @Test
    void aCrashFailsTheCallInFlightAtOnceAndTheOtherInstanceServesUntilTheRestart() throws Exception {
        List<PluginInstance> instances = start(2);
        Set<Long> pids = new HashSet<>();
        for (int i = 0; i < 6 && pids.size() < 2; i++) {
            pids.add(pidOf(call("mini__echo", Json.object().put("text", "who"))));
        }
        assertEquals(2, pids.size(), "both instances answer: " + pids);

        long startNanos = System.nanoTime();
        JsonRpcException crashed = failure(gateway.callTool("mini__crash", Json.object()), WAIT);
        long tookMillis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();

        assertEquals(ErrorCodes.UPSTREAM_UNAVAILABLE, crashed.code(), crashed::getMessage);
        assertTrue(crashed.getMessage().contains("plugin '" + PLUGIN + "'")
                && crashed.getMessage().contains("exited with code " + MiniMcpServer.CRASH_EXIT_CODE), crashed.getMessage());
        assertTrue(tookMillis < 5_000, () -> "the call failed when the process died, not at its 60 s timeout: "
                + tookMillis + " ms");

        Await.until("the crashed instance is reported unhealthy", WAIT, () -> !unhealthy().isEmpty());
        HealthChanged down = unhealthy().get(0);
        String crashedId = down.instance().id();
        assertTrue(down.reason().contains("exited with code " + MiniMcpServer.CRASH_EXIT_CODE), down.reason());
        assertTrue(instances.stream().anyMatch(i -> i.id().equals(crashedId)));
        Set<Long> survivors = pids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .collect(Collectors.toSet());
        assertEquals(1, survivors.size(), () -> "one of " + pids + " exited");

        List<Long> meanwhile = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            meanwhile.add(pidOf(call("mini__echo", Json.object().put("text", "meanwhile"))));
        }
        assertFalse(gateway.registry().instance(crashedId).orElseThrow().isRoutable(),
                "still within the " + RESTART_BACKOFF + " restart backoff, so the calls above were made meanwhile");
        assertEquals(List.copyOf(survivors), meanwhile.stream().distinct().toList(),
                "every call meanwhile was served by the other instance");

        Await.until("the crashed instance is restarted and routable again", WAIT,
                () -> gateway.registry().instance(crashedId).orElseThrow().isRoutable());
        assertEquals(Health.HEALTHY, gateway.registry().instance(crashedId).orElseThrow().health());
        Set<Long> answering = new HashSet<>();
        Await.until("a call reaches the restarted process", WAIT, () -> {
            answering.add(pidOf(call("mini__echo", Json.object().put("text", "again"))));
            return answering.stream().anyMatch(pid -> !pids.contains(pid));
        });
        List<HealthChanged> changes = events.events(HealthChanged.class).stream()
                .filter(change -> change.instance().id().equals(crashedId)).toList();
        assertEquals(List.of(Health.HEALTHY, Health.UNHEALTHY, Health.HEALTHY),
                changes.stream().map(c -> c.instance().health()).toList(), "connected, crashed, connected again");
    }

    @Test
    void listChangedBringsTheNewToolIntoTheRoutingTable() throws Exception {
        start(1);
        assertFalse(exposedNames().contains("mini__extra"));

        assertEquals("added extra", call("mini__add_tool", Json.object()).firstText());

        Await.until("the tool announced by list_changed is listed", WAIT, () -> exposedNames().contains("mini__extra"));
        assertEquals("extra", call("mini__extra", Json.object()).firstText());
        assertTrue(exposedNames().contains("mini__echo"), "the tools listed before are still there");
    }

    @Test
    void closeStopsEveryPluginProcess() throws Exception {
        start(2);
        Set<Long> pids = new HashSet<>();
        for (int i = 0; i < 6 && pids.size() < 2; i++) {
            pids.add(pidOf(call("mini__echo", Json.object().put("text", "who"))));
        }
        List<ProcessHandle> plugins = processes.started();
        assertEquals(pids, PluginProcesses.pids(plugins), "the processes this gateway started are its two plugins");
        assertTrue(plugins.stream().allMatch(ProcessHandle::isAlive));

        gateway.close();

        Await.until("both plugin processes have exited", Duration.ofSeconds(5),
                () -> plugins.stream().noneMatch(ProcessHandle::isAlive));
        JsonRpcException closed = failure(gateway.callTool("mini__echo", Json.object()), WAIT);
        assertEquals(ErrorCodes.GATEWAY_CLOSED, closed.code());
    }

    private List<PluginInstance> start(int instances) throws Exception {
        PluginManifest manifest = PluginManifest.builder(PLUGIN).version("1.0.0").transport(MiniMcpServer.spec()).build();
        return gateway.addPlugin(manifest, instances).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void aStdioPluginGetsTheGatewaysSpanInMeta() throws Exception {
        start(1);
        TraceContext client = TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "congo=t61rcWkgMzE");

        JsonNode meta = gateway.callTool(ToolCall.of("mini__meta", Json.object()).withTrace(client))
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS).structuredContent();

        TraceContext seen = TraceContext.fromMeta(meta);
        assertNotNull(seen, () -> "the plugin got a valid traceparent in _meta: " + meta);
        assertEquals(client.traceId(), seen.traceId(), "the same trace");
        assertNotEquals(client.parentId(), seen.parentId(), "under the gateway's own span");
        assertEquals("congo=t61rcWkgMzE", seen.tracestate(), "tracestate passed on as it came");

        TraceContext fresh = TraceContext.fromMeta(call("mini__meta", Json.object()).structuredContent());
        assertNotNull(fresh, "a call that came with no trace starts one");
        assertNotEquals(client.traceId(), fresh.traceId());
    }

    private CallToolResult call(String tool, JsonNode arguments) {
        try {
            return gateway.callTool(tool, arguments).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("calling " + tool + " failed", e);
        }
    }

    private Set<String> exposedNames() {
        return gateway.listTools().stream().map(ExposedTool::exposedName).collect(Collectors.toSet());
    }

    private List<HealthChanged> unhealthy() {
        return events.events(HealthChanged.class).stream().filter(c -> c.instance().health() == Health.UNHEALTHY).toList();
    }

    private static long pidOf(CallToolResult result) {
        JsonNode pid = result.json().path("_meta").path("pid");
        assertTrue(pid.canConvertToLong(), () -> "echo names its pid: " + result.json());
        return pid.asLong();
    }
}
