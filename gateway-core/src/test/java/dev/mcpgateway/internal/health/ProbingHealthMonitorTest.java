package dev.mcpgateway.internal.health;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.health.HealthProbe;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.Implementation;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.mcp.ServerCapabilities;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Registries;
import dev.mcpgateway.testing.RecordingListener;
import dev.mcpgateway.testing.Stderr;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.PluginConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor over a real registry and real verdicts, with connections the test scripts; probes run on a scheduler of
 * the test's own, so what is still scheduled can be looked at. Intervals are short (20 ms), waits are for conditions.
 */
class ProbingHealthMonitorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HealthCheckOptions FAST = HealthCheckOptions.builder().interval(Duration.ofMillis(20))
            .timeout(Duration.ofMillis(10)).recheckInterval(Duration.ofMillis(5)).build();

    private final RecordingListener events = new RecordingListener();
    private final InMemoryRegistry registry = Registries.inMemory(new FakeClock());
    private final HealthVerdicts verdicts = new HealthVerdicts(registry);
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2);
    private final Map<String, FakeConnection> connections = new ConcurrentHashMap<>();
    private GatewayConfig config = GatewayConfig.builder().healthChecks(FAST).build();
    private ProbingHealthMonitor monitor;

    ProbingHealthMonitorTest() {
        scheduler.setRemoveOnCancelPolicy(true);
        registry.addListener(verdicts);
        registry.addListener(events);
    }

    @AfterEach
    void close() {
        if (monitor != null) {
            monitor.close();
        }
        registry.close();
        scheduler.shutdownNow();
    }

    private void startMonitor() {
        monitor = new ProbingHealthMonitor(config::healthChecksOf,
                id -> connections.containsKey(id) ? CompletableFuture.completedFuture(connections.get(id))
                        : new CompletableFuture<>(), verdicts, scheduler, new SplittableRandom(7), null);
        monitor.start(registry);
    }

    /** Registers an instance of plugin {@code plugin} with a connection whose session began. */
    private FakeConnection connected(String id, String plugin, String protocolVersion) {
        FakeConnection connection = new FakeConnection(protocolVersion);
        connections.put(id, connection);
        registry.register(Registration.of(id, manifest(plugin, "1.0.0", "status"))).join();
        verdicts.connected(id).join();
        return connection;
    }

    private Health health(String id) {
        return registry.instance(id).orElseThrow().health();
    }

    /** The health the last event about the instance announced: the registry's state may run ahead of its events. */
    private Health lastChange(String id) {
        List<GatewayEvent.HealthChanged> changes = changes(id);
        return changes.isEmpty() ? Health.UNKNOWN : changes.getLast().instance().health();
    }

    private List<GatewayEvent.HealthChanged> changes(String id) {
        return events.events(GatewayEvent.HealthChanged.class).stream().filter(e -> e.instance().id().equals(id)).toList();
    }

    @Test
    void aHungInstanceGoesDownAfterTwoTimeoutsAndComesBackAfterTwoAnswers() {
        startMonitor();
        FakeConnection connection = connected("a", "files", ProtocolVersions.LATEST_LEGACY);
        connection.hang = true;

        Await.until("the hung instance is unhealthy", WAIT, () -> lastChange("a") == Health.UNHEALTHY);
        assertEquals("ping timed out after 10 ms (2 probes in a row)", changes("a").getLast().reason());
        assertTrue(verdicts.isDown("a", HealthVerdicts.Source.PROBE));

        connection.hang = false;
        Await.until("the instance is healthy again", WAIT, () -> lastChange("a") == Health.HEALTHY);
        assertEquals("ping answered (2 probes in a row)", changes("a").getLast().reason());
        assertEquals(List.of(Health.HEALTHY, Health.UNHEALTHY, Health.HEALTHY),
                changes("a").stream().map(e -> e.instance().health()).toList());
        assertEquals(1, connection.maxInFlight.get(), "never more than one probe in flight");
        assertTrue(connection.methods.stream().allMatch("ping"::equals), connection.methods.toString());
    }

    @Test
    void aProbeThatFailsInsideTheGatewayIsLoggedAndProbingGoesOn() throws Exception {
        FakeConnection connection = new FakeConnection(ProtocolVersions.LATEST_LEGACY);
        AtomicInteger lookups = new AtomicInteger();
        monitor = new ProbingHealthMonitor(config::healthChecksOf, id -> {
            if (lookups.incrementAndGet() == 1) {
                throw new IllegalStateException("a bug in the gateway (expected by the test)");
            }
            return CompletableFuture.completedFuture(connection);
        }, verdicts, scheduler, new SplittableRandom(7), null);
        monitor.start(registry);
        String log = Stderr.of(() -> {
            registry.register(Registration.of("a", manifest("files", "1.0.0", "status"))).join();
            verdicts.connected("a").join();
            Await.until("the instance is probed after the failed probe", WAIT, () -> connection.methods.size() >= 2);
        });

        assertEquals(Health.HEALTHY, health("a"));
        assertTrue(log.contains("failed inside the gateway; probing again at the next interval"), log);
        assertTrue(log.contains("java.lang.IllegalStateException: a bug in the gateway (expected by the test)"), log);
        assertTrue(log.contains("\tat dev.mcpgateway.internal.health.ProbingHealthMonitorTest"), log);
    }

    @Test
    void anErrorAnswerToPingStillProvesTheServerAlive() {
        startMonitor();
        FakeConnection connection = connected("a", "files", ProtocolVersions.LATEST_LEGACY);
        connection.answer = (method, params) -> CompletableFuture.failedFuture(
                new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND, "Method not found: ping"));

        Await.until("ten probes were answered", WAIT, () -> connection.methods.size() >= 10);

        assertEquals(Health.HEALTHY, health("a"));
        assertEquals(1, changes("a").size(), "only the session's start changed its health: " + changes("a"));
    }

    @Test
    void aModernSessionIsProbedWithServerDiscover() {
        startMonitor();
        FakeConnection connection = connected("a", "files", ProtocolVersions.MODERN);

        Await.until("three probes were sent", WAIT, () -> connection.methods.size() >= 3);

        assertTrue(connection.methods.stream().allMatch("server/discover"::equals), connection.methods.toString());
        assertEquals(Health.HEALTHY, health("a"));
    }

    @Test
    void aDeepCheckFailsOnAToolResultWithIsError() {
        config = GatewayConfig.builder().healthChecks(FAST).healthChecks("db", FAST.toBuilder()
                .probe(HealthProbe.callTool("status", Json.object().put("deep", true))).build()).build();
        startMonitor();
        FakeConnection db = connected("db-1", "db", ProtocolVersions.LATEST_LEGACY);
        db.answer = (method, params) -> CompletableFuture.completedFuture(CallToolResult.error("disk full").json());

        Await.until("the db instance is unhealthy", WAIT, () -> lastChange("db-1") == Health.UNHEALTHY);

        assertEquals("tool 'status' answered isError: disk full (2 probes in a row)", changes("db-1").getLast().reason());
        JsonNode sent = db.params.getFirst();
        assertEquals("status", sent.path("name").asText());
        assertEquals(Json.object().put("deep", true), sent.path("arguments"));
    }

    @Test
    void aDeepCheckFailsOnAnErrorAnswer() {
        config = GatewayConfig.builder().healthChecks(FAST.toBuilder().probe(HealthProbe.listTools()).build()).build();
        startMonitor();
        FakeConnection connection = connected("a", "files", ProtocolVersions.LATEST_LEGACY);
        connection.answer = (method, params) -> CompletableFuture.failedFuture(
                new JsonRpcException(ErrorCodes.INTERNAL_ERROR, "database unreachable"));

        Await.until("the instance is unhealthy", WAIT, () -> lastChange("a") == Health.UNHEALTHY);

        assertEquals("tools/list failed: database unreachable (2 probes in a row)", changes("a").getLast().reason());
        assertEquals("tools/list", connection.methods.getFirst());
    }

    @Test
    void aNewSessionStartsTheProbesAfresh() {
        config = GatewayConfig.builder().healthChecks(FAST.toBuilder().healthyThreshold(1_000).build()).build();
        startMonitor();
        FakeConnection connection = connected("a", "files", ProtocolVersions.LATEST_LEGACY);
        connection.hang = true;
        Await.until("the hung instance is unhealthy", WAIT, () -> lastChange("a") == Health.UNHEALTHY);

        connection.hang = false;
        verdicts.connected("a").join(); // the plugin restarted: a new session
        int sent = connection.methods.size();
        Await.until("five more probes were answered", WAIT, () -> connection.methods.size() >= sent + 5);

        // Without the reset, 1,000 passes would be needed before the probes stopped saying it is down.
        assertEquals(Health.HEALTHY, health("a"));
        assertEquals(List.of(Health.HEALTHY, Health.UNHEALTHY, Health.HEALTHY),
                changes("a").stream().map(e -> e.instance().health()).toList());
    }

    @Test
    void instancesAreProbedFromRegistrationUntilTheyLeaveAndInstancesWithoutASessionAreNot() {
        startMonitor();
        FakeConnection a = connected("a", "files", ProtocolVersions.LATEST_LEGACY);
        registry.register(Registration.of("unconnected", manifest("files", "1.0.0", "status"))).join();
        Await.until("a is probed", WAIT, () -> a.methods.size() >= 3);
        assertEquals(2, monitor.probedInstances());

        registry.deregister("a").join();
        Await.until("a is no longer followed", WAIT, () -> monitor.probedInstances() == 1);
        Await.until("its last probe settled", WAIT, () -> a.inFlight.get() == 0);
        int sent = a.methods.size();
        FakeConnection b = connected("b", "files", ProtocolVersions.LATEST_LEGACY);
        Await.until("b is probed", WAIT, () -> b.methods.size() >= 3);

        assertEquals(sent, a.methods.size(), "a left: no probe was sent to it since");
        assertEquals(Health.UNKNOWN, health("unconnected"), "the connection, not the probes, speaks for it");
    }

    @Test
    void disabledPluginsAreNotProbed() {
        config = GatewayConfig.builder().healthChecks(FAST).healthChecks("quiet", HealthCheckOptions.disabled()).build();
        startMonitor();
        connected("q", "quiet", ProtocolVersions.LATEST_LEGACY);
        FakeConnection a = connected("a", "files", ProtocolVersions.LATEST_LEGACY);

        Await.until("a is probed", WAIT, () -> a.methods.size() >= 3);

        assertEquals(1, monitor.probedInstances());
        assertTrue(connections.get("q").methods.isEmpty());
    }

    @Test
    void closingStopsEveryProbe() {
        startMonitor();
        FakeConnection a = connected("a", "files", ProtocolVersions.LATEST_LEGACY);
        FakeConnection b = connected("b", "files", ProtocolVersions.LATEST_LEGACY);
        b.hang = true;
        Await.until("both are probed", WAIT, () -> a.methods.size() >= 3 && b.methods.size() >= 3);

        monitor.close();
        Await.until("the probes in flight settled", WAIT, () -> a.inFlight.get() == 0 && b.inFlight.get() == 0);

        assertEquals(0, monitor.probedInstances());
        assertEquals(0, scheduler.getQueue().size(), "nothing is scheduled: no probe can follow");
        assertEquals(0, scheduler.getActiveCount());
    }

    /** A plugin connection whose answers the test scripts; a hung one lets each probe time out as a session would. */
    private final class FakeConnection implements PluginConnection {
        final String protocolVersion;
        final List<String> methods = new CopyOnWriteArrayList<>();
        final List<JsonNode> params = new CopyOnWriteArrayList<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        volatile boolean hang;
        volatile BiFunction<String, JsonNode, CompletableFuture<JsonNode>> answer =
                (method, params) -> CompletableFuture.completedFuture(Json.object());

        FakeConnection(String protocolVersion) {
            this.protocolVersion = protocolVersion;
        }

        @Override
        public CompletableFuture<JsonNode> request(String method, JsonNode params, CallOptions options) {
            methods.add(method);
            if (params != null) {
                this.params.add(params);
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<JsonNode> result = new CompletableFuture<>();
            if (hang) {
                scheduler.schedule(() -> result.completeExceptionally(new JsonRpcException(ErrorCodes.UPSTREAM_TIMEOUT,
                        "did not answer '" + method + "'")), options.timeout().toNanos(), TimeUnit.NANOSECONDS);
            } else {
                answer.apply(method, params).whenComplete((value, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(value);
                    }
                });
            }
            result.whenComplete((value, error) -> inFlight.decrementAndGet());
            return result;
        }

        @Override
        public void notify(String method, JsonNode params) {
        }

        @Override
        public String protocolVersion() {
            return protocolVersion;
        }

        @Override
        public ServerCapabilities capabilities() {
            return ServerCapabilities.NONE;
        }

        @Override
        public Implementation serverInfo() {
            return new Implementation("fake", "1", null);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
