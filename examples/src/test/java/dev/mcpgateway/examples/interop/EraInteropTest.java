package dev.mcpgateway.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.testing.NodePeer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway between independent implementations of both eras, none of them ours: in front of it the official
 * TypeScript SDK's v2 client pinned to 2026-07-28, its v1 client and the official Java SDK's client (legacy);
 * behind it the reference server {@code server-everything} over stdio (legacy) and a stateless 2026-07-28 server
 * written with the v2 server SDK over Streamable HTTP.
 */
@Timeout(120)
class EraInteropTest {
    private static final List<NodePeer> peers = new ArrayList<>();
    private static BothErasGateway gateway;
    private static URI endpoint;

    @BeforeAll
    static void start() throws IOException {
        gateway = BothErasGateway.start();
        endpoint = gateway.endpoint();
    }

    @AfterAll
    static void stop() {
        peers.forEach(NodePeer::close);
        if (gateway != null) {
            gateway.close();
        }
    }

    private static NodePeer peer(NodePeer peer) {
        peers.add(peer);
        return peer;
    }

    /** The client command that makes it accept every elicitation with this name. */
    private static ObjectNode acceptWithName(String name) {
        ObjectNode answer = NodePeer.op("setElicitationAnswer");
        answer.putObject("answer").put("action", "accept").putObject("content").put("name", name);
        return answer;
    }

    private static List<String> names(JsonNode list, String field) {
        return StreamSupport.stream(list.path(field).spliterator(), false).map(item -> item.path("name").asText()).toList();
    }

    @Test
    void aPinnedV2ClientListsToolsPromptsResourcesAndTemplatesOfBothPlugins() {
        NodePeer client = peer(NodePeer.v2Client(endpoint));
        JsonNode connected = client.call(NodePeer.op("connect"));
        assertEquals("2026-07-28", connected.path("protocolVersion").asText());

        JsonNode tools = client.request(NodePeer.op("listTools"));
        List<String> toolNames = names(tools.path("result"), "tools");
        assertTrue(toolNames.contains("everything__echo") && toolNames.contains("modern__count"), toolNames.toString());
        assertTrue(tools.path("raw").path("ttlMs").isIntegralNumber(), "the caching hints the v2 client requires");
        assertTrue(tools.path("raw").path("cacheScope").isTextual());

        List<String> prompts = names(client.call(NodePeer.op("listPrompts")), "prompts");
        assertTrue(prompts.contains("modern__greeting") && prompts.stream().anyMatch(p -> p.startsWith("everything__")),
                prompts.toString());
        List<String> resources = StreamSupport.stream(client.call(NodePeer.op("listResources")).path("resources")
                .spliterator(), false).map(r -> r.path("uri").asText()).toList();
        assertTrue(resources.contains("memo://readme") && resources.size() > 1, resources.toString());
        JsonNode templates = client.call(NodePeer.op("listResourceTemplates")).path("resourceTemplates");
        assertTrue(StreamSupport.stream(templates.spliterator(), false)
                .anyMatch(t -> t.path("uriTemplate").asText().equals("memo://notes/{id}")), templates.toString());

        JsonNode read = client.request(NodePeer.op("readResource").put("uri", "memo://readme"));
        assertFalse(read.has("error"), read.toString());
        assertEquals(5_000, read.path("raw").path("ttlMs").asLong(), "the modern plugin's own hint passes through");
    }

    @Test
    void aPinnedV2ClientCallsTheLegacyStdioPluginAndTheModernHttpPluginWithProgressFromBoth() {
        NodePeer client = peer(NodePeer.v2Client(endpoint));
        ObjectNode longRunning = NodePeer.op("callTool").put("name", "everything__trigger-long-running-operation")
                .put("progress", true);
        longRunning.putObject("arguments").put("duration", 0.3).put("steps", 3);
        JsonNode legacy = client.request(longRunning);
        assertTrue(legacy.path("result").path("content").get(0).path("text").asText().contains("completed"), legacy.toString());
        assertEquals(3, legacy.path("progress").size(), legacy.toString());

        ObjectNode count = NodePeer.op("callTool").put("name", "modern__count").put("progress", true);
        count.putObject("arguments").put("n", 3);
        JsonNode modern = client.request(count);
        assertEquals("counted to 3", modern.path("result").path("content").get(0).path("text").asText(), modern.toString());
        assertEquals(3, modern.path("progress").size(), modern.toString());

        ObjectNode region = NodePeer.op("callTool").put("name", "modern__region_query");
        region.putObject("arguments").put("region", "us-west1").put("query", "select 1");
        JsonNode mirrored = client.request(region);
        assertEquals("us-west1: select 1", mirrored.path("result").path("content").get(0).path("text").asText(),
                "Mcp-Param-Region checked by the gateway and sent on to the plugin: " + mirrored);
    }

    @Test
    void aPinnedV2ClientCompletesAnElicitationRaisedByTheLegacyPluginAsInputRequired() {
        NodePeer client = peer(NodePeer.v2Client(endpoint));
        ObjectNode answer = acceptWithName("Ada Lovelace");
        client.call(answer);

        JsonNode reply = client.request(NodePeer.op("callTool").put("name", "everything__trigger-elicitation-request")
                .put("wire", true));
        assertFalse(reply.has("error"), reply.toString());
        assertTrue(reply.path("result").toString().contains("Ada Lovelace"), reply.toString());
        assertEquals(1, reply.path("elicitations").size(), "asked once, as an input request: " + reply);
        assertTrue(reply.path("wire").toString().contains("input_required"), "bridged to input_required: " + reply);

        client.call(answer); // and the modern plugin's own input_required passes through to a modern client
        JsonNode modern = client.request(NodePeer.op("callTool").put("name", "modern__ask_name"));
        assertEquals("Hello, Ada Lovelace", modern.path("result").path("content").get(0).path("text").asText(),
                modern.toString());
    }

    @Test
    void theV1ClientCompletesAnElicitationRaisedByTheModernPluginsInputRequired() {
        NodePeer client = peer(NodePeer.v1Client(endpoint));
        client.call(acceptWithName("Grace"));

        JsonNode reply = client.request(NodePeer.op("callTool").put("name", "modern__ask_name"));
        assertEquals("Hello, Grace", reply.path("result").path("content").get(0).path("text").asText(), reply.toString());
        assertEquals(1, reply.path("elicitations").size(), "asked as a legacy elicitation/create: " + reply);
        assertFalse(reply.path("result").has("resultType") && "input_required".equals(reply.path("result")
                .path("resultType").asText()));
    }

    @Test
    void theJavaSdkClientCompletesAnElicitationRaisedByTheModernPluginsInputRequired() {
        List<McpSchema.ElicitRequest> asked = new ArrayList<>();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder(endpoint.resolve("/").toString()).endpoint(endpoint.getPath()).build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20))
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> {
                    asked.add(request);
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("name", "Linus"));
                })
                .build();
        try {
            client.initialize();
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("modern__ask_name", Map.of()));
            assertEquals("Hello, Linus", ((McpSchema.TextContent) result.content().get(0)).text());
            assertEquals(1, asked.size());
        } finally {
            client.closeGracefully();
        }
    }
}
