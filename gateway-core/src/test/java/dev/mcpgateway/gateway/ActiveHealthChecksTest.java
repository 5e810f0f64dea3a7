package dev.mcpgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.RecordingListener;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import dev.mcpgateway.transport.SessionOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own active health checks over plugins it connects to (scripted MCP servers behind real sessions),
 * probing every 100 ms: a plugin that hangs leaves rotation and comes back when it answers again.
 */
class ActiveHealthChecksTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Servers per instance id; instances whose server stopped answering. */
    private final Map<String, ScriptedServer> servers = new ConcurrentHashMap<>();
    private final Set<String> hung = ConcurrentHashMap.newKeySet();
    /** Pings a hung server left unanswered, by instance. */
    private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
    private final RecordingListener events = new RecordingListener();
    private final McpGateway gateway = McpGateway.builder().listener(events)
            .config(GatewayConfig.builder()
                    .healthChecks(HealthCheckOptions.builder().interval(Duration.ofMillis(100))
                            .timeout(Duration.ofMillis(50)).recheckInterval(Duration.ofMillis(20)).build())
                    .sessionOptions(SessionOptions.defaults().withRestartBackoff(Duration.ofMillis(10),
                            Duration.ofMillis(100))).build())
            .transport(new ScriptedTransport(instance -> server(instance))).build();

    private ScriptedServer server(PluginInstance instance) {
        String id = instance.id();
        ScriptedServer server = new ScriptedServer(instance.pluginName().equals("modern") ? ScriptedServer.Era.MODERN
                : ScriptedServer.Era.LEGACY);
        server.handle("ping", (s, request) -> answer(id, request, Json.object()));
        server.handle("tools/call", (s, request) -> answer(id, request, Json.object().put("instance", id)));
        servers.put(id, server);
        return server;
    }

    /** The answer, or none while the instance hangs. */
    private JsonRpcMessage answer(String instanceId, JsonRpcRequest request, com.fasterxml.jackson.databind.JsonNode result) {
        if (hung.contains(instanceId)) {
            unanswered.add(instanceId + "/" + request.id());
            return null;
        }
        return JsonRpcResponse.success(request.id(), result);
    }

    private static PluginManifest plugin(String name) {
        return PluginManifest.builder(name).version("1.0.0").transport(TransportSpec.Stdio.of(name + "-server")).build();
    }

    @AfterEach
    void close() {
        gateway.close();
    }

    private boolean routable(String instanceId) {
        return gateway.routingTable().route(new ToolKey("scripted", "echo")).endpoints().stream()
                .anyMatch(e -> e.instance().id().equals(instanceId) && e.instance().isRoutable());
    }

    private java.util.Optional<GatewayEvent.HealthChanged> wentDown(String instanceId) {
        return events.events(GatewayEvent.HealthChanged.class).stream()
                .filter(e -> e.instance().id().equals(instanceId) && e.instance().health() == Health.UNHEALTHY)
                .findFirst();
    }

    private Set<String> servedBy(int calls) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < calls; i++) {
            seen.add(gateway.callTool("scripted__echo", Json.object()).join().json().path("instance").asText());
        }
        return seen;
    }

    @Test
    void aPluginThatStopsAnsweringLeavesRotationAndComesBackWhenItAnswersAgain() {
        List<PluginInstance> instances = gateway.addPlugin(plugin("scripted"), 2).join();
        String hanging = instances.get(0).id();
        String other = instances.get(1).id();

        hung.add(hanging);
        Await.until("the hung instance is out of rotation", WAIT, () -> !routable(hanging)
                && wentDown(hanging).isPresent());

        assertEquals(Health.UNHEALTHY, gateway.registry().instance(hanging).orElseThrow().health());
        assertEquals(Set.of(other), servedBy(10), "calls go to the other instance");
        assertEquals("ping timed out after 50 ms (2 probes in a row)", wentDown(hanging).orElseThrow().reason());

        hung.remove(hanging);
        Await.until("the instance is back in rotation", WAIT, () -> routable(hanging));

        assertEquals(Set.of(hanging, other), servedBy(10));
        assertEquals(1, servers.get(hanging).requests("initialize").size(), "it was not restarted, only left out");
        assertTrue(unanswered.size() >= 2, "probes went unanswered: " + unanswered);
        assertAtMostOneProbeInFlight(hanging);
    }

    @Test
    void aModernEraPluginIsProbedWithServerDiscoverNotPing() {
        PluginInstance instance = gateway.addPlugin(plugin("modern")).join();
        ScriptedServer server = servers.get(instance.id());

        Await.until("two probes after the handshake", WAIT, () -> server.requests("server/discover").size() >= 3);

        assertEquals(List.of(), server.requests("ping"));
        assertEquals(Health.HEALTHY, gateway.registry().instance(instance.id()).orElseThrow().health());
    }

    /**
     * Walks what the hung instance's server received: a probe it left unanswered ends with the session's cancellation
     * when it times out, and no probe may be sent before that.
     */
    private void assertAtMostOneProbeInFlight(String instanceId) {
        Set<Long> outstanding = new HashSet<>();
        int probes = 0;
        for (JsonRpcMessage message : servers.get(instanceId).received()) {
            if (message instanceof JsonRpcRequest request && request.method().equals("ping")) {
                probes++;
                assertEquals(Set.of(), outstanding, "probe " + request.id() + " was sent while another was in flight");
                if (unanswered.contains(instanceId + "/" + request.id())) {
                    outstanding.add(Long.parseLong(request.id().toString()));
                }
            } else if (message instanceof JsonRpcNotification n && n.method().equals("notifications/cancelled")) {
                outstanding.remove(n.params().path("requestId").asLong());
            }
        }
        assertTrue(probes >= 4, "probes were sent: " + probes);
    }
}
