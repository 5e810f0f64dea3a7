package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.TestServer.json;
import static dev.mcpgateway.transport.http.TestServer.sse;
import static dev.mcpgateway.transport.http.TestServer.status;
import static dev.mcpgateway.transport.http.TestServer.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.RecordingListener;
import dev.mcpgateway.transport.SessionOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP plugins that misbehave or are old, through the whole gateway ({@link McpGateway} with {@link HttpTransport})
 * against real HTTP servers on loopback: a dropped session, a server that speaks only the 2024-11-05 HTTP+SSE
 * transport, and a plugin nobody listens for.
 */
@Timeout(30)
class HttpPluginsThroughGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String END = "end";

    private final RecordingListener events = new RecordingListener();
    private final McpGateway gateway = McpGateway.builder()
            .config(GatewayConfig.builder().callTimeout(WAIT).sessionOptions(SessionOptions.defaults()
                    .withHandshakeTimeout(Duration.ofSeconds(6))
                    .withRestartBackoff(Duration.ofMillis(20), Duration.ofMillis(200))).build())
            .transport(new HttpTransport(HttpClientOptions.builder().connectTimeout(Duration.ofSeconds(2))
                    .requestTimeout(WAIT).closeTimeout(Duration.ofMillis(500)).build()))
            .listener(events)
            .build();
    // What the legacy server's event stream writes next; END ends it.
    private final BlockingQueue<String> outgoing = new LinkedBlockingQueue<>();
    private TestServer server;

    @BeforeEach
    void setUp() throws IOException {
        server = new TestServer();
    }

    @AfterEach
    void tearDown() {
        gateway.close();
        outgoing.add(END);
        server.close();
    }

    private static PluginManifest plugin(String name, URI url) {
        return PluginManifest.builder(name).version("1.0.0").transport(new TransportSpec.Http(url, Map.of())).build();
    }

    private static String result(JsonRpcRequest request, String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + request.id() + ",\"result\":" + result + "}";
    }

    private static String method(TestServer.Seen seen) {
        return switch (JsonRpcCodec.INSTANCE.decode(seen.body())) {
            case JsonRpcRequest request -> request.method();
            case JsonRpcNotification notification -> notification.method();
            case JsonRpcResponse response -> "response";
        };
    }

    /**
     * A legacy (2025-06-18) Streamable HTTP server at {@code /mcp} with one tool, {@code whoami}, which answers
     * with the session it was called in. It forgets its session whenever {@code liveSession} is cleared: requests
     * carrying any other session id get 404, as the specification says.
     */
    private void serveStreamable(AtomicReference<String> liveSession) {
        AtomicInteger sessions = new AtomicInteger();
        server.on("POST", "/mcp", (exchange, seen) -> {
            JsonRpcMessage message = JsonRpcCodec.INSTANCE.decode(seen.body());
            String session = seen.header("Mcp-Session-Id");
            if (message instanceof JsonRpcRequest request && request.method().equals("initialize")) {
                String minted = "session-" + sessions.incrementAndGet();
                liveSession.set(minted);
                json(exchange, 200, result(request, "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},"
                        + "\"serverInfo\":{\"name\":\"streamable\",\"version\":\"1\"}}"), "Mcp-Session-Id", minted);
            } else if (message instanceof JsonRpcRequest request && request.method().equals("server/discover")) {
                // A legacy server: no stateless era, and no session on the probe either.
                status(exchange, 400);
            } else if (!Objects.equals(session, liveSession.get())) {
                status(exchange, 404);
            } else if (message instanceof JsonRpcRequest request) {
                json(exchange, 200, switch (request.method()) {
                    case "tools/list" -> result(request, "{\"tools\":[{\"name\":\"whoami\",\"inputSchema\":{\"type\":\"object\"}}]}");
                    case "tools/call" -> result(request, "{\"content\":[{\"type\":\"text\",\"text\":\"" + session + "\"}]}");
                    case "ping" -> result(request, "{}");
                    default -> "{\"jsonrpc\":\"2.0\",\"id\":" + request.id()
                            + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}";
                });
            } else {
                status(exchange, 202);
            }
        });
    }

    @Test
    void aPluginThatDropsItsSessionIsInitializedAgainAndTheCallSucceeds() throws Exception {
        AtomicReference<String> liveSession = new AtomicReference<>();
        serveStreamable(liveSession);
        PluginInstance instance = gateway.addPlugin(plugin("sessions", server.uri("/mcp"))).get(10, TimeUnit.SECONDS);
        assertEquals("session-1", gateway.callTool("sessions__whoami", Json.object()).get(10, TimeUnit.SECONDS).firstText());
        int postsBefore = server.requests("POST").size();

        liveSession.set(null);
        String answer = gateway.callTool("sessions__whoami", Json.object()).get(10, TimeUnit.SECONDS).firstText();

        assertEquals("session-2", answer, "the call went again, in the new session");
        Await.until("the new session's tools are listed again", WAIT, () -> listings("session-2") > 0);
        List<TestServer.Seen> after = postsWithoutListings(postsBefore);
        assertEquals(List.of("tools/call", "initialize", "notifications/initialized", "tools/call"),
                after.stream().map(HttpPluginsThroughGatewayTest::method).toList());
        assertEquals("session-1", after.get(0).header("Mcp-Session-Id"), "the refused call carried the old session");
        assertNull(after.get(1).header("Mcp-Session-Id"), "a new initialize carries no session id");
        assertEquals("session-2", after.get(2).header("Mcp-Session-Id"));
        assertEquals("session-2", after.get(3).header("Mcp-Session-Id"));
        PluginInstance now = gateway.registry().instance(instance.id()).orElseThrow();
        assertEquals(InstanceStatus.UP, now.status());
        assertEquals(List.of(), events.events(GatewayEvent.HealthChanged.class).stream()
                .filter(e -> e.instance().health() == Health.UNHEALTHY).toList(), "a dropped session is not an outage");
    }

    @Test
    void aHealthProbeFindingTheSessionDroppedInitializesANewOneAndTheInstanceStaysHealthy() throws Exception {
        AtomicReference<String> liveSession = new AtomicReference<>();
        serveStreamable(liveSession);
        try (McpGateway probing = McpGateway.builder()
                .config(GatewayConfig.builder().healthChecks(HealthCheckOptions.builder()
                        .interval(Duration.ofMillis(300)).timeout(Duration.ofMillis(250)).build()).build())
                .transport(new HttpTransport()).listener(events).build()) {
            PluginInstance instance = probing.addPlugin(plugin("sessions", server.uri("/mcp"))).get(10, TimeUnit.SECONDS);
            Await.until("a probe was answered", WAIT, () -> pings("session-1") > 0);
            int postsBefore = server.requests("POST").size();

            liveSession.set(null);
            Await.until("a probe was answered in a new session", WAIT, () -> pings("session-2") > 0);
            Await.until("the new session's tools are listed again", WAIT, () -> listings("session-2") > 0);

            List<TestServer.Seen> after = postsWithoutListings(postsBefore);
            assertEquals(List.of("ping", "initialize", "notifications/initialized", "ping"),
                    after.subList(0, 4).stream().map(HttpPluginsThroughGatewayTest::method).toList());
            assertEquals("session-1", after.get(0).header("Mcp-Session-Id"), "the probe found the session gone");
            assertEquals(Health.HEALTHY, probing.registry().instance(instance.id()).orElseThrow().health());
            assertEquals(List.of(), events.events(GatewayEvent.HealthChanged.class).stream()
                    .filter(e -> e.instance().health() == Health.UNHEALTHY).toList(), "a dropped session is not an outage");
        }
    }

    /** How many pings the server answered in this session. */
    private long pings(String session) {
        return requests("ping", session);
    }

    /** How many times the gateway listed the tools in this session (it does again in every new session). */
    private long listings(String session) {
        return requests("tools/list", session);
    }

    private long requests(String method, String session) {
        return server.requests("POST").stream()
                .filter(seen -> method(seen).equals(method) && session.equals(seen.header("Mcp-Session-Id"))).count();
    }

    /** The POSTs from the given one on, but the tools listings, which run beside the calls and probes. */
    private List<TestServer.Seen> postsWithoutListings(int from) {
        List<TestServer.Seen> posts = server.requests("POST");
        return posts.subList(from, posts.size()).stream().filter(seen -> !method(seen).equals("tools/list")).toList();
    }

    @Test
    void aServerThatSpeaksOnlyTheLegacyHttpSseTransportIsListedCalledAndHeard() throws Exception {
        AtomicBoolean grown = new AtomicBoolean();
        server.on("POST", "/sse", (exchange, seen) -> status(exchange, 405));
        server.on("GET", "/sse", (exchange, seen) -> {
            OutputStream out = sse(exchange);
            write(out, "event: endpoint\ndata: /messages?sessionId=legacy-1\n\n");
            String next;
            while ((next = outgoing.poll(20, TimeUnit.SECONDS)) != null && !next.equals(END)) {
                write(out, next);
            }
        });
        server.on("POST", "/messages", (exchange, seen) -> {
            if (JsonRpcCodec.INSTANCE.decode(seen.body()) instanceof JsonRpcRequest request) {
                String answer = switch (request.method()) {
                    case "initialize" -> result(request, "{\"protocolVersion\":\"2024-11-05\","
                            + "\"capabilities\":{\"tools\":{\"listChanged\":true}},\"serverInfo\":{\"name\":\"old\",\"version\":\"0.9\"}}");
                    case "tools/list" -> result(request, "{\"tools\":[{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\"}}"
                            + (grown.get() ? ",{\"name\":\"later\",\"inputSchema\":{\"type\":\"object\"}}" : "") + "]}");
                    case "tools/call" -> result(request, "{\"content\":[{\"type\":\"text\",\"text\":"
                            + request.params().path("arguments").path("text") + "}]}");
                    default -> "{\"jsonrpc\":\"2.0\",\"id\":" + request.id()
                            + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}";
                };
                outgoing.add("event: message\ndata: " + answer + "\n\n");
            }
            status(exchange, 202);
        });

        PluginInstance instance = gateway.addPlugin(plugin("old", server.uri("/sse"))).get(10, TimeUnit.SECONDS);

        assertEquals(InstanceStatus.UP, instance.status());
        assertEquals(List.of("old__echo"), gateway.listTools().stream().map(ExposedTool::exposedName).toList());
        assertEquals("hello", gateway.callTool("old__echo", Json.object().put("text", "hello"))
                .get(10, TimeUnit.SECONDS).firstText());

        grown.set(true);
        outgoing.add("event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n");
        Await.until("old__later is routable", WAIT, () -> gateway.routingTable().routeByExposedName("old__later") != null);

        List<TestServer.Seen> posts = server.requests("POST");
        assertEquals(List.of("server/discover", "initialize"), posts.stream().filter(s -> s.path().equals("/sse"))
                .map(HttpPluginsThroughGatewayTest::method).toList(), "the probe, then initialize, were refused with 405");
        List<TestServer.Seen> messages = posts.stream().filter(s -> s.path().equals("/messages")).toList();
        assertEquals(List.of("initialize", "notifications/initialized", "tools/list", "tools/call", "tools/list"),
                messages.stream().map(HttpPluginsThroughGatewayTest::method).toList());
        assertTrue(messages.stream().allMatch(s -> "sessionId=legacy-1".equals(s.query())), "the endpoint's query is kept");
        assertEquals(1, server.requests("GET").size(), "one event stream carries every answer");
    }

    @Test
    void anUnreachablePluginIsUnhealthyAndOthersKeepServing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        serveStreamable(new AtomicReference<>());
        PluginManifest unreachable = plugin("gone", URI.create("http://127.0.0.1:" + closedPort + "/mcp")).toBuilder()
                .tool(Tool.builder("ping").build()).build();

        CompletableFuture<PluginInstance> gone = gateway.addPlugin(unreachable);
        PluginInstance live = gateway.addPlugin(plugin("live", server.uri("/mcp"))).get(10, TimeUnit.SECONDS);

        Await.until("the unreachable instance is unhealthy", WAIT, () -> gateway.registry().instances().stream()
                .anyMatch(i -> i.pluginName().equals("gone") && i.health() == Health.UNHEALTHY));
        ExecutionException notStarted = assertThrows(ExecutionException.class, () -> gone.get(10, TimeUnit.SECONDS),
                "addPlugin reports the first connect error");
        assertTrue(notStarted.getCause().getMessage().contains("Connection refused")
                || notStarted.getCause().getMessage().contains("ConnectException"), notStarted.getCause().getMessage());
        PluginInstance down = gateway.registry().instances().stream().filter(i -> i.pluginName().equals("gone"))
                .findFirst().orElseThrow();
        assertEquals(InstanceStatus.STARTING, down.status(), "never connected, so never up");
        assertFalse(down.isRoutable());
        GatewayEvent.HealthChanged unhealthy = events.events(GatewayEvent.HealthChanged.class).stream()
                .filter(e -> e.instance().id().equals(down.id())).findFirst().orElseThrow();
        assertTrue(unhealthy.reason().contains(String.valueOf(closedPort)), "the reason names the endpoint: "
                + unhealthy.reason());

        assertEquals(List.of("live__whoami"), gateway.listTools().stream().map(ExposedTool::exposedName).toList());
        assertEquals("session-1", gateway.callTool("live__whoami", Json.object()).get(10, TimeUnit.SECONDS).firstText());
        assertEquals(InstanceStatus.UP, gateway.registry().instance(live.id()).orElseThrow().status());
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> gateway.callTool("gone__ping", Json.object()).get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCodes.NO_HEALTHY_INSTANCE, assertInstanceOf(JsonRpcException.class, refused.getCause()).code());
    }
}
