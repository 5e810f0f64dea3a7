package dev.mcpgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.RecordingListener;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import dev.mcpgateway.transport.SessionOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plugins the gateway connects to: discovery on connect, re-listing on list_changed, crashes and restarts. */
class UpstreamPluginsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The servers started per instance id, newest last. */
    private final Map<String, List<ScriptedServer>> servers = new ConcurrentHashMap<>();
    private final List<String> extraTools = new CopyOnWriteArrayList<>();
    private final RecordingListener events = new RecordingListener();
    private final McpGateway gateway = McpGateway.builder().listener(events)
            .config(GatewayConfig.builder().sessionOptions(SessionOptions.defaults()
                    .withRestartBackoff(Duration.ofMillis(10), Duration.ofMillis(100))).build())
            .transport(new ScriptedTransport(instance -> server(instance.id()))).build();

    private ScriptedServer server(String instanceId) {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        server.handle("tools/list", (s, request) -> {
            ObjectNode result = Json.object();
            var tools = result.putArray("tools");
            tools.add(ScriptedServer.tool("echo"));
            extraTools.forEach(name -> tools.add(ScriptedServer.tool(name)));
            return JsonRpcResponse.success(request.id(), result);
        });
        server.handle("tools/call", (s, request) -> JsonRpcResponse.success(request.id(),
                Json.object().put("instance", instanceId)));
        server.handle("initialize", (s, request) -> {
            ObjectNode result = Json.object().put("protocolVersion", "2025-06-18");
            ObjectNode capabilities = result.putObject("capabilities");
            capabilities.putObject("tools").put("listChanged", true);
            capabilities.putObject("resources").put("listChanged", true);
            capabilities.putObject("prompts");
            result.putObject("serverInfo").put("name", "scripted").put("version", "1.0.0");
            return JsonRpcResponse.success(request.id(), result);
        });
        server.handle("resources/list", (s, request) -> {
            ObjectNode result = Json.object();
            result.putArray("resources").addObject().put("uri", "file:///" + instanceId).put("name", "readme");
            return JsonRpcResponse.success(request.id(), result);
        });
        server.handle("resources/templates/list", (s, request) -> {
            ObjectNode result = Json.object();
            result.putArray("resourceTemplates").addObject().put("uriTemplate", "file:///{path}").put("name", "files");
            return JsonRpcResponse.success(request.id(), result);
        });
        server.handle("prompts/list", (s, request) -> {
            ObjectNode result = Json.object();
            result.putArray("prompts").addObject().put("name", "summarize").put("x-unknown-field", 42);
            return JsonRpcResponse.success(request.id(), result);
        });
        servers.computeIfAbsent(instanceId, id -> new CopyOnWriteArrayList<>()).add(server);
        return server;
    }

    private static PluginManifest scripted() {
        return PluginManifest.builder("scripted").version("1.0.0").transport(TransportSpec.Stdio.of("scripted-server"))
                .build();
    }

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void whatDiscoveryFindsLandsOnTheManifestInForceWhenTheLoopAppliesIt() throws Exception {
        CountDownLatch loopHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GatewayListener holding = event -> {
            if (event instanceof GatewayEvent.HealthChanged changed && "hold the loop".equals(changed.reason())) {
                loopHeld.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (McpGateway held = McpGateway.builder().listener(holding).build()) {
            held.registry().register(Registration.of("files-1", labelled("eu"))).join();
            held.registry().reportHealth("files-1", Health.HEALTHY, "hold the loop");
            loopHeld.await();
            // Queued while the loop is held, in this order: a re-registration's change, then discovery's, which was
            // computed while the registry still showed the old manifest.
            CompletableFuture<PluginInstance> relabelled = held.registry().updateManifest("files-1", labelled("us"));
            CompletableFuture<PluginInstance> discovered = held.registry().updateManifest("files-1",
                    manifest -> manifest.withTools(List.of(Tool.builder("echo").build())));
            release.countDown();
            relabelled.join();

            PluginManifest after = discovered.join().manifest();
            assertEquals("us", after.labels().get("region"), "the change made meanwhile is kept");
            assertEquals(List.of("echo"), after.tools().stream().map(Tool::name).toList(), "and the tools found land");
        }
    }

    private static PluginManifest labelled(String region) {
        return PluginManifest.builder("files").transport(TransportSpec.Stdio.of("files")).label("region", region)
                .build();
    }

    @Test
    void addedPluginsAreDiscoveredAndRoutable() {
        List<PluginInstance> instances = gateway.addPlugin(scripted(), 2).join();

        assertEquals(List.of(InstanceStatus.UP, InstanceStatus.UP), instances.stream().map(PluginInstance::status).toList());
        assertEquals(List.of("scripted__echo"), gateway.listTools().stream().map(ExposedTool::exposedName).toList());
        var seen = new java.util.HashSet<String>();
        for (int i = 0; i < 10; i++) {
            seen.add(gateway.callTool("scripted__echo", Json.object()).join().json().path("instance").asText());
        }
        assertEquals(2, seen.size(), "calls are spread over both instances: " + seen);
    }

    @Test
    void resourcesTemplatesAndPromptsAreDiscoveredAsTheServerSentThem() {
        PluginInstance instance = gateway.addPlugin(scripted()).join();

        var catalog = instance.manifest().catalog();
        assertEquals("file:///" + instance.id(), catalog.resources().get(0).path("uri").asText());
        assertEquals("file:///{path}", catalog.resourceTemplates().get(0).path("uriTemplate").asText());
        assertEquals(42, catalog.prompts().get(0).path("x-unknown-field").asInt(), "unknown fields pass through");
    }

    @Test
    void listChangedUpdatesTheToolsWithoutAWindowWhereExistingToolsAreUnroutable() throws Exception {
        PluginInstance instance = gateway.addPlugin(scripted()).join();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger misses = new AtomicInteger();
        Thread router = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                if (gateway.routingTable().routeByExposedName("scripted__echo") == null) {
                    misses.incrementAndGet();
                }
            }
        });

        extraTools.add("added");
        servers.get(instance.id()).get(0).emit(new JsonRpcNotification("notifications/tools/list_changed", null));
        Await.until("the new tool is routable", WAIT,
                () -> gateway.routingTable().routeByExposedName("scripted__added") != null);
        stop.set(true);
        router.join();

        assertEquals(0, misses.get());
        assertEquals("scripted__added", gateway.listTools().get(0).exposedName());
    }

    @Test
    void callsLandingOnAJustCrashedInstanceAreServedByAnother() {
        List<PluginInstance> instances = gateway.addPlugin(scripted(), 2).join();
        String crashing = instances.get(0).id();

        servers.get(crashing).get(0).die("plugin 'scripted' exited with code 1");

        // Before the table learns of the crash some calls are routed to the dead instance: they were never
        // sent, so they go to the other instance instead of failing.
        for (int i = 0; i < 20; i++) {
            String served = gateway.callTool("scripted__echo", Json.object()).join().json().path("instance").asText();
            if (served.equals(crashing)) {
                assertEquals(2, servers.get(crashing).size(), "only its restarted process may answer for " + crashing);
            }
        }
    }

    @Test
    void aCrashedInstanceLeavesRotationAndComesBackAfterItsRestart() {
        List<PluginInstance> instances = gateway.addPlugin(scripted(), 2).join();
        String crashing = instances.get(0).id();
        String healthy = instances.get(1).id();

        servers.get(crashing).get(0).die("plugin 'scripted' exited with code 1");

        Await.until("the restarted instance is connected again", WAIT, () -> servers.get(crashing).size() == 2
                && gateway.registry().instance(crashing).orElseThrow().health() == Health.HEALTHY
                && gateway.routingTable().route(new ToolKey("scripted", "echo")).endpoints().stream()
                        .allMatch(e -> e.instance().isRoutable()));
        var seen = new java.util.HashSet<String>();
        for (int i = 0; i < 10; i++) {
            seen.add(gateway.callTool("scripted__echo", Json.object()).join().json().path("instance").asText());
        }
        assertEquals(java.util.Set.of(crashing, healthy), seen);
        List<GatewayEvent.HealthChanged> changes = events.events(GatewayEvent.HealthChanged.class).stream()
                .filter(change -> change.instance().id().equals(crashing)).toList();
        assertEquals(Health.HEALTHY, changes.get(0).instance().health(), "its first session made it healthy");
        assertEquals("connected", changes.get(0).reason());
        assertEquals(Health.UNHEALTHY, changes.get(1).instance().health(), "the crash took it out of rotation");
        assertEquals("plugin 'scripted' exited with code 1", changes.get(1).reason());
        assertEquals(Health.HEALTHY, changes.get(changes.size() - 1).instance().health());
    }
}
