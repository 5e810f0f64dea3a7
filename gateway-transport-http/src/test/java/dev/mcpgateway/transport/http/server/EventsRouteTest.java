package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.McpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/events} over real HTTP on loopback: a plugin registered, drained and deregistered shows up newest
 * first, {@code limit} bounds the answer, and a bad {@code limit} is refused saying what would do.
 */
class EventsRouteTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private McpGateway gateway;
    private McpServer server;
    private McpHttpServer front;
    private String base;

    @BeforeEach
    void start() throws Exception {
        gateway = McpGateway.builder().build();
        server = McpServer.create(gateway);
        front = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(0).build());
        base = "http://127.0.0.1:" + front.address().getPort();
    }

    @AfterEach
    void close() {
        front.close();
        server.close();
        gateway.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode events(String query) throws Exception {
        HttpResponse<String> reply = send("GET", "/api/v1/events" + query);
        assertEquals(200, reply.statusCode(), reply.body());
        return Json.mapper().readTree(reply.body()).path("events");
    }

    private static List<String> kinds(JsonNode events) {
        List<String> kinds = new ArrayList<>();
        events.forEach(event -> kinds.add(event.path("kind").asText()));
        return kinds;
    }

    @Test
    void aPluginsLifeIsListedNewestFirst() throws Exception {
        String id = gateway.registerInProcess(InProcessPlugin.builder("clock")
                .tool("now", "The time", (args, context) -> CallToolResult.text("noon")).build()).join().id();
        assertEquals(200, send("POST", "/api/v1/plugins/" + id + "/drain").statusCode());
        assertEquals(200, send("DELETE", "/api/v1/plugins/" + id).statusCode());

        JsonNode events = events("");
        List<String> kinds = kinds(events);
        assertEquals("deregistered", kinds.get(0), kinds.toString());
        assertTrue(kinds.indexOf("status") < kinds.indexOf("registered"), kinds.toString());
        assertEquals("registered", kinds.get(kinds.size() - 1), kinds.toString());
        JsonNode status = events.get(kinds.indexOf("status"));
        assertEquals(id, status.path("instance").asText());
        assertEquals("clock", status.path("plugin").asText());
        assertEquals("UP", status.path("from").asText());
        assertEquals("OUT_OF_SERVICE", status.path("to").asText());
        assertTrue(status.path("time").asText().endsWith("Z"), status.toString());

        assertEquals(List.of("deregistered"), kinds(events("?limit=1")));
    }

    @Test
    void aBadLimitIsRefusedSayingWhatWould() throws Exception {
        for (String limit : List.of("0", "201", "many")) {
            HttpResponse<String> reply = send("GET", "/api/v1/events?limit=" + limit);
            assertEquals(400, reply.statusCode(), reply.body());
            assertTrue(reply.body().contains("between 1 and 200"), reply.body());
        }
        assertEquals(400, send("GET", "/api/v1/events?since=1").statusCode());
    }
}
