package dev.mcpgateway.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.stdio.testserver.SdkStdioServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interoperability with the official MCP Java SDK: the gateway launches an SDK-built server
 * ({@link SdkStdioServer}) as a real child process over {@link StdioTransport}, negotiates, lists and calls its
 * tools, and follows its {@code tools/list_changed}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SdkInteropStdioTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration GRACE = Duration.ofMillis(500);

    private final PluginProcesses processes = new PluginProcesses();
    private final McpGateway gateway = McpGateway.builder()
            .transport(new StdioTransport(StdioOptions.defaults().withShutdownGrace(GRACE).withKillGrace(GRACE)))
            .build();
    private PluginInstance instance;

    @BeforeEach
    void startTheSdkServer() throws Exception {
        PluginManifest manifest = PluginManifest.builder("sdk").version("2.1.0").transport(SdkStdioServer.spec()).build();
        instance = gateway.addPlugin(manifest).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void closeGateway() {
        processes.closeAndCheckNoneLeft(gateway);
    }

    @Test
    void listsTheSdkServersToolsWithTheirSchemas() {
        assertEquals(InstanceStatus.UP, instance.status());
        assertEquals(Set.of("sdk__add", "sdk__structured", "sdk__boom", "sdk__grow"), exposedNames());
        assertEquals(1, processes.started().size(), "one SDK server process");

        ObjectNode add = definition("sdk__add");
        assertEquals("Adds two numbers", add.path("description").asText());
        assertEquals(Json.mapper().valueToTree(Map.of("type", "object",
                "properties", Map.of("a", Map.of("type", "number"), "b", Map.of("type", "number")),
                "required", List.of("a", "b"))), add.get("inputSchema"));
        ObjectNode structured = definition("sdk__structured");
        assertEquals(Set.of("city", "temperature", "tags"), fieldNames(structured.path("outputSchema").path("properties")));
        assertEquals("array", structured.path("outputSchema").path("properties").path("tags").path("type").asText());
    }

    @Test
    void callsReachTheSdkServerAndResultsComeBackUnchanged() throws Exception {
        CallToolResult sum = call("sdk__add", Json.object().put("a", 2).put("b", 3.5));
        assertEquals("5.5", sum.firstText());
        assertFalse(sum.isError());
        assertEquals("text", sum.content().get(0).path("type").asText());

        CallToolResult structured = call("sdk__structured", Json.object().put("city", "Berlin"));
        JsonNode expected = Json.mapper().valueToTree(SdkStdioServer.WEATHER);
        assertEquals(expected, structured.structuredContent(), () -> "structuredContent as the SDK sent it: " + structured.json());
        assertEquals("weather in Berlin", structured.firstText());
        assertFalse(structured.isError());

        CallToolResult boom = call("sdk__boom", Json.object());
        assertTrue(boom.isError(), () -> "isError passes through: " + boom.json());
        assertEquals("boom: it failed on purpose", boom.firstText());
        assertNull(boom.structuredContent());
    }

    @Test
    void toolsAddedAtRuntimeReachTheRoutingTableThroughListChanged() throws Exception {
        assertNull(gateway.routingTable().routeByExposedName("sdk__grown"));

        assertEquals("grew", call("sdk__grow", Json.object()).firstText());

        Await.until("the tool the SDK server added is routable", WAIT,
                () -> gateway.routingTable().routeByExposedName("sdk__grown") != null);
        assertEquals("grown", call("sdk__grown", Json.object()).firstText());
        assertEquals(Set.of("sdk__add", "sdk__structured", "sdk__boom", "sdk__grow", "sdk__grown"), exposedNames());
    }

    private CallToolResult call(String tool, JsonNode arguments) throws Exception {
        return gateway.callTool(tool, arguments).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ObjectNode definition(String exposedName) {
        return gateway.listTools().stream().filter(tool -> tool.exposedName().equals(exposedName)).findFirst()
                .orElseThrow().definition().json();
    }

    private Set<String> exposedNames() {
        return gateway.listTools().stream().map(ExposedTool::exposedName).collect(Collectors.toSet());
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
