package dev.mcpgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Plugins;
import dev.mcpgateway.testing.RecordingListener;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class McpGatewayTest {
    private final FakeClock clock = new FakeClock();
    private final RecordingListener events = new RecordingListener();
    private final McpGateway gateway = McpGateway.builder().clock(clock).listener(events).build();

    @AfterEach
    void close() {
        gateway.close();
    }

    private static InProcessPlugin calculator(String instanceTag) {
        return InProcessPlugin.builder("calc").version("1.0.0")
                .tool("add", "Adds a and b", (args, ctx) ->
                        CallToolResult.text(Long.toString(args.path("a").asLong() + args.path("b").asLong())))
                .tool("whoami", "Names the instance", (args, ctx) -> CallToolResult.text(instanceTag))
                .tool("fail", "Always fails", (args, ctx) -> {
                    throw new IllegalStateException("disk full");
                })
                .tool("reject", "Protocol error", (args, ctx) -> {
                    throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "b must be positive");
                })
                .build();
    }

    private static ObjectNode args(int a, int b) {
        return Json.object().put("a", a).put("b", b);
    }

    private static JsonRpcException failure(java.util.concurrent.CompletableFuture<?> future) {
        CompletionException error = assertThrows(CompletionException.class, future::join);
        return assertInstanceOf(JsonRpcException.class, error.getCause());
    }

    @Test
    void registersAnInProcessPluginAndCallsItsTools() {
        gateway.registerInProcess(calculator("one")).join();

        assertEquals(List.of("calc__add", "calc__fail", "calc__reject", "calc__whoami"),
                gateway.listTools().stream().map(ExposedTool::exposedName).toList());
        CallToolResult result = gateway.callTool("calc__add", args(2, 3)).join();
        assertEquals("5", result.firstText());
        assertFalse(result.isError());
    }

    @Test
    void toolFailuresAreResultsAndProtocolErrorsKeepTheirCode() {
        gateway.registerInProcess(calculator("one")).join();

        CallToolResult failed = gateway.callTool("calc__fail", null).join();
        assertTrue(failed.isError());
        assertEquals("disk full", failed.firstText());

        JsonRpcException rejected = failure(gateway.callTool("calc__reject", args(1, -1)));
        assertEquals(ErrorCodes.INVALID_PARAMS, rejected.code());
        assertEquals("b must be positive", rejected.getMessage());
    }

    @Test
    void unknownToolFailsWithInvalidParams() {
        JsonRpcException error = failure(gateway.callTool("calc__nope", null));
        assertEquals(ErrorCodes.INVALID_PARAMS, error.code());
        assertEquals("Unknown tool: calc__nope", error.getMessage());
    }

    @Test
    void spreadsCallsOverInstancesAndCountsInFlightCalls() {
        gateway.registerInProcess(calculator("one")).join();
        gateway.registerInProcess(calculator("two")).join();

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            counts.merge(gateway.callTool("calc__whoami", null).join().firstText(), 1, Integer::sum);
        }
        assertEquals(Map.of("one", 500, "two", 500), counts);
        gateway.routingTable().route(new ToolKey("calc", "whoami")).endpoints().forEach(endpoint -> {
            assertEquals(0, endpoint.stats().inFlight());
            assertEquals(500, endpoint.stats().successes());
        });
    }

    @Test
    void aSlowToolTimesOutAndIsCancelled() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        gateway.registerInProcess(InProcessPlugin.builder("slow").tool("wait", "Never finishes", (args, ctx) -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                if (ctx.isCancelled()) {
                    cancelled.countDown();
                }
                throw e;
            }
            return CallToolResult.text("unreachable");
        }).build()).join();

        JsonRpcException error = failure(gateway.callTool(ToolCall.of("slow__wait", null).withTimeout(Duration.ofMillis(50))));
        assertEquals(ErrorCodes.UPSTREAM_TIMEOUT, error.code());
        assertTrue(error.getMessage().contains("did not finish within PT0.05S"), error.getMessage());
        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the handler was not interrupted");
        var endpoint = gateway.routingTable().route(new ToolKey("slow", "wait")).endpoints().get(0);
        assertEquals(1, endpoint.stats().failures());
        assertEquals(0, endpoint.stats().inFlight());
    }

    @Test
    void cancellingACallCancelsItInThePlugin() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        gateway.registerInProcess(InProcessPlugin.builder("slow").tool("wait", "Waits to be cancelled", (args, ctx) -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                cancelled.countDown();
                throw e;
            }
            return CallToolResult.text("unreachable");
        }).build()).join();

        var call = gateway.callTool("slow__wait", null);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        call.cancel(true);

        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the handler was not interrupted");
        var endpoint = gateway.routingTable().route(new ToolKey("slow", "wait")).endpoints().get(0);
        Await.until("the call is no longer counted in flight", Duration.ofSeconds(10), () -> endpoint.stats().inFlight() == 0);
    }

    @Test
    void progressReachesTheCaller() {
        gateway.registerInProcess(InProcessPlugin.builder("work").tool("job", "Reports progress", (args, ctx) -> {
            ctx.progress(1, 2.0, "half");
            ctx.progress(2, 2.0, "done");
            return CallToolResult.text("ok");
        }).build()).join();
        List<JsonNode> progress = new CopyOnWriteArrayList<>();

        gateway.callTool(ToolCall.of("work__job", null).withProgress(progress::add)).join();

        assertEquals(2, progress.size());
        assertEquals("half", progress.get(0).get("message").asText());
        assertEquals(2.0, progress.get(1).get("progress").asDouble());
        assertEquals(2.0, progress.get(1).get("total").asDouble());
    }

    @Test
    void versionConstraintsOnACall() {
        gateway.registerInProcess(InProcessPlugin.builder("svc").version("1.0.0")
                .tool("v", "version", (a, c) -> CallToolResult.text("v1")).build()).join();
        gateway.registerInProcess(InProcessPlugin.builder("svc").version("2.0.0")
                .tool("v", "version", (a, c) -> CallToolResult.text("v2")).build()).join();

        assertEquals("v1", gateway.callTool(ToolCall.of("svc__v", null).withVersions("<2")).join().firstText());
        assertEquals("v2", gateway.callTool(ToolCall.of("svc__v", null).withVersions("^2")).join().firstText());
        assertEquals(ErrorCodes.NO_MATCHING_INSTANCE,
                failure(gateway.callTool(ToolCall.of("svc__v", null).withVersions(">=3"))).code());
    }

    @Test
    void unhealthyInstancesLeaveRotation() {
        PluginInstance one = gateway.registerInProcess(calculator("one")).join();
        gateway.registerInProcess(calculator("two")).join();

        gateway.registry().reportHealth(one.id(), Health.UNHEALTHY, "test").join();
        for (int i = 0; i < 20; i++) {
            assertEquals("two", gateway.callTool("calc__whoami", null).join().firstText());
        }
    }

    @Test
    void deregisteredAndExpiredInstancesAreGone() {
        PluginInstance instance = gateway.registerInProcess(calculator("one")).join();
        gateway.registry().deregister(instance.id()).join();
        assertEquals(ErrorCodes.INVALID_PARAMS, failure(gateway.callTool("calc__add", args(1, 2))).code());

        // stdio is not installed: the facade would refuse this plugin, the raw registry takes it.
        gateway.registry().register(Registration.of("leased", Plugins.manifest("files", "1.0.0", "read"))
                .withLease(Duration.ofSeconds(10))).join();
        clock.advance(Duration.ofSeconds(11));
        Await.until("the lease scheduler evicts the expired instance", Duration.ofSeconds(10),
                () -> events.events(GatewayEvent.LeaseExpired.class).size() == 1);
        assertTrue(gateway.registry().instance("leased").isEmpty());
        assertEquals("leased", events.events(GatewayEvent.LeaseExpired.class).get(0).instance().id());
    }

    @Test
    void refusesPluginsWhoseTransportIsNotInstalled() {
        CompletionException error = assertThrows(CompletionException.class, () ->
                gateway.register(Registration.of(Plugins.manifest("files", "1.0.0", "read"))).join());
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, error.getCause());
        assertTrue(cause.getMessage().contains("uses transport 'stdio', which is not installed; installed: [in-process]"),
                cause.getMessage());
    }

    @Test
    void anInstanceThatCannotBeReachedIsMarkedUnhealthy() {
        // Registered straight into the registry, bypassing the facade's transport check.
        gateway.registry().register(Registration.of("orphan", Plugins.manifest("files", "1.0.0", "read"))).join();
        Await.until("the unreachable instance leaves rotation", Duration.ofSeconds(10),
                () -> !gateway.routingTable().route(new ToolKey("files", "read")).isRoutable());
        assertEquals(Health.UNHEALTHY, gateway.registry().instance("orphan").orElseThrow().health());
        assertEquals(ErrorCodes.NO_HEALTHY_INSTANCE, failure(gateway.callTool("files__read", null)).code());
    }

    @Test
    void closeStopsEveryThreadAndRefusesCalls() {
        McpGateway other = McpGateway.builder().config(GatewayConfig.builder()
                .leaseCheckInterval(Duration.ofMillis(20)).build()).build();
        other.registerInProcess(calculator("x")).join();
        other.callTool("calc__add", args(1, 1)).join();
        other.close();
        gateway.close();

        Await.until("no gateway thread is left", Duration.ofSeconds(10), () -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(t -> t.isAlive() && t.getName().startsWith("mcp-gateway")));
        assertEquals(ErrorCodes.GATEWAY_CLOSED, failure(other.callTool("calc__add", args(1, 1))).code());
    }

    @Test
    void configRejectsBadValuesWithHelpfulMessages() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.builder().callTimeout(Duration.ZERO).build());
        assertEquals("callTimeout must be at least 1 ms, got PT0S", error.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.builder().leaseCheckInterval(Duration.ofMillis(1)).build());
    }

    @Test
    void anInProcessPluginListsItsToolsInTheOrderOfItsManifest() {
        InProcessPlugin plugin = InProcessPlugin.builder("order")
                .tool("zeta", "z", (args, ctx) -> CallToolResult.text("z"))
                .tool("alpha", "a", (args, ctx) -> CallToolResult.text("a"))
                .tool("mid", "m", (args, ctx) -> CallToolResult.text("m"))
                .build();

        // Discovery lists plugin.tools(); in another order than the manifest it would count as a manifest change
        // and rebuild the routing table a second time for every registration.
        assertEquals(List.of("zeta", "alpha", "mid"), List.copyOf(plugin.tools().keySet()));
        assertEquals(List.copyOf(plugin.tools().values()), plugin.manifest("order-1").tools());
    }
}
