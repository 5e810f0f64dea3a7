package dev.mcpgateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.health.OutlierDetection;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.RecordingListener;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Passive health end to end: scripted plugins behind real MCP sessions, one of which hangs, and what callers see when
 * it is ejected, found down by another source, or drained.
 */
class OutlierDetectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final FakeClock clock = new FakeClock();
    private final RecordingListener events = new RecordingListener();
    private final Map<String, ScriptedServer> servers = new ConcurrentHashMap<>();
    /** Instances that answer no tools/call, and the calls each holds. */
    private final Set<String> hung = ConcurrentHashMap.newKeySet();
    private final Map<String, List<JsonRpcRequest>> held = new ConcurrentHashMap<>();
    private McpGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private List<String> start(OutlierDetection options, int instances) {
        gateway = McpGateway.builder().clock(clock).listener(events)
                .config(GatewayConfig.builder().outlierDetection(options).build())
                .transport(new ScriptedTransport(instance -> server(instance.id()))).build();
        PluginManifest manifest = PluginManifest.builder("scripted").version("1.0.0")
                .transport(TransportSpec.Stdio.of("scripted-server")).build();
        return gateway.addPlugin(manifest, instances).join().stream().map(PluginInstance::id).toList();
    }

    /**
     * A plugin with a read-only {@code lookup}, a {@code write} that is not safe to retry, {@code fails} that answers
     * with a JSON-RPC error and {@code broken} whose result is {@code isError}; each answer names the instance.
     */
    private ScriptedServer server(String instanceId) {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        server.handle("tools/list", (s, request) -> {
            ObjectNode result = Json.object();
            var tools = result.putArray("tools");
            ObjectNode lookup = ScriptedServer.tool("lookup");
            lookup.putObject("annotations").put("readOnlyHint", true);
            tools.add(lookup);
            tools.add(ScriptedServer.tool("write"));
            tools.add(ScriptedServer.tool("fails"));
            tools.add(ScriptedServer.tool("broken"));
            return JsonRpcResponse.success(request.id(), result);
        });
        server.handle("tools/call", (s, request) -> {
            if (hung.contains(instanceId)) {
                held.computeIfAbsent(instanceId, id -> new CopyOnWriteArrayList<>()).add(request);
                return null;
            }
            return switch (request.params().path("name").asText()) {
                case "fails" -> JsonRpcResponse.failure(request.id(), ErrorCodes.INVALID_PARAMS, "no such record");
                case "broken" -> JsonRpcResponse.success(request.id(), CallToolResult.error("disk full").json());
                default -> JsonRpcResponse.success(request.id(), CallToolResult.text(instanceId).json());
            };
        });
        servers.put(instanceId, server);
        return server;
    }

    private List<JsonRpcRequest> held(String instanceId) {
        return held.getOrDefault(instanceId, List.of());
    }

    private CompletableFuture<CallToolResult> call(String tool) {
        return gateway.callTool(ToolCall.of("scripted__" + tool, Json.object()));
    }

    private static JsonRpcException failure(CompletableFuture<?> call) {
        CompletionException error = assertThrows(CompletionException.class,
                () -> call.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join());
        return assertInstanceOf(JsonRpcException.class, error.getCause());
    }

    private Health health(String instanceId) {
        return gateway.registry().instance(instanceId).orElseThrow().health();
    }

    /** The reason of the instance's last health change, as listeners heard it. */
    private String lastReason(String instanceId) {
        List<GatewayEvent.HealthChanged> changes = events.events(GatewayEvent.HealthChanged.class).stream()
                .filter(change -> change.instance().id().equals(instanceId)).toList();
        return changes.isEmpty() ? null : changes.get(changes.size() - 1).reason();
    }

    /** Read-only calls until those on the hung instance are the only ones left, held there. */
    private List<CompletableFuture<CallToolResult>> lookupsHeldOn(String instanceId) {
        List<CompletableFuture<CallToolResult>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(call("lookup"));
        }
        Await.until("the calls on " + instanceId + " are held there and the others answered", WAIT,
                () -> !held(instanceId).isEmpty()
                        && calls.stream().filter(c -> !c.isDone()).count() == held(instanceId).size());
        return calls;
    }

    /** Sends calls with a short timeout until the hung instance is ejected for them. */
    private void timeOutCallsUntilEjected(String instanceId) {
        for (int i = 0; i < 30 && health(instanceId) != Health.UNHEALTHY; i++) {
            gateway.callTool(ToolCall.of("scripted__lookup", Json.object()).withTimeout(Duration.ofMillis(50)))
                    .handle((result, error) -> null).join();
        }
        Await.until(instanceId + " is out of rotation", WAIT, () -> health(instanceId) == Health.UNHEALTHY
                && lastReason(instanceId).startsWith("ejected"));
    }

    private void assertServedElsewhere(List<CompletableFuture<CallToolResult>> calls, String hungInstance) {
        for (CompletableFuture<CallToolResult> call : calls) {
            String servedBy = call.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().firstText();
            assertNotEquals(hungInstance, servedBy, "a read-only call held on the hung instance was retried elsewhere");
        }
    }

    @Test
    void callsInFlightOnAnEjectedInstanceFailFastAndReadOnlyOnesAreRetriedElsewhere() {
        List<String> ids = start(OutlierDetection.builder().consecutiveFailures(2).build(), 3);
        String stuck = ids.get(0);
        hung.add(stuck);
        List<CompletableFuture<CallToolResult>> lookups = lookupsHeldOn(stuck);
        List<JsonRpcRequest> heldLookups = List.copyOf(held(stuck));
        CompletableFuture<CallToolResult> write = gateway.callTool(ToolCall.of("scripted__write", Json.object())
                .onInstance(stuck));
        Await.until("the write is held too", WAIT, () -> held(stuck).size() == heldLookups.size() + 1);

        timeOutCallsUntilEjected(stuck);

        String reason = "ejected for 30 s: 2 consecutive failures (timeouts)";
        assertEquals(reason, lastReason(stuck));
        assertServedElsewhere(lookups, stuck);
        JsonRpcException failed = failure(write);
        assertEquals(ErrorCodes.UPSTREAM_UNAVAILABLE, failed.code(), "a write is not retried: it may have run");
        assertEquals("Plugin instance '" + stuck + "' left rotation as unhealthy while the call was in flight (" + reason
                + "); the call was cancelled there", failed.getMessage());
        Await.until("the held calls were cancelled upstream", WAIT, () -> servers.get(stuck)
                .notifications("notifications/cancelled").stream().map(n -> n.params().path("requestId").asText())
                .toList().containsAll(heldLookups.stream().map(r -> r.id().toString()).toList()));

        hung.remove(stuck);
        clock.advance(Duration.ofSeconds(30));
        Await.until("its ejection ends and it is back on trial", WAIT, () -> health(stuck) != Health.UNHEALTHY);
        Await.until("calls reach it again", WAIT, () -> stuck.equals(call("lookup").join().firstText()));
    }

    @Test
    void callsInFlightFailFastWhenAnyHealthSourceFindsTheInstanceDown() {
        List<String> ids = start(OutlierDetection.disabled(), 3);
        String stuck = ids.get(1);
        hung.add(stuck);
        List<CompletableFuture<CallToolResult>> lookups = lookupsHeldOn(stuck);
        CompletableFuture<CallToolResult> write = gateway.callTool(ToolCall.of("scripted__write", Json.object())
                .onInstance(stuck));

        gateway.registry().reportHealth(stuck, Health.UNHEALTHY, "3 probes timed out").join();

        assertServedElsewhere(lookups, stuck);
        JsonRpcException failed = failure(write);
        assertEquals(ErrorCodes.UPSTREAM_UNAVAILABLE, failed.code());
        assertTrue(failed.getMessage().contains("'" + stuck + "'") && failed.getMessage().contains("3 probes timed out"),
                failed.getMessage());
    }

    @Test
    void drainingAnInstanceLetsItsCallsFinish() {
        List<String> ids = start(OutlierDetection.defaults(), 3);
        String draining = ids.get(2);
        hung.add(draining);
        List<CompletableFuture<CallToolResult>> lookups = lookupsHeldOn(draining);

        gateway.registry().setStatus(draining, InstanceStatus.OUT_OF_SERVICE).join();
        ScriptedServer server = servers.get(draining);
        for (JsonRpcRequest request : held(draining)) {
            server.emit(JsonRpcResponse.success(request.id(), CallToolResult.text(draining).json()));
        }

        long servedByDraining = lookups.stream()
                .filter(c -> draining.equals(c.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().firstText())).count();
        assertEquals(held(draining).size(), servedByDraining, "the calls in flight finished where they were");
        assertEquals(List.of(), server.notifications("notifications/cancelled"));
    }

    @Test
    void onlyTimeoutsAndBrokenConnectionsCountNotThePluginsAnswersOrCancellations() {
        String only = start(OutlierDetection.builder().consecutiveFailures(3).build(), 1).get(0);
        for (int i = 0; i < 5; i++) {
            assertEquals(ErrorCodes.INVALID_PARAMS, failure(call("fails")).code());
            assertTrue(call("broken").join().isError());
        }
        hung.add(only);
        for (int i = 0; i < 5; i++) {
            CompletableFuture<CallToolResult> cancelled = call("lookup");
            int before = i;
            Await.until("the call is held", WAIT, () -> held(only).size() == before + 1);
            cancelled.cancel(true);
        }
        hung.remove(only);
        assertEquals(only, call("lookup").join().firstText(), "still in rotation");
        assertEquals(Health.HEALTHY, health(only));

        hung.add(only);
        timeOutCallsUntilEjected(only);
        assertEquals("ejected for 30 s: 3 consecutive failures (timeouts)", lastReason(only));
        assertEquals(ErrorCodes.NO_HEALTHY_INSTANCE, failure(call("lookup")).code(), "the caller is answered at once");
    }

    @Test
    void optionsAreValidatedWithMessagesThatSayWhatToFix() {
        assertEquals("outlierDetection.consecutiveFailures must be at least 1, got 0", assertThrows(
                IllegalArgumentException.class, () -> OutlierDetection.builder().consecutiveFailures(0).build())
                .getMessage());
        assertEquals("outlierDetection.failureRateThreshold must be above 0 and at most 1 (0.5: half of the calls"
                + " failed), got 1.5", assertThrows(IllegalArgumentException.class, () -> OutlierDetection.builder()
                .failureRate(1.5, 10, Duration.ofSeconds(10)).build()).getMessage());
        assertEquals("outlierDetection.minimumCalls must be at least 1, got 0", assertThrows(
                IllegalArgumentException.class, () -> OutlierDetection.builder()
                        .failureRate(0.5, 0, Duration.ofSeconds(10)).build()).getMessage());
        assertEquals("outlierDetection.window must be at least 10 ms, got PT0.001S", assertThrows(
                IllegalArgumentException.class, () -> OutlierDetection.builder()
                        .failureRate(0.5, 10, Duration.ofMillis(1)).build()).getMessage());
        assertEquals("outlierDetection.latencyFactor must be a number above 1 (5: five times slower than its peers),"
                + " got 1.0", assertThrows(IllegalArgumentException.class,
                () -> OutlierDetection.builder().latencyFactor(1).build()).getMessage());
        assertEquals("outlierDetection.maxEjection (PT30S) must be at least baseEjection (PT1M); raise maxEjection or"
                + " lower baseEjection", assertThrows(IllegalArgumentException.class, () -> OutlierDetection.builder()
                .ejection(Duration.ofMinutes(1), Duration.ofSeconds(30)).build()).getMessage());
        assertEquals("outlierDetection.maxEjectedShare must be between 0 and 1 (0.5: half of a tool's instances), got"
                + " NaN", assertThrows(IllegalArgumentException.class,
                () -> OutlierDetection.builder().maxEjectedShare(Double.NaN).build()).getMessage());
        assertEquals("outlierDetection.trialCalls must be at least 1, got 0", assertThrows(
                IllegalArgumentException.class, () -> OutlierDetection.builder().trialCalls(0).build()).getMessage());
        assertThrows(NullPointerException.class,
                () -> OutlierDetection.builder().ejection(null, Duration.ofMinutes(5)).build());

        OutlierDetection defaults = GatewayConfig.defaults().outlierDetection();
        assertEquals(OutlierDetection.defaults(), defaults);
        assertEquals(new OutlierDetection(true, 5, 0.5, 10, Duration.ofSeconds(10), 5, Duration.ofSeconds(30),
                Duration.ofMinutes(5), 0.5, 3, true), defaults);
    }
}
