package dev.mcpgateway.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.CallLimits;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.health.OutlierDetection;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.Load;
import dev.mcpgateway.testing.Signals;
import dev.mcpgateway.transport.SessionOptions;
import dev.mcpgateway.transport.stdio.testserver.MiniMcpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bad day in production, with real plugin processes under continuous load: one of three instances killed with
 * SIGKILL, one frozen with SIGSTOP (it accepts input and never answers), and more calls than the gateway lets be in
 * flight. Each test prints what it measured (detection time, client-visible errors, heap) for the record.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResilienceUnderLoadTest {
    private static final String PLUGIN = "mini";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * Long enough that the worst-case detection (1.1 × interval + 2 × timeout + recheck = 2.9 s) leaves a second of
     * slack under two intervals for a machine busy with other tests; short enough to keep the test quick.
     */
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
    private static final int CALLERS = 6;

    private final PluginProcesses processes = new PluginProcesses();
    /** When each instance was first reported unhealthy, by System.nanoTime. */
    private final Map<String, Long> downAtNanos = new ConcurrentHashMap<>();
    private McpGateway gateway;

    @AfterEach
    void closeGateway() {
        if (gateway != null) {
            processes.closeAndCheckNoneLeft(gateway);
        }
    }

    @Test
    void aKilledInstanceLeavesRotationAtOnceWithNoErrorForAReadOnlyToolAndComesBackAfterItsRestart() throws Exception {
        start(CallLimits.defaults());
        Map<Long, String> instanceOfPid = pidsOfInstances();
        try (Load load = load()) {
            load.awaitCalls(200);
            long victimPid = instanceOfPid.keySet().iterator().next();
            String victim = instanceOfPid.get(victimPid);
            long killedAt = System.nanoTime();
            ProcessHandle.of(victimPid).orElseThrow().destroyForcibly();

            Await.until(victim + " is out of rotation", WAIT, () -> downAtNanos.containsKey(victim));
            long detectionMillis = TimeUnit.NANOSECONDS.toMillis(downAtNanos.get(victim) - killedAt);
            Await.until(victim + " is restarted and routable again", WAIT, () -> isRoutable(victim));
            long callsBefore = load.calls.get();
            Await.until("calls reach the restarted " + victim, WAIT, () -> load.servedBy(victim) > 0);
            load.awaitCalls(callsBefore + 200);
            load.stop();

            System.out.printf("[resilience] kill -9 of 1 of 3 instances under %d callers: out of rotation after %d ms "
                    + "(probe interval %d ms), %d client-visible errors in %d read-only calls, max latency %d ms%n",
                    CALLERS, detectionMillis, PROBE_INTERVAL.toMillis(), load.errors.size(), load.calls.get(),
                    load.maxLatencyMillis());
            assertTrue(detectionMillis < 2 * PROBE_INTERVAL.toMillis(),
                    "out of rotation within two probe intervals: " + detectionMillis + " ms");
            assertEquals(List.of(), load.errors, "no client-visible error for a read-only tool");
        }
    }

    @Test
    void aFrozenInstanceIsDetectedByProbesAndItsHeldCallsAreServedElsewhere() throws Exception {
        start(CallLimits.defaults());
        Map<Long, String> instanceOfPid = pidsOfInstances();
        long victimPid = instanceOfPid.keySet().iterator().next();
        String victim = instanceOfPid.get(victimPid);
        try (Load load = load()) {
            load.awaitCalls(200);
            long frozenAt = System.nanoTime();
            Signals.send("STOP", victimPid);
            try {
                Await.until(victim + " is out of rotation", WAIT, () -> downAtNanos.containsKey(victim));
                long detectionMillis = TimeUnit.NANOSECONDS.toMillis(downAtNanos.get(victim) - frozenAt);
                long callsAtDetection = load.calls.get();
                load.awaitCalls(callsAtDetection + 300);
                System.out.printf("[resilience] SIGSTOP of 1 of 3 instances under %d callers: out of rotation after"
                        + " %d ms (probe interval %d ms), %d client-visible errors in %d read-only calls, max latency"
                        + " %d ms (call timeout %d s)%n", CALLERS, detectionMillis, PROBE_INTERVAL.toMillis(),
                        load.errors.size(), load.calls.get(), load.maxLatencyMillis(),
                        gateway.config().callTimeout().toSeconds());
                assertTrue(detectionMillis < 2 * PROBE_INTERVAL.toMillis(),
                        "out of rotation within two probe intervals: " + detectionMillis + " ms");
                assertEquals(List.of(), load.errors, "the calls held on the frozen instance were served elsewhere");
                assertTrue(load.maxLatencyMillis() < 2 * PROBE_INTERVAL.toMillis() + 1_000,
                        "no caller waited for the call timeout: " + load.maxLatencyMillis() + " ms");
            } finally {
                Signals.send("CONT", victimPid);
            }
            Await.until(victim + " answers its probes again and is back in rotation", WAIT, () -> isRoutable(victim));
            Await.until("calls reach " + victim + " again", WAIT, () -> load.servedBy(victim) > 0);
            load.stop();
            assertEquals(List.of(), load.errors);
        }
    }

    @Test
    void anOverloadIsAnsweredWithinTheBoundedWaitAndTheHeapStaysBounded() throws Exception {
        int maxInFlight = 20;
        Duration maxWait = Duration.ofMillis(200);
        start(new CallLimits(maxInFlight, maxInFlight, maxWait, 0.2));
        int calls = 20_000;
        long heapBefore = usedHeapAfterGc();

        // Only the calls still running are kept, so the heap measured is what the gateway holds, not this test.
        AtomicLong overloaded = new AtomicLong();
        List<String> otherOutcomes = new CopyOnWriteArrayList<>();
        LongAccumulator lastAnsweredNanos = new LongAccumulator(Math::max, 0);
        List<CompletableFuture<CallToolResult>> running = new ArrayList<>();
        long startedAt = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            CompletableFuture<CallToolResult> call = gateway.callTool(ToolCall.of("mini__hang", Json.object())
                    .withTimeout(Duration.ofSeconds(30)));
            call.whenComplete((result, error) -> {
                if (error instanceof JsonRpcException rpc && rpc.code() == ErrorCodes.OVERLOADED) {
                    overloaded.incrementAndGet();
                    lastAnsweredNanos.accumulate(System.nanoTime() - startedAt);
                } else if (!(error instanceof CancellationException)) {
                    otherOutcomes.add(String.valueOf(error != null ? error : result));
                }
            });
            if (!call.isDone()) {
                running.add(call);
            }
        }
        long heapHeld = usedHeapAfterGc() - heapBefore;
        Await.until("every call beyond the limit is answered", WAIT, () -> overloaded.get() == calls - maxInFlight);
        long allAnsweredMillis = TimeUnit.NANOSECONDS.toMillis(lastAnsweredNanos.get());
        long stillRunning = running.stream().filter(call -> !call.isDone()).count();
        System.out.printf("[resilience] %d calls at once with maxInFlight %d, maxWait %d ms: %d answered OVERLOADED,"
                + " the last after %d ms, %d held in flight; heap held while the overload lasted: %d KiB%n", calls,
                maxInFlight, maxWait.toMillis(), overloaded.get(), allAnsweredMillis, stillRunning, heapHeld / 1024);

        assertEquals(List.of(), otherOutcomes, "every call beyond the limit got OVERLOADED");
        assertEquals(maxInFlight, stillRunning, "exactly the calls the limit admits stay in flight");
        assertTrue(allAnsweredMillis < maxWait.toMillis() + 5_000, "the excess was answered within the bounded wait: "
                + allAnsweredMillis + " ms");
        assertTrue(heapHeld < 32L * 1024 * 1024, "no unbounded queue: " + heapHeld / 1024 + " KiB held");
        running.forEach(call -> call.cancel(true));
    }

    private void start(CallLimits limits) throws Exception {
        gateway = McpGateway.builder()
                .config(GatewayConfig.builder()
                        .healthChecks(HealthCheckOptions.builder().interval(PROBE_INTERVAL)
                                .timeout(Duration.ofMillis(300)).recheckInterval(Duration.ofMillis(100)).build())
                        .sessionOptions(SessionOptions.defaults()
                                .withRestartBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
                        .callLimits(limits)
                        // A thawed instance works off the backlog it took while frozen, slower than its peers for a
                        // moment, and outlier detection may eject it for that (30 s by default, beyond the waits
                        // here): ejections short enough that the probes' verdict is what these tests wait for.
                        .outlierDetection(OutlierDetection.builder()
                                .ejection(Duration.ofSeconds(1), Duration.ofSeconds(2)).build())
                        .build())
                .transport(new StdioTransport(StdioOptions.defaults().withShutdownGrace(Duration.ofMillis(500))
                        .withKillGrace(Duration.ofMillis(500))))
                .listener(event -> {
                    if (event instanceof GatewayEvent.HealthChanged changed
                            && changed.instance().health() == Health.UNHEALTHY) {
                        downAtNanos.putIfAbsent(changed.instance().id(), System.nanoTime());
                    }
                })
                .build();
        PluginManifest manifest = PluginManifest.builder(PLUGIN).version("1.0.0").transport(MiniMcpServer.spec()).build();
        gateway.addPlugin(manifest, 3).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Calls echo on each instance: which process serves which instance. */
    private Map<Long, String> pidsOfInstances() throws Exception {
        Map<Long, String> instanceOfPid = new ConcurrentHashMap<>();
        for (PluginInstance instance : gateway.registry().instances()) {
            CallToolResult result = gateway.callTool(ToolCall.of("mini__echo", Json.object().put("text", "who"))
                    .onInstance(instance.id())).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            instanceOfPid.put(result.json().path("_meta").path("pid").asLong(), instance.id());
        }
        assertEquals(3, instanceOfPid.size(), "three processes answer: " + instanceOfPid);
        return instanceOfPid;
    }

    private boolean isRoutable(String instanceId) {
        return gateway.registry().instance(instanceId).map(PluginInstance::isRoutable).orElse(false);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** {@link #CALLERS} virtual threads calling the read-only {@code echo} back to back until stopped. */
    private Load load() {
        return new Load(gateway, CALLERS, "mini__echo", Json.object().put("text", "load"), WAIT);
    }
}
