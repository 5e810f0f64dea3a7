package dev.mcpgateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.server.MessageSink;
import dev.mcpgateway.server.ServerSession;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import dev.mcpgateway.transport.SessionOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meters the gateway's parts record: its health probes, the router's decisions, its plugin connections'
 * restarts and its MCP server's operations, each fed by real parts (a gateway with in-process plugins, or scripted
 * MCP servers behind real supervised sessions) into a {@code SimpleMeterRegistry}.
 */
class GatewayPartsMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** The scripted servers started per plugin, newest last. */
    private final Map<String, List<ScriptedServer>> servers = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private McpGateway gateway;
    private McpServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** A gateway whose plugins are scripted servers (the {@code mute} plugin's never answers a ping). */
    private McpGateway scripted(GatewayConfig.Builder config) {
        gateway = McpGateway.builder().meterRegistry(meters)
                .config(config.sessionOptions(SessionOptions.defaults()
                        .withRestartBackoff(Duration.ofMillis(10), Duration.ofMillis(100))).build())
                .transport(new ScriptedTransport(instance -> {
                    ScriptedServer server = ScriptedServer.listing("echo").handle("ping", (s, request) ->
                            instance.pluginName().equals("mute") ? null
                                    : JsonRpcResponse.success(request.id(), Json.object()));
                    servers.computeIfAbsent(instance.pluginName(), p -> new CopyOnWriteArrayList<>()).add(server);
                    return server;
                })).build();
        return gateway;
    }

    private static PluginManifest plugin(String name) {
        return PluginManifest.builder(name).version("1.0.0").transport(TransportSpec.Stdio.of(name + "-server"))
                .build();
    }

    private double timed(String name, String... tags) {
        Timer timer = meters.find(name).tags(tags).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void probesAreTimedByPluginAndResult() {
        scripted(GatewayConfig.builder().healthChecks(HealthCheckOptions.builder().interval(Duration.ofMillis(60))
                .timeout(Duration.ofMillis(30)).recheckInterval(Duration.ofMillis(20)).build()));
        gateway.addPlugin(plugin("answering"), 1).join();
        gateway.addPlugin(plugin("mute"), 1).join();

        Await.until("both plugins were probed twice", WAIT,
                () -> timed("mcp.gateway.probes", "plugin", "answering", "result", "success") >= 2
                        && timed("mcp.gateway.probes", "plugin", "mute", "result", "failure") >= 2);
        assertEquals(0, timed("mcp.gateway.probes", "plugin", "answering", "result", "failure"));
        assertEquals(0, timed("mcp.gateway.probes", "plugin", "mute", "result", "success"));
        Timer failed = meters.find("mcp.gateway.probes").tags("plugin", "mute", "result", "failure").timer();
        assertTrue(failed.max(TimeUnit.MILLISECONDS) >= 25,
                "a probe that timed out took its timeout: " + failed.max(TimeUnit.MILLISECONDS));
    }

    @Test
    void aSupervisedConnectionThatBreaksCountsARestart() {
        scripted(GatewayConfig.builder());
        PluginInstance instance = gateway.addPlugin(plugin("crashing"), 1).join().getFirst();
        Counter restarts = meters.find("mcp.gateway.upstream.restarts").tags("plugin", "crashing", "transport", "stdio")
                .counter();
        assertNotNull(restarts, "registered with the connection: " + meters.getMetersAsString());
        assertEquals(0, restarts.count(), "no restart before a crash");

        servers.get("crashing").getFirst().die("plugin 'crashing' exited with code 1 (expected by the test)");
        Await.until("the connection was restarted", WAIT, () -> servers.get("crashing").size() == 2
                && gateway.registry().instance(instance.id()).orElseThrow().isRoutable());
        assertEquals(1, restarts.count());

        gateway.registry().deregister(instance.id()).join();
        assertEquals(1, restarts.count(), "closing a connection is no restart");
    }

    @Test
    void routingDecisionsAreTimedByResult() {
        gateway = McpGateway.builder().meterRegistry(meters).build();
        gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds", (args, ctx) -> CallToolResult.text("3")).build()).join();
        String add = gateway.listTools().getFirst().exposedName();

        gateway.callTool(add, Json.object()).join();
        gateway.callTool(add, Json.object()).join();
        assertThrows(CompletionException.class, () -> gateway.callTool("nosuch", Json.object()).join());

        assertEquals(2, timed("mcp.gateway.routing.decisions", "result", "routed"));
        assertEquals(1, timed("mcp.gateway.routing.decisions", "result", "no_route"));
        assertTrue(meters.find("mcp.gateway.routing.decisions").timers().stream()
                .allMatch(timer -> timer.getId().getTags().size() == 1), "tagged by result only, never by tool");
    }

    /** A gateway with the in-process {@code calc} plugin and its MCP server, tool tags capped at {@code cap}. */
    private void served(int cap) {
        gateway = McpGateway.builder().meterRegistry(meters)
                .metricsOptions(MetricsOptions.builder().maxToolTags(cap).build()).build();
        gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds", (args, ctx) -> CallToolResult.text("3"))
                .tool("fail", "Fails as a tool", (args, ctx) -> CallToolResult.error("no")).build()).join();
        server = McpServer.create(gateway);
    }

    private String exposed(String tool) {
        return gateway.listTools().stream().filter(t -> t.key().name().equals(tool)).findFirst().orElseThrow()
                .exposedName();
    }

    private JsonRpcResponse request(ServerSession session, String method, JsonNode params) {
        return session.handle(new JsonRpcRequest(RequestId.of(ids.incrementAndGet()), method, params),
                MessageSink.NONE).join();
    }

    private double operations(String method, String error, String version, String tool) {
        return timed("mcp.server.operation.duration", "mcp.method.name", method, "error.type", error,
                "mcp.protocol.version", version, "gen_ai.tool.name", tool);
    }

    @Test
    void everyRequestTheServerAnswersIsTimedByMethodErrorVersionAndTool() {
        served(1000);
        ServerSession session = server.newSession();
        request(session, "ping", Json.object()); // before initialize: answered, its version not known yet
        request(session, "initialize", Json.object().put("protocolVersion", "2025-06-18"));
        session.handle(new JsonRpcNotification("notifications/initialized", Json.object()), MessageSink.NONE).join();
        request(session, "tools/list", Json.object());
        request(session, "tools/call", Json.object().put("name", exposed("add")));
        request(session, "tools/call", Json.object().put("name", exposed("add")));
        request(session, "tools/call", Json.object().put("name", exposed("fail")));
        request(session, "tools/call", Json.object().put("name", "nosuch"));
        request(session, "vendor/whatever", Json.object());

        String v = "2025-06-18";
        assertEquals(1, operations("ping", "none", "unknown", "none"), meters.getMetersAsString());
        assertEquals(1, operations("initialize", "none", v, "none"));
        assertEquals(1, operations("tools/list", "none", v, "none"));
        assertEquals(2, operations("tools/call", "none", v, exposed("add")));
        assertEquals(1, operations("tools/call", "tool_error", v, exposed("fail")));
        Timer unknownTool = meters.find("mcp.server.operation.duration").tags("mcp.method.name", "tools/call",
                "gen_ai.tool.name", "other").timer();
        assertNotNull(unknownTool, "a name no plugin serves is tagged other: " + meters.getMetersAsString());
        assertEquals("-32602", unknownTool.getId().getTag("error.type"), "unknown tool: invalid params");
        assertEquals(1, operations("other", "-32601", v, "none"), "an unknown method is other, method not found");
        assertEquals(8, meters.find("mcp.server.operation.duration").timers().stream().mapToLong(Timer::count).sum(),
                "requests only: the notification is not timed");
    }

    @Test
    void statelessRequestsCarryTheirVersionAndToolsShareTheCallTimersCap() {
        served(1);
        ServerSession stateless = server.statelessSession();
        JsonNode meta = Json.object().put(ProtocolVersions.META_PROTOCOL_VERSION, ProtocolVersions.MODERN)
                .set(ProtocolVersions.META_CLIENT_CAPABILITIES, Json.object());
        for (String tool : List.of("add", "fail", "add")) {
            ObjectNode params = Json.object().put("name", exposed(tool));
            params.set("_meta", meta);
            request(server.statelessSession(), "tools/call", params);
        }
        request(stateless, "server/discover", Json.object().set("_meta", meta));

        String m = ProtocolVersions.MODERN;
        assertEquals(2, operations("tools/call", "none", m, exposed("add")), meters.getMetersAsString());
        assertEquals(1, operations("tools/call", "tool_error", m, "other"), "beyond the cap of 1: other");
        assertEquals(1, operations("server/discover", "none", m, "none"));
        assertEquals(List.of(exposed("add"), "other"), meters.find("mcp.tool.calls").timers().stream()
                .map(t -> t.getId().getTag("tool")).distinct().sorted().toList(), "the call timer tags the same tools");
    }
}
