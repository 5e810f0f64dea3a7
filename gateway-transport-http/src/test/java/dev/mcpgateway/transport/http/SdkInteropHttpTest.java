package dev.mcpgateway.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.RecordingListener;
import dev.mcpgateway.transport.SessionOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway, through {@link HttpTransport}, against plugin servers built with the official MCP Java SDK 2.x and
 * served by embedded Tomcat: tools listed and called, results passed through unchanged, a tool added at runtime
 * announced with {@code list_changed}, the SDK's session honoured and ended, and the SDK's legacy HTTP+SSE server.
 */
@Timeout(30)
class SdkInteropHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PLUGIN = "sdk";

    @TempDir
    Path tomcatDir;

    private final RecordingListener events = new RecordingListener();
    private final McpGateway gateway = McpGateway.builder()
            .config(GatewayConfig.builder().callTimeout(WAIT)
                    .sessionOptions(SessionOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(6))).build())
            .transport(new HttpTransport(HttpClientOptions.builder().requestTimeout(WAIT)
                    .closeTimeout(Duration.ofSeconds(2)).build()))
            .listener(events)
            .build();
    private SdkHttpServer server;

    @AfterEach
    void tearDown() {
        gateway.close();
        if (server != null) {
            server.close();
        }
    }

    private PluginInstance addPlugin(SdkHttpServer sdk) throws Exception {
        server = sdk;
        PluginManifest manifest = PluginManifest.builder(PLUGIN).version("2.1.0")
                .transport(new TransportSpec.Http(sdk.uri(), Map.of())).build();
        return gateway.addPlugin(manifest).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private CallToolResult call(String tool, JsonNode arguments) throws Exception {
        return gateway.callTool(tool, arguments).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static List<String> names(List<ExposedTool> tools) {
        return tools.stream().map(ExposedTool::exposedName).toList();
    }

    @Test
    void sdkToolsAreListedAndCalledWithTheirResultsPassedThroughUnchanged() throws Exception {
        PluginInstance instance = addPlugin(SdkHttpServer.streamable(tomcatDir));

        assertEquals(InstanceStatus.UP, instance.status());
        assertEquals(List.of("sdk__add", "sdk__boom", "sdk__grow", "sdk__structured"), names(gateway.listTools()));
        ExposedTool add = gateway.routingTable().routeByExposedName("sdk__add").tool();
        assertEquals(Json.mapper().readTree("{\"a\":{\"type\":\"number\"},\"b\":{\"type\":\"number\"}}"),
                add.definition().inputSchema().get("properties"));
        assertEquals("Adds two numbers", add.toJson().path("description").asText());
        assertEquals(Json.mapper().readTree(SdkHttpServer.WEATHER_SCHEMA), gateway.routingTable()
                .routeByExposedName("sdk__structured").tool().toJson().get("outputSchema"));

        CallToolResult sum = call("sdk__add", Json.object().put("a", 2).put("b", 40.5));
        assertEquals("42.5", sum.firstText());
        assertFalse(sum.isError());

        CallToolResult weather = call("sdk__structured", Json.object().put("city", "Paris"));
        assertEquals(Json.mapper().readTree("{\"city\":\"Paris\",\"temperature\":21.5,\"tags\":[\"sunny\",\"dry\"]}"),
                weather.structuredContent());
        assertEquals("weather in Paris", weather.firstText());
        assertFalse(weather.isError());

        CallToolResult boom = call("sdk__boom", Json.object());
        assertTrue(boom.isError(), "a tool failure is a result, not a failed call: " + boom.json());
        assertTrue(boom.json().get("isError").isBoolean());
        assertEquals(Json.mapper().readTree("[{\"type\":\"text\",\"text\":\"boom: it failed on purpose\"}]"),
                boom.content());
    }

    @Test
    void aToolTheSdkAddsAtRuntimeReachesTheRoutingTableThroughListChanged() throws Exception {
        addPlugin(SdkHttpServer.streamable(tomcatDir));
        assertNull(gateway.routingTable().routeByExposedName("sdk__grown"));
        // The SDK pushes list_changed on the session's GET stream only; the gateway opens it after the handshake.
        Await.until("the gateway opened the SDK session's event stream", WAIT, () -> server.eventStreamsOpened() > 0);

        assertEquals("grew", call("sdk__grow", Json.object()).firstText());

        Await.until("sdk__grown is routable", WAIT, () -> gateway.routingTable().routeByExposedName("sdk__grown") != null);
        assertEquals(List.of("sdk__add", "sdk__boom", "sdk__grow", "sdk__grown", "sdk__structured"),
                names(gateway.listTools()));
        assertEquals("grown", call("sdk__grown", Json.object()).firstText());
        assertTrue(events.events(GatewayEvent.ManifestChanged.class).stream().anyMatch(changed ->
                changed.instance().manifest().tools().stream().anyMatch(tool -> tool.name().equals("grown"))));
    }

    @Test
    void theSessionTheSdkAssignsIsSentOnEveryLaterRequestAndDeletedOnClose() throws Exception {
        addPlugin(SdkHttpServer.streamable(tomcatDir));
        call("sdk__add", Json.object().put("a", 1).put("b", 1));

        List<SdkHttpServer.Seen> seen = server.requests();
        List<SdkHttpServer.Seen> assigning = seen.stream().filter(s -> s.assignedSession() != null).toList();
        assertEquals(1, assigning.size(), "one initialize, one session: " + seen);
        String session = assigning.getFirst().assignedSession();
        assertNull(assigning.getFirst().sessionId(), "initialize carries no session");
        List<SdkHttpServer.Seen> later = seen.subList(seen.indexOf(assigning.getFirst()) + 1, seen.size());
        assertFalse(later.isEmpty());
        for (SdkHttpServer.Seen request : later) {
            assertEquals(session, request.sessionId(), "every request after initialize carries the session: " + request);
            assertEquals("2025-11-25", request.protocolVersion(), "and the version the SDK agreed to: " + request);
            assertTrue(request.status() < 400, "the SDK accepted " + request);
        }

        gateway.close();

        List<SdkHttpServer.Seen> deletes = server.requests().stream().filter(s -> s.method().equals("DELETE")).toList();
        assertEquals(1, deletes.size(), "closing the gateway ends the session: " + server.requests());
        assertEquals(session, deletes.getFirst().sessionId());
        assertEquals(200, deletes.getFirst().status());
    }

    @Test
    void theSdksLegacyHttpSseServerIsListedCalledAndAnnouncesNewTools() throws Exception {
        PluginInstance instance = addPlugin(SdkHttpServer.legacySse(tomcatDir));

        assertEquals(InstanceStatus.UP, instance.status());
        assertEquals(List.of("sdk__add", "sdk__boom", "sdk__grow", "sdk__structured"), names(gateway.listTools()));
        assertEquals("5", call("sdk__add", Json.object().put("a", 2).put("b", 3)).firstText());
        assertTrue(call("sdk__boom", Json.object()).isError());
        assertEquals("grew", call("sdk__grow", Json.object()).firstText());
        Await.until("sdk__grown is routable", WAIT, () -> gateway.routingTable().routeByExposedName("sdk__grown") != null);
        assertEquals("grown", call("sdk__grown", Json.object()).firstText());

        List<SdkHttpServer.Seen> seen = server.requests();
        assertTrue(seen.stream().anyMatch(s -> s.method().equals("GET") && s.path().equals("/sse") && s.status() == 200),
                "the gateway opened the legacy event stream: " + seen);
        List<SdkHttpServer.Seen> messages = seen.stream().filter(s -> s.path().equals("/message")).toList();
        assertFalse(messages.isEmpty(), "messages went to the endpoint the event stream named: " + seen);
        assertTrue(messages.stream().allMatch(s -> s.method().equals("POST") && s.status() < 400), seen.toString());
        assertEquals(Health.HEALTHY, gateway.registry().instance(instance.id()).orElseThrow().health(),
                "the fallback is not a failure");
    }
}
