package dev.mcpgateway.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.persistence.testing.TcpProxy;
import dev.mcpgateway.persistence.testing.TestPostgres;
import dev.mcpgateway.persistence.testing.TestRedis;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStore.Stored;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.MemoryRegistryStore;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import dev.mcpgateway.testing.Stderr;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gateways on one PostgreSQL schema and one Redis channel: what one changes, the others follow on its event, with the
 * reconcile interval far too long to explain it; and with Redis away, registrations go on.
 */
class RedisChangeEventsTest {
    private static final Duration NEVER = Duration.ofHours(1); // only events can explain convergence
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final PluginManifest FILES = PluginManifest.builder("files").transport(TransportSpec.Stdio.of("files"))
            .tool(Tool.builder("echo").build()).build();

    private final TestPostgres.Schema schema = TestPostgres.newSchema();
    private final RedisOptions redis = TestRedis.options().build();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
        schema.close();
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private McpGateway gateway(RedisChangeEvents events) {
        return opened(McpGateway.builder().config(GatewayConfig.builder().storeReconcileInterval(NEVER).build())
                .registryStore(PostgresRegistryStore.open(schema.options().build()).withChangeEvents(events))
                .transport(new ScriptedTransport(instance -> new ScriptedServer(ScriptedServer.Era.LEGACY)
                        .handle("tools/list", (server, request) -> {
                            ObjectNode result = Json.object();
                            result.putArray("tools").add(ScriptedServer.tool("echo"));
                            return JsonRpcResponse.success(request.id(), result);
                        })))
                .build());
    }

    private static Registration files(String id) {
        return Registration.of(id, FILES).withLease(Duration.ofSeconds(60)).withSource(RegistrationSource.API);
    }

    private static List<String> routed(McpGateway gateway) {
        return gateway.registry().findByTool(new ToolKey("files", "echo")).stream().map(PluginInstance::id).toList();
    }

    /** Two gateways on the schema and the channel, both subscribed. */
    private List<McpGateway> subscribedPair() {
        RedisChangeEvents eventsA = RedisChangeEvents.open(redis);
        RedisChangeEvents eventsB = RedisChangeEvents.open(redis);
        List<McpGateway> pair = List.of(gateway(eventsA), gateway(eventsB));
        Await.until("both gateways subscribed", WITHIN, () -> eventsA.subscribed() && eventsB.subscribed());
        return pair;
    }

    @Test
    void aRegistrationOnOneGatewayIsRoutedOnTheOtherOnItsEvent() {
        List<McpGateway> pair = subscribedPair();
        McpGateway a = pair.get(0);
        McpGateway b = pair.get(1);

        a.register(files("files-1")).join();
        long registered = System.nanoTime(); // acknowledged: PostgreSQL has it, and the event is on its way
        Await.until("gateway B routes files-1", WITHIN, () -> routed(b).equals(List.of("files-1")));
        double millis = (System.nanoTime() - registered) / 1e6;
        System.out.printf("Registered on gateway A, routable on gateway B %.1f ms after A acknowledged it"
                + " (one Redis event, one load from PostgreSQL)%n", millis);

        a.registry().deregister("files-1").join();
        Await.until("gateway B forgets files-1", WITHIN, () -> b.registry().instance("files-1").isEmpty());
        assertEquals(List.of(), routed(b));
    }

    @Test
    void aRuleChangeAndADrainOnOneGatewayAreFollowedByTheOtherOnTheirEvents() {
        List<McpGateway> pair = subscribedPair();
        McpGateway a = pair.get(0);
        McpGateway b = pair.get(1);
        a.register(files("files-1")).join();
        Await.until("gateway B routes files-1", WITHIN, () -> routed(b).equals(List.of("files-1")));

        List<RoutingRule> rules = List.of(RoutingRule.forTools("files/*").name("v1-only")
                .target(RouteTarget.versions("1.x")).build());
        a.replaceRoutingRules(rules).join();
        long replaced = System.nanoTime();
        Await.until("gateway B routes by the new rules", WITHIN, () -> b.routingRules().equals(rules));
        System.out.printf("rule change on A visible on B after %.1f ms (one Redis event, one load from PostgreSQL)%n",
                (System.nanoTime() - replaced) / 1e6);

        a.drain("files-1").join();
        Await.until("gateway B takes files-1 out of service", WITHIN, () -> b.registry().instance("files-1")
                .orElseThrow().status() == InstanceStatus.OUT_OF_SERVICE);
    }

    @Test
    void renewalsAreNotAnnouncedButUnhealthyInstancesAre() {
        RedisChangeEvents eventsA = opened(RedisChangeEvents.open(redis));
        RedisChangeEvents eventsB = opened(RedisChangeEvents.open(redis));
        RegistryStore a = eventsA.around(new MemoryRegistryStore());
        RegistryStore b = eventsB.around(new MemoryRegistryStore());
        AtomicInteger pokedB = new AtomicInteger();
        List<String> probedB = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.onChangedElsewhere(pokedB::incrementAndGet);
        b.onUnhealthyElsewhere(probedB::add);
        Await.until("both subscribed", WITHIN, () -> eventsA.subscribed() && eventsB.subscribed());

        a.put(new Stored("files-1", "files", null, "{}"));
        a.renew("files-1", java.time.Instant.now());
        a.recordHealth(new RegistryStore.HealthTransition("files-1", "files", Health.HEALTHY, Health.UNHEALTHY,
                "probe timed out", "gateway-a"));
        // Redis delivers in order: had the renewal been announced, it would have come before the health message.
        Await.until("B hears of the unhealthy instance", WITHIN, () -> probedB.equals(List.of("files-1")));
        assertEquals(1, pokedB.get(), "the put only; the renewal and the health message make no reconciliation");
    }

    @Test
    void aSilentlyDeadListenerConnectionIsNoticedAndReplaced() throws Exception {
        TcpProxy proxy = opened(TcpProxy.to(redis.host(), redis.port()));
        RedisChangeEvents eventsA = RedisChangeEvents.open(redis);
        RedisChangeEvents eventsB = RedisChangeEvents.open(RedisOptions.builder().host("127.0.0.1")
                .port(proxy.port()).password(redis.password()).channel(redis.channel())
                .keepAlive(Duration.ofMillis(100)).readTimeout(Duration.ofMillis(300)).build());
        McpGateway a = gateway(eventsA);
        McpGateway b = gateway(eventsB);
        Await.until("both gateways subscribed", WITHIN, () -> eventsA.subscribed() && eventsB.subscribed());

        String log = Stderr.of(() -> {
            proxy.blackhole(); // no reset, no close: only the keepalive can tell
            Await.until("gateway B notices the silence", WITHIN, () -> !eventsB.subscribed());
            a.register(files("files-1")).join();
            proxy.restore();
            Await.until("gateway B catches up on reconnecting", WITHIN, () -> routed(b).equals(List.of("files-1")));
        });
        String target = "Redis at 127.0.0.1:" + proxy.port();
        assertEquals(1, log.split("WARN dev.mcpgateway.persistence.RedisChangeEvents - " + target
                + " cannot be reached", -1).length - 1, log);
        assertEquals(1, log.split("INFO dev.mcpgateway.persistence.RedisChangeEvents - " + target
                + " can be reached again", -1).length - 1, log);
        Stderr.assertNoStackTrace(log);
    }

    @Test
    void aGatewayIgnoresItsOwnEvents() {
        RedisChangeEvents eventsA = opened(RedisChangeEvents.open(redis));
        RedisChangeEvents eventsB = opened(RedisChangeEvents.open(redis));
        RegistryStore a = eventsA.around(new MemoryRegistryStore());
        RegistryStore b = eventsB.around(new MemoryRegistryStore());
        AtomicInteger pokedA = new AtomicInteger();
        AtomicInteger pokedB = new AtomicInteger();
        a.onChangedElsewhere(pokedA::incrementAndGet);
        b.onChangedElsewhere(pokedB::incrementAndGet);
        Await.until("both subscribed", WITHIN, () -> eventsA.subscribed() && eventsB.subscribed());

        a.put(new Stored("files-1", "files", null, "{}"));
        Await.until("B hears A's event", WITHIN, () -> pokedB.get() == 1);
        // Redis delivers in order: A heard its own event before B could publish the next one, and ignored it.
        b.remove("files-1");
        Await.until("A hears B's event", WITHIN, () -> pokedA.get() == 1);
        assertEquals(1, pokedA.get(), "A's own event made it reconcile");
        assertEquals(1, pokedB.get(), "B's own event made it reconcile");
    }

    @Test
    void withRedisUnreachableRegistrationsGoOnIntoPostgresAndItIsSaidOnce() throws Exception {
        int nothingListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nothingListens = socket.getLocalPort();
        }
        RedisOptions away = RedisOptions.builder().host("127.0.0.1").port(nothingListens).channel(redis.channel())
                .password("s3cret-redis").build();
        String log = Stderr.of(() -> {
            McpGateway gateway = gateway(RedisChangeEvents.open(away));
            gateway.register(files("files-1")).join();
            gateway.register(files("files-2")).join();
            gateway.registry().deregister("files-1").join();
            assertEquals(List.of("files-2"), routed(gateway));
            gateway.close(); // waits for the dropped publishes and the listener: every log line is in
        });
        try (PostgresRegistryStore store = PostgresRegistryStore.open(schema.options().build())) {
            assertEquals(List.of("files-2"), store.load().stream().map(Stored::id).toList());
        }
        assertEquals(1, log.split("WARN dev.mcpgateway.persistence.RedisChangeEvents - Redis at 127.0.0.1:"
                + nothingListens + " cannot be reached", -1).length - 1, log);
        assertFalse(log.contains("s3cret-redis"), log);
        Stderr.assertNoStackTrace(log);
    }

    @Test
    void aGatewayCutOffFromRedisCatchesUpWhenItReconnects() throws Exception {
        TcpProxy proxy = opened(TcpProxy.to(redis.host(), redis.port()));
        RedisChangeEvents eventsA = RedisChangeEvents.open(redis);
        RedisChangeEvents eventsB = RedisChangeEvents.open(RedisOptions.builder().host("127.0.0.1")
                .port(proxy.port()).password(redis.password()).channel(redis.channel()).build());
        McpGateway a = gateway(eventsA);
        McpGateway b = gateway(eventsB);
        Await.until("both gateways subscribed", WITHIN, () -> eventsA.subscribed() && eventsB.subscribed());

        String log = Stderr.of(() -> {
            proxy.cut();
            Await.until("gateway B notices", WITHIN, () -> !eventsB.subscribed());
            a.register(files("files-1")).join(); // B cannot hear of this one
            assertTrue(b.registry().instance("files-1").isEmpty());
            proxy.restore();
            Await.until("gateway B catches up on reconnecting", WITHIN, () -> routed(b).equals(List.of("files-1")));
        });
        assertTrue(log.contains("INFO dev.mcpgateway.persistence.RedisChangeEvents - Redis at 127.0.0.1:"
                + proxy.port() + " can be reached again"), log);
        Stderr.assertNoStackTrace(log);
    }
}
