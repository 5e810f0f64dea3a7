package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.Implementation;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway's own routes ({@code /healthz}, {@code /readyz}, {@code /api/v1/gateway}) and the router's answers
 * for other paths, over real HTTP on 127.0.0.1, whichever server carries them: each subclass runs every test here
 * through one front door serving every route at the root. Behind it: a real gateway with an in-process plugin
 * {@code calc} of one instance and two tools.
 */
@Timeout(30)
abstract class GatewayRoutesContract {
    /** Opened by the test to let {@code calc__gate} return. */
    private final CountDownLatch gate = new CountDownLatch(1);

    private McpGateway gateway;
    private McpServer server;
    private PluginInstance calc;
    private FrontDoorContract.FrontDoor door;
    private final List<McpHttp> clients = new ArrayList<>();

    /** Starts the front door under test for the server, serving every route at the root; returns its MCP endpoint. */
    abstract FrontDoorContract.FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws Exception;

    /** The server behind the front door. */
    McpServer server() {
        return server;
    }

    @BeforeEach
    void setUp() throws Exception {
        gateway = McpGateway.builder().build();
        calc = gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds a and b", (args, ctx) ->
                        CallToolResult.text(Integer.toString(args.path("a").asInt() + args.path("b").asInt())))
                .tool("gate", "Returns once the test opens the gate", (args, ctx) -> {
                    gate.await();
                    return CallToolResult.text("through");
                })
                .build()).join();
        server = McpServer.create(gateway);
        door = start(server, FrontDoorContract.testOptions().build());
    }

    @AfterEach
    void tearDown() throws Exception {
        gate.countDown();
        clients.forEach(McpHttp::close);
        try {
            door.stopper().close();
        } finally {
            server.close();
            gateway.close();
        }
    }

    @Test
    void healthzIsUpWhileServing() {
        Reply health = get("/healthz");
        assertEquals(200, health.status(), health.body());
        assertEquals("application/json", health.header("Content-Type"));
        assertEquals("no-store", health.header("Cache-Control"));
        assertEquals("UP", json(health).path("status").asText());

        Reply head = client("/healthz").send(client("/healthz").plain("HEAD"));
        assertEquals(200, head.status());
        assertEquals("", head.body());
    }

    @Test
    void readyzIsReadyWhileEveryPluginHasARoutableInstance() {
        Reply ready = get("/readyz");
        assertEquals(200, ready.status(), ready.body());
        assertEquals("UP", json(ready).path("status").asText());
    }

    @Test
    void readyzListsThePluginsWithoutARoutableInstance() {
        gateway.registry().reportHealth(calc.id(), Health.UNHEALTHY, "3 probes timed out").join();

        Reply notReady = get("/readyz");
        assertEquals(503, notReady.status(), notReady.body());
        JsonNode body = json(notReady);
        assertEquals("DOWN", body.path("status").asText());
        JsonNode plugin = body.path("notReady").path(0);
        assertEquals("calc", plugin.path("plugin").asText());
        JsonNode instance = plugin.path("instances").path(0);
        assertEquals(calc.id(), instance.path("id").asText());
        assertEquals("UP", instance.path("status").asText());
        assertEquals("UNHEALTHY", instance.path("health").asText());
        assertEquals("3 probes timed out", instance.path("reason").asText());
        assertEquals("UP", json(get("/healthz")).path("status").asText(), "liveness is not readiness");

        gateway.registry().reportHealth(calc.id(), Health.HEALTHY, "probe answered").join();
        assertEquals(200, get("/readyz").status(), "ready again once an instance is routable");
    }

    @Test
    void pluginsRegisteredOverTheApiDoNotHoldReadinessHostage() {
        PluginManifest selfRegistered = PluginManifest.builder("notes").transport(new TransportSpec.InProcess("none"))
                .tool(Tool.builder("add").build()).build();
        gateway.registry().register(Registration.of("notes-1", selfRegistered).withSource(RegistrationSource.API)
                .withStatus(InstanceStatus.DOWN)).join();

        Reply ready = get("/readyz");
        assertEquals(200, ready.status(), "a self-registered plugin that is down is its own business: " + ready.body());
    }

    @Test
    void theSummaryReportsTheVersionAndTheCounts() {
        CompletableFuture<CallToolResult> held = gateway.callTool("calc__gate", Json.object());
        Await.until("the summary counts the call in flight", Duration.ofSeconds(10),
                () -> json(get("/api/v1/gateway")).path("callsInFlight").asInt() == 1);

        Reply summary = get("/api/v1/gateway");
        assertEquals(200, summary.status(), summary.body());
        JsonNode body = json(summary);
        Implementation info = server.options().serverInfo();
        assertEquals(info.name(), body.path("name").asText());
        assertEquals(info.version(), body.path("version").asText());
        assertEquals(Runtime.version().toString(), body.path("java").asText());
        assertEquals(1, body.path("plugins").asInt());
        assertEquals(2, body.path("tools").asInt());
        JsonNode instances = body.path("instances");
        assertEquals(1, instances.path("total").asInt());
        assertEquals(1, instances.path("routable").asInt());
        assertEquals(1, instances.path("byStatus").path("UP").asInt());
        assertEquals(0, instances.path("byStatus").path("OUT_OF_SERVICE").asInt());
        Health health = gateway.registry().instance(calc.id()).orElseThrow().health();
        assertEquals(1, instances.path("byHealth").path(health.name()).asInt(), health.name());

        gate.countDown();
        assertEquals("through", held.join().content().get(0).path("text").asText());
        Await.until("the finished call left the count", Duration.ofSeconds(10),
                () -> json(get("/api/v1/gateway")).path("callsInFlight").asInt() == 0);
    }

    @Test
    void anUnknownPathIsA404ProblemDocument() {
        for (String path : List.of("/other", "/healthz/extra", "/api/v1/gateways")) {
            Reply missing = get(path);
            assertProblem(missing, 404, "Not Found");
            assertTrue(json(missing).path("detail").asText().contains(path), missing.body());
        }
    }

    @Test
    void aLargeBodyLeftUnreadClosesTheConnectionSoItIsNotReused() {
        McpHttp other = client("/other");
        Reply refused = other.send(other.post("\"" + "x".repeat(200_000) + "\""));
        assertProblem(refused, 404, "Not Found");
        assertEquals("close", refused.header("Connection"), "the server drops a connection with a body left in it");
        assertEquals(200, get("/healthz").status(), "the next request, on a new connection, is served");

        Reply small = other.send(other.post("{\"unread\": true}"));
        assertProblem(small, 404, "Not Found");
        assertEquals(null, small.header("Connection"), "a small body is read and dropped: the connection is kept");
    }

    @Test
    void anotherMethodIs405WithAllow() {
        for (String method : List.of("POST", "DELETE", "PUT")) {
            Reply refused = client("/readyz").send(client("/readyz").plain(method));
            assertProblem(refused, 405, "Method Not Allowed");
            assertEquals("GET, HEAD", refused.header("Allow"), method);
        }
    }

    @Test
    void hostAndOriginAreCheckedOnEveryRoute() {
        for (String path : List.of("/healthz", "/readyz", "/api/v1/gateway", "/other")) {
            McpHttp http = client(path);
            assertProblem(http.raw("GET", null, "Host", "evil.example"), 421, "Misdirected Request");
            assertProblem(http.send(http.plain("GET", "Origin", "https://evil.example")), 403, "Forbidden");
            assertEquals(path.equals("/other") ? 404 : 200,
                    http.send(http.plain("GET", "Origin", "http://localhost:5173")).status(), path);
        }
    }

    @Test
    void theMcpEndpointStillAnswersBesideThem() {
        McpHttp mcp = client(door.endpoint().getPath());
        Reply listed = mcp.send(mcp.stateless("tools/list", null));
        assertEquals(200, listed.status(), listed.body());
        assertEquals(2, listed.result().path("tools").size(), listed.body());
    }

    private static void assertProblem(Reply reply, int status, String title) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals("application/problem+json", reply.header("Content-Type"));
        JsonNode problem = json(reply);
        assertEquals("about:blank", problem.path("type").asText());
        assertEquals(title, problem.path("title").asText());
        assertEquals(status, problem.path("status").asInt());
        assertNotNull(problem.get("detail"), reply.body());
    }

    private Reply get(String path) {
        McpHttp http = client(path);
        return http.send(http.plain("GET"));
    }

    /** A client for one route of the door under test. */
    private McpHttp client(String path) {
        McpHttp client = new McpHttp(door.endpoint().resolve(path));
        clients.add(client);
        return client;
    }

    private static JsonNode json(Reply reply) {
        try {
            return Json.mapper().readTree(reply.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
