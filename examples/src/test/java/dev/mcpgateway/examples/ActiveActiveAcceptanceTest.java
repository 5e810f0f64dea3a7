package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.examples.demo.ClockPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.persistence.PostgresRegistryStore;
import dev.mcpgateway.persistence.RedisChangeEvents;
import dev.mcpgateway.persistence.RedisOptions;
import dev.mcpgateway.persistence.RedisSessionStore;
import dev.mcpgateway.persistence.testing.TcpProxy;
import dev.mcpgateway.persistence.testing.TestPostgres;
import dev.mcpgateway.persistence.testing.TestRedis;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.http.HttpTransport;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's acceptance: three gateways A, B and C, each as a host embeds one (a PostgreSQL registry store with Redis
 * change events, a Redis session store, the built-in HTTP front door), sharing one PostgreSQL schema and one Redis, in
 * front of a plugin built with the official MCP Java SDK. A plugin registered on A is routable on B; one legacy client
 * session, begun on A, goes on request by request on B and C — its stream on A hears a notification caused on C, and a
 * question the plugin asks through B is answered through C; a 2026-07-28 client's retry of an {@code input_required}
 * round B issued is served through C; Redis and then PostgreSQL are taken away and given back
 * (through TCP relays, the servers others use stay up); and A, restarted, serves the table from PostgreSQL before
 * it says it is ready, and the client's session with it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ActiveActiveAcceptanceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ACCEPT = "application/json, text/event-stream";
    private static final String VERSION = "2025-11-25";

    private final TestPostgres.Schema schema = TestPostgres.newSchema();
    private final RedisOptions redisDirect = TestRedis.options().build();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();
    private TcpProxy postgres;
    private TcpProxy redis;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
        http.close();
        schema.close();
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    /** One gateway as a host builds it: a few lines, all through the relays the test can cut. */
    private final class Gateway implements AutoCloseable {
        final McpGateway gateway;
        final RedisChangeEvents events;
        final RedisSessionStore sessions;
        final McpServer server;
        final McpHttpServer front;

        Gateway() throws IOException {
            TestPostgres.Server db = schema.server();
            RedisOptions redisOptions = TestRedis.options().channel(redisDirect.channel()).host("127.0.0.1")
                    .port(redis.port()).build();
            events = RedisChangeEvents.open(redisOptions);
            gateway = McpGateway.builder()
                    // Only events, and the pass after Redis returns, can explain how quickly gateways follow each other.
                    .config(GatewayConfig.builder().callTimeout(WAIT).storeReconcileInterval(Duration.ofHours(1))
                            .build())
                    .transport(new HttpTransport())
                    .registryStore(PostgresRegistryStore.open(schema.options()
                            .jdbcUrl("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + db.database()).build())
                            .withChangeEvents(events))
                    .build();
            sessions = RedisSessionStore.open(redisOptions);
            server = McpServer.create(gateway, ServerOptions.defaults(), sessions);
            front = McpHttpServer.start(server, HttpFrontDoorOptions.builder().host("127.0.0.1").port(0).build());
        }

        URI uri(String path) {
            return front.endpoint().resolve(path);
        }

        boolean routes(String tool) {
            return gateway.routingTable().routeByExposedName(tool) != null;
        }

        @Override
        public void close() {
            front.close();
            server.close();
            gateway.close();
            events.close();
        }
    }

    private HttpResponse<String> register(Gateway on, String id, String name, URI url) throws Exception {
        String manifest = "{\"instanceId\":\"" + id + "\",\"name\":\"" + name + "\",\"version\":\"1.0.0\","
                + "\"transport\":{\"type\":\"http\",\"url\":\"" + url + "\"}}";
        return http.send(HttpRequest.newBuilder(on.uri("/api/v1/plugins")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(manifest)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Accepted: 201 when its first health check already passed, 202 while it is still being checked. */
    private static void assertRegistered(HttpResponse<String> response, String... why) {
        assertTrue(response.statusCode() == 201 || response.statusCode() == 202,
                String.join(" ", why) + " " + response.statusCode() + " " + response.body());
    }

    private HttpRequest.Builder mcp(Gateway on, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(on.uri("/mcp")).header("Content-Type", "application/json")
                .header("Accept", ACCEPT).POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", VERSION);
        }
        return request;
    }

    private JsonNode rpc(Gateway on, String session, String body) throws Exception {
        return rpc(on, session, body, null);
    }

    /** As {@link #rpc(Gateway, String, String)}; a 2026-07-28 request ({@code modern} set) with its headers. */
    private JsonNode rpc(Gateway on, String session, String body, String modern) throws Exception {
        HttpRequest.Builder request = mcp(on, session, body);
        if (modern != null) {
            request.header("MCP-Protocol-Version", modern).header("Mcp-Method", "tools/call")
                    .header("Mcp-Name", "relay__ask_name");
        }
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode(), "answer of " + body);
        return lastData(response.body().iterator());
    }

    /** The JSON of the next {@code data:} line of an event stream, or the whole JSON body. */
    private static JsonNode lastData(Iterator<String> lines) throws IOException {
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data:")) {
                return Json.mapper().readTree(line.substring(5).trim());
            }
            if (line.startsWith("{")) {
                return Json.mapper().readTree(line);
            }
        }
        throw new AssertionError("the answer ended without a message");
    }

    private String initialize(Gateway on) throws Exception {
        HttpResponse<String> response = http.send(mcp(on, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
                + "\"initialize\",\"params\":{\"protocolVersion\":\"" + VERSION + "\",\"capabilities\":"
                + "{\"elicitation\":{}},\"clientInfo\":{\"name\":\"acceptance\",\"version\":\"1\"}}}").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    /**
     * Opens the session's GET stream on a gateway; what it hears lands in the list. The stream is read on a thread of
     * its own: had the headers come before {@code thenAccept} was attached, the test's thread would read it forever.
     */
    private List<JsonNode> stream(Gateway on, String session) {
        List<JsonNode> heard = new CopyOnWriteArrayList<>();
        http.sendAsync(HttpRequest.newBuilder(on.uri("/mcp")).header("Accept", "text/event-stream")
                        .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", VERSION).GET().build(),
                HttpResponse.BodyHandlers.ofLines()).thenAcceptAsync(response -> response.body().forEach(line -> {
                    if (line.startsWith("data:")) {
                        try {
                            heard.add(Json.mapper().readTree(line.substring(5).trim()));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }), task -> Thread.ofVirtual().name("get-stream-reader").start(task));
        return heard;
    }

    /** A 2026-07-28 {@code tools/call} of {@code relay__ask_name} with the given params besides its name. */
    private static String stateless(int id, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"relay__ask_name\",\"arguments\":{}," + params + "}}";
    }

    private static String text(JsonNode result) {
        return result.path("result").path("content").path(0).path("text").asText();
    }

    @Test
    void threeGatewaysServeOneRegistryAndOneClientSessionThroughOutagesAndARestart(@TempDir Path tomcat)
            throws Exception {
        TestPostgres.Server db = schema.server();
        postgres = opened(TcpProxy.to(db.host(), db.port()));
        redis = opened(TcpProxy.to(redisDirect.host(), redisDirect.port()));
        RelayingSdkHttpPlugin relay = opened(new RelayingSdkHttpPlugin(tomcat));
        ClockPlugin clock = opened(ClockPlugin.start("127.0.0.1", 0));
        Gateway a = opened(new Gateway());
        Gateway b = opened(new Gateway());
        Gateway c = opened(new Gateway());
        Await.until("every gateway hears the others", WAIT, () -> a.events.subscribed() && b.events.subscribed()
                && c.events.subscribed() && a.sessions.subscribed() && b.sessions.subscribed()
                && c.sessions.subscribed());

        // Register on A, routable on B.
        URI relayUrl = relay.endpoint();
        long registering = System.nanoTime();
        assertRegistered(register(a, "relay-1", "relay", relayUrl));
        long acknowledged = System.nanoTime();
        Await.until("B knows relay-1", WAIT, () -> b.gateway.registry().instance("relay-1").isPresent());
        long known = System.nanoTime();
        Await.until("B routes relay__ask_name", WAIT, () -> b.routes("relay__ask_name"));
        System.out.printf("Registered on gateway A (acknowledged in %.1f ms): known to gateway B %.1f ms after A"
                + " acknowledged it, routable there %.1f ms after (B's own session with the plugin and its tools/list)%n",
                (acknowledged - registering) / 1e6, (known - acknowledged) / 1e6, (System.nanoTime() - known) / 1e6);
        Await.until("C routes it too", WAIT, () -> c.routes("relay__ask_name"));

        // A session begun on A, its stream open on A, goes on on B and C.
        String session = initialize(a);
        List<JsonNode> onA = stream(a, session);
        HttpResponse<String> initialized = http.send(mcp(b, session,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, initialized.statusCode(), "B knows the session A began: " + initialized.body());
        JsonNode tools = rpc(c, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        assertTrue(tools.toString().contains("relay__ask_name"), tools.toString());

        // A question the plugin asks through B, answered through C.
        HttpResponse<Stream<String>> call = http.send(mcp(b, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":"
                + "\"tools/call\",\"params\":{\"name\":\"relay__ask_name\",\"arguments\":{}}}").build(),
                HttpResponse.BodyHandlers.ofLines());
        Iterator<String> callStream = call.body().iterator();
        JsonNode question = lastData(callStream);
        assertEquals("elicitation/create", question.path("method").asText(), question.toString());
        HttpResponse<String> answered = http.send(mcp(c, session, "{\"jsonrpc\":\"2.0\",\"id\":"
                + question.get("id") + ",\"result\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}}").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, answered.statusCode(), answered.body());
        assertEquals("Nice to meet you, Ada!", text(lastData(callStream)),
                "the answer sent to C reached the plugin's question asked through B");

        // A 2026-07-28 client: the plugin's question comes back as input_required from B; the retry sent to C is
        // served by B, which holds the suspended call.
        String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}},"
                + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"acceptance\",\"version\":\"1\"}}";
        JsonNode interim = rpc(b, null, stateless(10, meta), "2026-07-28").path("result");
        assertEquals("input_required", interim.path("resultType").asText(), interim.toString());
        String key = interim.path("inputRequests").properties().iterator().next().getKey();
        JsonNode retried = rpc(c, null, stateless(11, meta + ",\"requestState\":" + interim.get("requestState")
                + ",\"inputResponses\":{\"" + key + "\":{\"action\":\"accept\",\"content\":{\"name\":\"Eve\"}}}"),
                "2026-07-28");
        assertEquals("Nice to meet you, Eve!", text(retried), "the retry sent to C reached the call held by B");

        // A notification caused on C reaches the stream held on A.
        assertRegistered(register(c, "clock-1", "clock", clock.endpoint()));
        Await.until("A's stream hears the tools change", WAIT, () -> onA.stream().anyMatch(message ->
                "notifications/tools/list_changed".equals(message.path("method").asText())));

        // Redis away: routing and registrations go on, and the gateways converge once it is back.
        redis.cut();
        Await.until("the gateways notice", WAIT, () -> !a.events.subscribed() && !b.sessions.subscribed());
        assertEquals("Nice to meet you, Bo!", text(callAnswering(a, session, 4, "Bo")),
                "a session every gateway holds goes on without Redis");
        assertRegistered(register(a, "clock-2", "clock", clock.endpoint()),
                "PostgreSQL takes registrations while Redis is away");
        redis.restore();
        Await.until("B learns of clock-2 once Redis is back", WAIT,
                () -> b.gateway.registry().instance("clock-2").isPresent());
        String later = initialize(b);
        assertEquals(200, http.send(mcp(c, later, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "sessions are shared again");

        // PostgreSQL away: calls go on, writes are refused cleanly, then accepted again.
        postgres.cut();
        assertEquals("Nice to meet you, Cy!", text(callAnswering(c, session, 6, "Cy")));
        HttpResponse<String> refused = register(b, "clock-3", "clock", clock.endpoint());
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertTrue(b.gateway.registry().instance("clock-3").isEmpty(), "nothing half-applied");
        postgres.restore();
        Await.until("the registration goes through once PostgreSQL is back", WAIT, () -> {
            try {
                int status = register(b, "clock-3", "clock", clock.endpoint()).statusCode();
                return status == 201 || status == 202;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        // A restarted: its table comes from PostgreSQL before it is ready, and the client's session goes on with it.
        opened.remove(a);
        a.close();
        Gateway restarted = opened(new Gateway());
        for (String id : List.of("relay-1", "clock-1", "clock-2", "clock-3")) {
            assertTrue(restarted.gateway.registry().instance(id).isPresent(),
                    id + " was registered again from PostgreSQL before the gateway returned from build");
        }
        assertEquals(200, http.send(HttpRequest.newBuilder(restarted.uri("/readyz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        Await.until("A restarted routes the tools", WAIT, () -> restarted.routes("relay__ask_name")
                && restarted.routes("clock__now"));
        assertEquals("Nice to meet you, Di!", text(callAnswering(restarted, session, 7, "Di")),
                "the session A began is served by A restarted");
    }

    /** Calls {@code relay__ask_name} on a gateway and answers its question there with {@code name}. */
    private JsonNode callAnswering(Gateway on, String session, int id, String name) throws Exception {
        HttpResponse<Stream<String>> call = http.send(mcp(on, session, "{\"jsonrpc\":\"2.0\",\"id\":" + id
                + ",\"method\":\"tools/call\",\"params\":{\"name\":\"relay__ask_name\",\"arguments\":{}}}").build(),
                HttpResponse.BodyHandlers.ofLines());
        Iterator<String> stream = call.body().iterator();
        JsonNode question = lastData(stream);
        assertEquals(202, http.send(mcp(on, session, "{\"jsonrpc\":\"2.0\",\"id\":" + question.get("id")
                + ",\"result\":{\"action\":\"accept\",\"content\":{\"name\":\"" + name + "\"}}}").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        return lastData(stream);
    }
}
