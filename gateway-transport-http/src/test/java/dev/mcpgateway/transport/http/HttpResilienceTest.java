package dev.mcpgateway.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.Load;
import dev.mcpgateway.testing.NodePeer;
import dev.mcpgateway.testing.Signals;
import dev.mcpgateway.transport.SessionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP counterpart of the stdio {@code ResilienceUnderLoadTest}, against a peer nobody here wrote: instances of
 * the official TypeScript reference server {@code @modelcontextprotocol/server-everything} over Streamable HTTP
 * (sessions, legacy era), each its own node process, under continuous load on its read-only {@code echo} tool. One
 * is killed with SIGKILL and restarted on the same port (it has forgotten the gateway's session and answers
 * {@code 400 No valid session ID provided}); one is frozen with SIGSTOP (the kernel still accepts its connections
 * and requests, nothing answers). Each test prints what it measured with a {@code [resilience]} prefix.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpResilienceTest {
    private static final String PLUGIN = "everything";
    private static final String ECHO = PLUGIN + "__echo";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * Long enough that the worst-case detection (1.1 × interval + 2 × timeout + recheck = 3.3 s) leaves slack under
     * two intervals for a machine busy with other tests; short enough to keep the test quick.
     */
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
    /**
     * What a probe may take: a ping of a live instance answers in milliseconds, but on two cores shared with other
     * builds a shorter bound took the surviving instance out of rotation too.
     */
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    /** The gateway's call timeout, as in production: what a caller of a hung instance waited for every time. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final int CALLERS = 4;

    /** The node processes, by instance id; a restarted one replaces its entry. */
    private final Map<String, NodePeer> peers = new ConcurrentHashMap<>();
    private final List<NodePeer> started = new ArrayList<>();
    /** When each instance was last reported unhealthy, by System.nanoTime. */
    private final Map<String, Long> downAtNanos = new ConcurrentHashMap<>();
    private McpGateway gateway;

    @AfterEach
    void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
        started.forEach(NodePeer::close);
        for (NodePeer peer : started) {
            Await.until(peer + " has exited", Duration.ofSeconds(5), () -> !peer.isAlive());
        }
    }

    @Test
    void aKilledInstanceLeavesRotationWithNoErrorForAReadOnlyToolAndIsServedInANewSessionAfterItsRestartOnTheSamePort()
            throws Exception {
        start(2);
        String victim = instanceId(1);
        NodePeer killed = peers.get(victim);
        int port = killed.port();
        try (Load load = load()) {
            Await.until("both instances serve", WAIT, () -> load.servedBy(victim) > 0 && load.servedBy(instanceId(2)) > 0);
            long killedAt = System.nanoTime();
            ProcessHandle.of(killed.pid()).orElseThrow().destroyForcibly();

            Await.until(victim + " is out of rotation", WAIT, () -> downAtNanos.containsKey(victim));
            long detectionMillis = TimeUnit.NANOSECONDS.toMillis(downAtNanos.get(victim) - killedAt);
            Await.until(killed + " has exited", WAIT, () -> !killed.isAlive());
            load.awaitCalls(load.calls.get() + 200); // served by the other instance meanwhile

            long restartedAt = System.nanoTime();
            NodePeer restarted = startPeer(port);
            peers.put(victim, restarted);
            assertEquals(port, restarted.port(), "restarted on the same port");
            long servedBefore = load.servedBy(victim);
            Await.until("calls reach the restarted " + victim, WAIT, () -> load.servedBy(victim) > servedBefore);
            long servedAgainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
            long servedAfterRestart = load.servedBy(victim);
            load.awaitCalls(load.calls.get() + 200);
            load.stop();

            System.out.printf("[resilience] HTTP kill -9 of 1 of 2 server-everything instances under %d callers: out"
                    + " of rotation after %d ms (probe interval %d ms); restarted on port %d, served again after"
                    + " %d ms; %d client-visible errors in %d read-only calls, max latency %d ms%n", CALLERS,
                    detectionMillis, PROBE_INTERVAL.toMillis(), port, servedAgainMillis, load.errors.size(),
                    load.calls.get(), load.maxLatencyMillis());
            assertTrue(detectionMillis < 2 * PROBE_INTERVAL.toMillis(),
                    "out of rotation within two probe intervals: " + detectionMillis + " ms");
            assertEquals(List.of(), load.errors, "no client-visible error for a read-only tool");
            assertTrue(load.servedBy(victim) > servedAfterRestart, "the restarted instance keeps serving");
            assertEquals(Health.HEALTHY, instance(victim).health());
        }
    }

    @Test
    void aHungInstanceIsFoundByProbesItsHeldCallsAreServedElsewhereAndItReturnsWhenItAnswersAgain() throws Exception {
        start(3);
        String victim = instanceId(1);
        long victimPid = peers.get(victim).pid();
        try (Load load = load()) {
            Await.until("every instance serves", WAIT, () -> peers.keySet().stream().allMatch(id -> load.servedBy(id) > 0));
            long frozenAt = System.nanoTime();
            Signals.send("STOP", victimPid);
            try {
                Await.until(victim + " is out of rotation", WAIT, () -> downAtNanos.containsKey(victim));
                long detectionMillis = TimeUnit.NANOSECONDS.toMillis(downAtNanos.get(victim) - frozenAt);
                load.awaitCalls(load.calls.get() + 300);
                System.out.printf("[resilience] HTTP SIGSTOP of 1 of 3 server-everything instances under %d callers:"
                        + " out of rotation after %d ms (probe interval %d ms), %d client-visible errors in %d"
                        + " read-only calls, max latency %d ms (call timeout %d s)%n", CALLERS, detectionMillis,
                        PROBE_INTERVAL.toMillis(), load.errors.size(), load.calls.get(), load.maxLatencyMillis(),
                        CALL_TIMEOUT.toSeconds());
                assertTrue(detectionMillis < 2 * PROBE_INTERVAL.toMillis(),
                        "out of rotation within two probe intervals: " + detectionMillis + " ms");
                assertEquals(List.of(), load.errors, "the calls held on the hung instance were served elsewhere");
                assertTrue(load.maxLatencyMillis() < 2 * PROBE_INTERVAL.toMillis() + 1_000,
                        "no caller waited for the call timeout: " + load.maxLatencyMillis() + " ms");
            } finally {
                Signals.send("CONT", victimPid);
            }
            long thawedAt = System.nanoTime();
            long servedBefore = load.servedBy(victim);
            Await.until("calls reach " + victim + " again", WAIT, () -> load.servedBy(victim) > servedBefore);
            System.out.printf("[resilience] HTTP SIGCONT: %s served again after %d ms%n", victim,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - thawedAt));
            load.stop();
            assertEquals(List.of(), load.errors);
        }
    }

    @Test
    void withItsOnlyInstanceHungCallsFailFastWithAClearErrorOnceItIsFound() throws Exception {
        start(1);
        String victim = instanceId(1);
        long victimPid = peers.get(victim).pid();
        assertEquals("Echo: before", echo().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).firstText());
        long frozenAt = System.nanoTime();
        Signals.send("STOP", victimPid);
        try {
            CompletableFuture<CallToolResult> held = echo();
            JsonRpcException heldFailure = failure(held);
            long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
            Await.until(victim + " is out of rotation", WAIT, () -> downAtNanos.containsKey(victim));
            long detectionMillis = TimeUnit.NANOSECONDS.toMillis(downAtNanos.get(victim) - frozenAt);

            long calledAt = System.nanoTime();
            JsonRpcException later = failure(echo());
            long laterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - calledAt);
            System.out.printf("[resilience] HTTP SIGSTOP of the only instance: out of rotation after %d ms; the call"
                    + " held on it failed after %d ms with %d (%s); a call after detection failed after %d ms with"
                    + " %d (%s); call timeout %d s%n", detectionMillis, heldMillis, heldFailure.code(),
                    heldFailure.getMessage(), laterMillis, later.code(), later.getMessage(), CALL_TIMEOUT.toSeconds());
            assertTrue(detectionMillis < 2 * PROBE_INTERVAL.toMillis(),
                    "out of rotation within two probe intervals: " + detectionMillis + " ms");
            assertTrue(heldMillis < 2 * PROBE_INTERVAL.toMillis() + 1_000,
                    "the held call failed when the instance was found hung, not after the call timeout: "
                            + heldMillis + " ms");
            assertTrue(heldFailure.code() == ErrorCodes.UPSTREAM_UNAVAILABLE
                    || heldFailure.code() == ErrorCodes.NO_HEALTHY_INSTANCE, heldFailure.getMessage());
            assertTrue(heldFailure.getMessage().contains(victim), heldFailure.getMessage());
            assertEquals(ErrorCodes.NO_HEALTHY_INSTANCE, later.code(), later.getMessage());
            assertTrue(laterMillis < 500, "a call to a tool without a healthy instance fails at once: " + laterMillis);
        } finally {
            Signals.send("CONT", victimPid);
        }
        Await.until(victim + " answers its probes again and is back in rotation", WAIT, () -> isRoutable(victim));
        assertEquals("Echo: before", echo().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).firstText());
    }

    /** Starts the node peers and a gateway with one instance of the plugin on each. */
    private void start(int instances) throws Exception {
        gateway = McpGateway.builder()
                .config(GatewayConfig.builder()
                        .callTimeout(CALL_TIMEOUT)
                        .healthChecks(HealthCheckOptions.builder().interval(PROBE_INTERVAL)
                                .timeout(PROBE_TIMEOUT).recheckInterval(Duration.ofMillis(100)).build())
                        .sessionOptions(SessionOptions.defaults()
                                .withRestartBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
                        .build())
                .transport(new HttpTransport(HttpClientOptions.builder().closeTimeout(Duration.ofSeconds(1)).build()))
                .listener(event -> {
                    if (event instanceof GatewayEvent.HealthChanged changed
                            && changed.instance().health() == Health.UNHEALTHY) {
                        downAtNanos.put(changed.instance().id(), System.nanoTime());
                    }
                })
                .build();
        for (int i = 1; i <= instances; i++) {
            NodePeer peer = startPeer(0);
            peers.put(instanceId(i), peer);
            PluginManifest manifest = PluginManifest.builder(PLUGIN).version("1.0.0")
                    .transport(new TransportSpec.Http(peer.endpoint(), Map.of())).build();
            gateway.register(Registration.of(instanceId(i), manifest).withStatus(InstanceStatus.STARTING))
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        for (String id : peers.keySet()) {
            Await.until(id + " is routable", WAIT, () -> isRoutable(id));
        }
        assertTrue(gateway.routingTable().routeByExposedName(ECHO).tool().definition().annotations().isSafeToRetry(),
                "server-everything marks echo readOnlyHint: true, so a call that broke on one instance may go to another");
    }

    private NodePeer startPeer(int port) {
        NodePeer peer = NodePeer.script(NodePeer.EVERYTHING_HTTP_SERVER).args(Integer.toString(port)).start();
        started.add(peer);
        peer.port(); // ready once it listens
        return peer;
    }

    private static String instanceId(int n) {
        return PLUGIN + "-" + n;
    }

    private PluginInstance instance(String id) {
        return gateway.registry().instance(id).orElseThrow();
    }

    /** Whether the routing table in force sends calls to the instance (the registry's record of it changes first). */
    private boolean isRoutable(String id) {
        PluginInstance inTable = gateway.routingTable().instances().get(id);
        return inTable != null && inTable.isRoutable();
    }

    private CompletableFuture<CallToolResult> echo() {
        return gateway.callTool(ToolCall.of(ECHO, Json.object().put("message", "before")));
    }

    /** {@link #CALLERS} virtual threads calling the read-only {@code echo} back to back until stopped. */
    private Load load() {
        return new Load(gateway, CALLERS, ECHO, Json.object().put("message", "load"), WAIT);
    }

    private static JsonRpcException failure(CompletableFuture<?> call) {
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> call.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(JsonRpcException.class, thrown.getCause());
    }
}
