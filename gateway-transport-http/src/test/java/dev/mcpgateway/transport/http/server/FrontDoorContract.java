package dev.mcpgateway.transport.http.server;

import static dev.mcpgateway.transport.http.server.McpHttp.MODERN;
import static dev.mcpgateway.transport.http.server.McpHttp.data;
import static dev.mcpgateway.transport.http.server.McpHttp.notification;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.internal.transport.http.SseReader;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.ClientLimits;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the gateway's Streamable HTTP endpoint does, over real HTTP on 127.0.0.1, whichever server carries it:
 * each subclass runs every test here through one adapter. Behind it: a real gateway with an in-process plugin
 * {@code calc} and the gateway's MCP server.
 */
@Timeout(30)
abstract class FrontDoorContract {
    static final String V0618 = "2025-06-18";
    static final String V0326 = "2025-03-26";
    /** Small enough that an oversized body still fits the socket buffers, so the client always reads the 413. */
    static final int LIMIT = 16 * 1024;

    /** A running front door: where it answers, and how to stop it. */
    record FrontDoor(URI endpoint, AutoCloseable stopper) {
    }

    /** Opened by the test to let {@code calc__gate} return. */
    final CountDownLatch gate = new CountDownLatch(1);
    /** Counted down when {@code calc__gate} starts waiting. */
    final CountDownLatch atGate = new CountDownLatch(1);
    /** Counted down by {@code calc__until_cancelled} once it sees its cancellation. */
    final CountDownLatch cancelled = new CountDownLatch(1);
    /** How often {@code calc__count} ran. */
    final AtomicInteger counted = new AtomicInteger();

    McpGateway gateway;
    McpServer server;
    McpHttp http;
    private FrontDoor door;

    /** Starts the front door under test for the server. */
    abstract FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws Exception;

    /** The options most tests run with: ephemeral port, a small size limit, a keep-alive no call reaches. */
    static HttpFrontDoorOptions.Builder testOptions() {
        return HttpFrontDoorOptions.builder().port(0).maxRequestBytes(LIMIT).sseKeepAlive(Duration.ofSeconds(30));
    }

    @BeforeEach
    void setUp() throws Exception {
        gateway = McpGateway.builder().build();
        gateway.registerInProcess(calculator()).join();
        server = McpServer.create(gateway);
        serve(testOptions().build());
    }

    @AfterEach
    void tearDown() throws Exception {
        gate.countDown();
        try {
            stopDoor();
        } finally {
            server.close();
            gateway.close();
        }
    }

    /** Replaces the running front door with one using these options. */
    void serve(HttpFrontDoorOptions options) throws Exception {
        stopDoor();
        door = start(server, options);
        http = new McpHttp(door.endpoint());
    }

    /** Replaces the server and its front door with ones using these options. */
    void serve(ServerOptions serverOptions, HttpFrontDoorOptions options) throws Exception {
        stopDoor();
        server.close();
        server = McpServer.create(gateway, serverOptions);
        serve(options);
    }

    private void stopDoor() throws Exception {
        if (http != null) {
            http.close();
        }
        if (door != null) {
            door.stopper().close();
            door = null;
        }
    }

    private InProcessPlugin calculator() {
        return InProcessPlugin.builder("calc")
                .tool("add", "Adds a and b", (args, ctx) ->
                        CallToolResult.text(Integer.toString(args.path("a").asInt() + args.path("b").asInt())))
                .tool("steps", "Reports two steps of progress, then finishes", (args, ctx) -> {
                    ctx.progress(1, 2.0, "first");
                    ctx.progress(2, 2.0, "second");
                    return CallToolResult.text("done");
                })
                .tool("count", "Counts its calls", (args, ctx) ->
                        CallToolResult.text(Integer.toString(counted.incrementAndGet())))
                .tool("gate", "Returns once the test opens the gate", (args, ctx) -> {
                    atGate.countDown();
                    if (!gate.await(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never opened the gate");
                    }
                    return CallToolResult.text("opened");
                })
                .tool("until_cancelled", "Runs until it is cancelled", (args, ctx) -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (!ctx.isCancelled() && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(1_000_000);
                    }
                    if (ctx.isCancelled()) {
                        cancelled.countDown();
                    }
                    return CallToolResult.text("stopped");
                })
                .build();
    }

    /** A fresh session can still list tools: whatever came before did not break the server. */
    void assertStillServing() {
        String session = http.initialize(V0618);
        Reply tools = http.call(session, V0618, "tools/list", null);
        assertEquals(200, tools.status(), tools.body());
        assertTrue(toolNames(tools.result()).contains("calc__add"), tools.body());
    }

    static List<String> toolNames(JsonNode result) {
        List<String> names = new ArrayList<>();
        result.path("tools").forEach(tool -> names.add(tool.path("name").asText()));
        return names;
    }

    static void assertRejected(Reply reply, int status, int code) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals("application/json", reply.header("Content-Type"));
        assertEquals(code, reply.errorCode(), reply.body());
        assertFalse(reply.body().contains("Exception"), "no stack traces or exception names: " + reply.body());
    }

    // ---- the legacy era: sessions ---------------------------------------------------------------------------

    @Test
    void initializeOpensASessionWithTheRequestedVersion() {
        Reply reply = http.send(http.post(http.request("initialize", """
                {"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""")));

        assertEquals(200, reply.status(), reply.body());
        assertEquals("application/json", reply.header("Content-Type"));
        JsonNode result = reply.result();
        assertEquals(V0618, result.path("protocolVersion").asText());
        assertEquals("mcp-gateway", result.path("serverInfo").path("name").asText());
        assertTrue(result.path("capabilities").path("tools").path("listChanged").asBoolean(), reply.body());
        String session = reply.header("Mcp-Session-Id");
        assertNotNull(session);
        assertTrue(session.chars().allMatch(c -> c >= 0x21 && c <= 0x7E), "visible ASCII only: " + session);
        assertTrue(server.session(session).isPresent(), "the server knows the session");
    }

    @Test
    void initializeInsideAnExistingSessionIsRefusedAndLeavesItAsItWas() {
        String session = http.initialize(V0618);

        Reply again = http.call(session, V0618, "initialize", "{\"protocolVersion\":\"2025-03-26\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"2\"}}");
        assertEquals(200, again.status(), again.body());
        assertEquals(ErrorCodes.INVALID_REQUEST, again.errorCode(), again.body());
        String message = again.json().path("error").path("message").asText();
        assertTrue(message.contains("already initialized") && message.contains("without Mcp-Session-Id"), message);
        assertNull(again.header("Mcp-Session-Id"), "no new session is handed out");

        assertEquals(V0618, server.session(session).orElseThrow().protocolVersion(), "the session is as it was");
        Reply sum = http.call(session, V0618, "tools/call", "{\"name\":\"calc__add\",\"arguments\":{\"a\":1,\"b\":1}}");
        assertEquals("2", sum.result().path("content").path(0).path("text").asText(), sum.body());
    }

    @Test
    void toolsAreListedAndCalledAsJson() {
        String session = http.initialize(V0618);

        Reply tools = http.call(session, V0618, "tools/list", null);
        assertEquals(200, tools.status(), tools.body());
        assertEquals(List.of("calc__add", "calc__count", "calc__gate", "calc__steps", "calc__until_cancelled"),
                toolNames(tools.result()));
        assertNull(tools.header("Mcp-Session-Id"), "only the initialize answer hands out the id");

        Reply sum = http.call(session, V0618, "tools/call", "{\"name\":\"calc__add\",\"arguments\":{\"a\":2,\"b\":3}}");
        assertEquals(200, sum.status(), sum.body());
        assertEquals("application/json", sum.header("Content-Type"));
        assertEquals("5", sum.result().path("content").path(0).path("text").asText(), sum.body());
        assertFalse(sum.result().path("isError").asBoolean(), sum.body());
    }

    @Test
    void progressTurnsTheAnswerIntoAnEventStreamThatEndsWithTheResponse() throws IOException {
        String session = http.initialize(V0618);
        HttpRequest call = http.post("""
                {"jsonrpc":"2.0","id":"call-1","method":"tools/call",
                 "params":{"name":"calc__steps","_meta":{"progressToken":"p-1"}}}""",
                "Mcp-Session-Id", session, "MCP-Protocol-Version", V0618);

        try (McpHttp.Events reader = http.events(call)) {
            assertEquals("no-cache", reader.header("Cache-Control"));
            List<SseReader.Event> events = new ArrayList<>();
            for (SseReader.Event event = reader.next(); event != null; event = reader.next()) {
                events.add(event);
            }
            assertEquals(3, events.size(), "two progress notifications, then the response: " + events);
            for (int i = 0; i < 2; i++) {
                JsonNode progress = data(events.get(i));
                assertEquals("notifications/progress", progress.path("method").asText());
                assertEquals("p-1", progress.path("params").path("progressToken").asText());
                assertEquals(i + 1, progress.path("params").path("progress").asInt());
            }
            JsonNode last = data(events.getLast());
            assertEquals("call-1", last.path("id").asText());
            assertEquals("done", last.path("result").path("content").path(0).path("text").asText());
            assertTrue(events.stream().allMatch(SseReader.Event::isMessage), "every event is a message event");
            List<Long> ids = events.stream().map(e -> Long.parseLong(e.id())).toList();
            assertTrue(ids.get(0) < ids.get(1) && ids.get(1) < ids.get(2), "event ids increase: " + ids);
        }
    }

    @Test
    void aSlowCallIsKeptAliveOnAnEventStream() throws Exception {
        serve(testOptions().sseKeepAlive(Duration.ofMillis(50)).build());
        String session = http.initialize(V0618);

        // The headers come only once the call outlasted the keep-alive interval and the answer became a stream.
        HttpResponse<InputStream> response = http.open(http.post(
                http.request("tools/call", "{\"name\":\"calc__gate\"}"),
                "Mcp-Session-Id", session, "MCP-Protocol-Version", V0618));
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("no", response.headers().firstValue("X-Accel-Buffering").orElse(null),
                "reverse proxies must not hold events back");
        gate.countDown();
        String text;
        try (InputStream body = response.body()) {
            text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(text.startsWith(": keep-alive\n\n"), text);
        SseReader reader = new SseReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null, 1 << 16);
        JsonNode last = data(reader.next());
        assertEquals("opened", last.path("result").path("content").path(0).path("text").asText(), text);
        assertNull(reader.next(), "the response ends the stream");
    }

    @Test
    void notificationsAndResponsesAreAcceptedWith202() {
        String session = http.initialize(V0618);

        Reply note = http.send(http.post(notification("notifications/roots/list_changed"),
                "Mcp-Session-Id", session, "MCP-Protocol-Version", V0618, "Accept", null));
        assertEquals(202, note.status());
        assertEquals("", note.body());

        Reply answer = http.send(http.post("{\"jsonrpc\":\"2.0\",\"id\":\"gw-404\",\"result\":{}}",
                "Mcp-Session-Id", session, "MCP-Protocol-Version", V0618));
        assertEquals(202, answer.status());
        assertEquals("", answer.body());
    }

    @Test
    void theGetStreamCarriesListChangesAndEndsWithTheSession() throws IOException {
        String session = http.initialize(V0618);
        try (McpHttp.Events reader = http.events(http.plain("GET", "Accept", "text/event-stream",
                "Mcp-Session-Id", session, "MCP-Protocol-Version", V0618))) {
            gateway.registerInProcess(InProcessPlugin.builder("late")
                    .tool("echo", "Registered at runtime", (args, ctx) -> CallToolResult.text("echo")).build()).join();

            SseReader.Event event = reader.next();
            assertNotNull(event, "the stream ended without the notification");
            assertEquals("notifications/tools/list_changed", data(event).path("method").asText(), event.data());
            assertNotNull(event.id(), "legacy streams number their events");

            Reply deleted = http.send(http.plain("DELETE", "Mcp-Session-Id", session, "MCP-Protocol-Version", V0618));
            assertEquals(204, deleted.status(), deleted.body());
            assertNull(reader.next(), "ending the session ends its stream");
        }
    }

    @Test
    void aNewerGetStreamReplacesTheOlderOne() throws IOException {
        String session = http.initialize(V0618);
        HttpRequest get = http.plain("GET", "Accept", "text/event-stream", "Mcp-Session-Id", session);
        try (McpHttp.Events first = http.events(get); McpHttp.Events second = http.events(get)) {
            assertNull(first.next(), "the older stream ends");
            gateway.registerInProcess(InProcessPlugin.builder("late")
                    .tool("echo", "Registered at runtime", (args, ctx) -> CallToolResult.text("echo")).build()).join();
            assertEquals("notifications/tools/list_changed", data(second.next()).path("method").asText());
        }
    }

    @Test
    void deletedSessionsAreGone() {
        String session = http.initialize(V0618);

        Reply deleted = http.send(http.plain("DELETE", "Mcp-Session-Id", session));
        assertEquals(204, deleted.status(), deleted.body());
        assertTrue(server.session(session).isEmpty());

        assertRejected(http.call(session, V0618, "tools/list", null), 404, ErrorCodes.INVALID_REQUEST);
        assertRejected(http.send(http.plain("DELETE", "Mcp-Session-Id", session)), 404, ErrorCodes.INVALID_REQUEST);
        assertRejected(http.send(http.plain("DELETE")), 400, ErrorCodes.INVALID_REQUEST);
        assertStillServing();
    }

    @Test
    void batchesWorkIn20250326Only() {
        String session = http.initialize(V0326);
        Reply batch = http.send(http.post("""
                [{"jsonrpc":"2.0","id":1,"method":"tools/list"},
                 {"jsonrpc":"2.0","method":"notifications/roots/list_changed"},
                 {"jsonrpc":"2.0","id":"two","method":"ping"},
                 {"jsonrpc":"1.0","id":3,"method":"ping"}]""", "Mcp-Session-Id", session));
        assertEquals(200, batch.status(), batch.body());
        JsonNode answers = batch.json();
        assertTrue(answers.isArray(), batch.body());
        assertEquals(3, answers.size(), batch.body());
        assertTrue(toolNames(answers.get(0).path("result")).contains("calc__add"), batch.body());
        assertEquals("two", answers.get(1).path("id").asText());
        assertEquals(ErrorCodes.INVALID_REQUEST, answers.get(2).path("error").path("code").asInt(), batch.body());

        Reply onlyNotifications = http.send(http.post("[" + notification("notifications/roots/list_changed") + "]",
                "Mcp-Session-Id", session));
        assertEquals(202, onlyNotifications.status(), onlyNotifications.body());

        String newer = http.initialize(V0618);
        Reply refused = http.send(http.post("[" + http.request("ping", null) + "]", "Mcp-Session-Id", newer,
                "MCP-Protocol-Version", V0618));
        assertRejected(refused, 400, ErrorCodes.INVALID_REQUEST);
        assertTrue(refused.json().path("error").path("message").asText().contains("batches are not supported"),
                refused.body());
        assertStillServing();
    }

    // ---- the stateless era ----------------------------------------------------------------------------------

    @Test
    void statelessRequestsNeedNoSession() {
        Reply tools = http.send(http.stateless("tools/list", null));
        assertEquals(200, tools.status(), tools.body());
        assertEquals("complete", tools.result().path("resultType").asText(), tools.body());
        assertTrue(toolNames(tools.result()).contains("calc__add"));
        assertNull(tools.header("Mcp-Session-Id"), "the stateless era has no sessions");

        Reply sum = http.send(http.stateless("tools/call", "\"name\":\"calc__add\",\"arguments\":{\"a\":40,\"b\":2}",
                "Mcp-Name", "calc__add"));
        assertEquals(200, sum.status(), sum.body());
        assertEquals("42", sum.result().path("content").path(0).path("text").asText(), sum.body());

        String encoded = "=?base64?" + Base64.getEncoder().encodeToString("calc__add".getBytes(StandardCharsets.UTF_8))
                + "?=";
        Reply again = http.send(http.stateless("tools/call", "\"name\":\"calc__add\",\"arguments\":{\"a\":1,\"b\":1}",
                "Mcp-Name", encoded));
        assertEquals(200, again.status(), again.body());
    }

    @Test
    void statelessEventStreamsHaveNoEventIds() throws IOException {
        // The progress token rides in the same _meta object as the protocol version.
        HttpRequest withProgress = http.post(http.request("tools/call", "{\"name\":\"calc__steps\",\"_meta\":{"
                + "\"progressToken\":7,\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}"), "MCP-Protocol-Version", MODERN,
                "Mcp-Method", "tools/call", "Mcp-Name", "calc__steps");
        try (McpHttp.Events reader = http.events(withProgress)) {
            SseReader.Event first = reader.next();
            assertEquals("notifications/progress", data(first).path("method").asText());
            assertNull(first.id(), "no event ids in the stateless era");
            assertEquals(7, data(first).path("params").path("progressToken").asInt());
            assertEquals("notifications/progress", data(reader.next()).path("method").asText());
            assertEquals("complete", data(reader.next()).path("result").path("resultType").asText());
            assertNull(reader.next());
        }
    }

    @Test
    void statelessHeaderErrorsAre400WithTheModernCodes() {
        assertRejected(http.send(http.stateless("tools/list", null, "MCP-Protocol-Version", null)),
                400, ErrorCodes.HEADER_MISMATCH);
        assertRejected(http.send(http.stateless("tools/list", null, "MCP-Protocol-Version", V0618)),
                400, ErrorCodes.HEADER_MISMATCH);
        assertRejected(http.send(http.stateless("tools/list", null, "Mcp-Method", "prompts/list")),
                400, ErrorCodes.HEADER_MISMATCH);
        assertRejected(http.send(http.stateless("tools/call", "\"name\":\"calc__add\"", "Mcp-Name", "calc__other")),
                400, ErrorCodes.HEADER_MISMATCH);

        String params = "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"1900-01-01\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}";
        Reply unsupported = http.send(http.post(http.request("tools/list", params), "MCP-Protocol-Version",
                "1900-01-01"));
        assertRejected(unsupported, 400, ErrorCodes.UNSUPPORTED_PROTOCOL_VERSION);
        assertEquals("1900-01-01", unsupported.json().path("error").path("data").path("requested").asText(),
                unsupported.body());

        assertRejected(http.send(http.stateless("no/such/method", null)), 404, ErrorCodes.METHOD_NOT_FOUND);
        assertStillServing();
    }

    @Test
    void aStatelessRequestWithoutMcpMethodIs400HeaderMismatch() {
        Reply missing = http.send(http.stateless("tools/list", null, "Mcp-Method", null));

        assertRejected(missing, 400, ErrorCodes.HEADER_MISMATCH);
        String message = missing.json().path("error").path("message").asText();
        assertTrue(message.contains("Mcp-Method is missing") && message.contains("'tools/list'"), message);
        assertTrue(missing.json().path("id").isNumber(), "the error answers the request: " + missing.body());

        Reply notification = http.send(http.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                + "\"params\":{\"requestId\":1," + McpHttp.MODERN_META + "}}", "MCP-Protocol-Version", MODERN));
        assertEquals(202, notification.status(), "Mcp-Method is required of requests only: " + notification.body());
        assertStillServing();
    }

    @Test
    void aStatelessRequestIgnoresAStraySessionIdAndLastEventId() {
        Reply listed = http.send(http.stateless("tools/list", null, "Mcp-Session-Id", "no-such-session",
                "Last-Event-ID", "41"));
        assertEquals(200, listed.status(), listed.body());
        assertTrue(listed.json().path("result").path("tools").isArray(), listed.body());
        assertEquals(null, listed.header("Mcp-Session-Id"), "2026-07-28 has no sessions to hand out");
    }

    @Test
    void aStatelessRequestWithMalformedMetaIs400InvalidParams() {
        Reply noCapabilities = http.send(http.post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\","
                + "\"params\":{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}}",
                "MCP-Protocol-Version", MODERN, "Mcp-Method", "tools/list"));
        assertRejected(noCapabilities, 400, ErrorCodes.INVALID_PARAMS);
        assertTrue(noCapabilities.body().contains("clientCapabilities"), noCapabilities.body());

        Reply badLevel = http.send(http.post("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\",\"params\":"
                + "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{},\"io.modelcontextprotocol/logLevel\":\"loud\"}}}",
                "MCP-Protocol-Version", MODERN, "Mcp-Method", "tools/list"));
        assertRejected(badLevel, 400, ErrorCodes.INVALID_PARAMS);
        assertStillServing();
    }

    @Test
    void aStatelessCallReadOrGetWithoutMcpNameIs400HeaderMismatch() {
        Reply call = http.send(http.stateless("tools/call", "\"name\":\"calc__add\",\"arguments\":{\"a\":1,\"b\":2}"));
        assertRejected(call, 400, ErrorCodes.HEADER_MISMATCH);
        String message = call.json().path("error").path("message").asText();
        assertTrue(message.contains("Mcp-Name is missing") && message.contains("params.name ('calc__add')"), message);

        Reply read = http.send(http.stateless("resources/read", "\"uri\":\"file:///a\""));
        assertRejected(read, 400, ErrorCodes.HEADER_MISMATCH);
        assertTrue(read.body().contains("params.uri ('file:///a')"), read.body());
        assertRejected(http.send(http.stateless("prompts/get", "\"name\":\"greet\"")), 400, ErrorCodes.HEADER_MISMATCH);
        Reply malformed = http.send(http.stateless("tools/call", "\"name\":\"calc__add\"", "Mcp-Name", "=?base64?%%%?="));
        assertRejected(malformed, 400, ErrorCodes.HEADER_MISMATCH);
        assertTrue(malformed.body().contains("malformed =?base64?"), malformed.body());

        Reply list = http.send(http.stateless("tools/list", null));
        assertEquals(200, list.status(), "methods without a name need no Mcp-Name: " + list.body());
        assertStillServing();
    }

    @Test
    void aVersionTheGatewayDoesNotSpeakIsAnsweredWithItsVersionsNotItsHeaderRules() {
        String params = "{\"name\":\"calc__add\",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2099-01-01\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}";
        Reply unsupported = http.send(http.post(http.request("tools/call", params), "MCP-Protocol-Version",
                "2099-01-01"));
        assertRejected(unsupported, 400, ErrorCodes.UNSUPPORTED_PROTOCOL_VERSION);
    }

    @Test
    void theStatelessEraHasNoGetOrDelete() {
        Reply get = http.send(http.plain("GET", "Accept", "text/event-stream", "MCP-Protocol-Version", MODERN));
        assertRejected(get, 405, ErrorCodes.INVALID_REQUEST);
        assertEquals("POST", get.header("Allow"));
        Reply delete = http.send(http.plain("DELETE", "MCP-Protocol-Version", MODERN));
        assertRejected(delete, 405, ErrorCodes.INVALID_REQUEST);
        assertStillServing();
    }

    @Test
    void aStatelessClientThatLeavesCancelsItsCall() throws Exception {
        serve(testOptions().sseKeepAlive(Duration.ofMillis(20)).build());
        McpHttp.Events events = http.events(http.stateless("tools/call", "\"name\":\"calc__until_cancelled\"",
                "Mcp-Name", "calc__until_cancelled"));
        events.close(); // drops the connection mid-stream

        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the tool was not cancelled after its client left");
        assertStillServing();
    }

    @Test
    void aLegacyClientThatLeavesMidStreamDoesNotBreakTheServer() throws Exception {
        serve(testOptions().sseKeepAlive(Duration.ofMillis(20)).build());
        String session = http.initialize(V0618);
        McpHttp.Events events = http.events(http.post(
                http.request("tools/call", "{\"name\":\"calc__gate\"}"), "Mcp-Session-Id", session));
        events.close(); // drops the connection mid-stream

        Reply sum = http.call(session, V0618, "tools/call", "{\"name\":\"calc__add\",\"arguments\":{\"a\":1,\"b\":2}}");
        assertEquals("3", sum.result().path("content").path(0).path("text").asText(), sum.body());
        gate.countDown();
        assertStillServing();
    }

    // ---- limits and keep-alive -------------------------------------------------------------------------------

    @Test
    void aSessionsStreamsBeyondItsLimitAreRefusedUntilOneEnds() throws Exception {
        serve(testOptions().maxStreamsPerSession(2).sseKeepAlive(Duration.ofMillis(50)).build());
        String session = http.initialize(V0618);
        // Each call outlasts the keep-alive interval, so its answer becomes a stream: the session's two places.
        HttpResponse<InputStream> first = http.open(call(session, "calc__gate"));
        HttpResponse<InputStream> second = http.open(call(session, "calc__gate"));
        try (InputStream one = first.body(); InputStream two = second.body()) {
            assertEquals("text/event-stream", first.headers().firstValue("Content-Type").orElse(null));
            assertEquals("text/event-stream", second.headers().firstValue("Content-Type").orElse(null));

            Reply get = http.send(getStream(session));
            assertRejected(get, 429, ErrorCodes.OVERLOADED);
            assertEquals("1", get.header("Retry-After"), "one keep-alive interval, rounded up to whole seconds");
            assertTrue(get.json().path("error").path("message").asText().contains("limit of 2 open event streams"),
                    get.body());

            String request = http.request("tools/call", "{\"name\":\"calc__until_cancelled\"}");
            Reply refused = http.send(http.post(request, "Mcp-Session-Id", session, "MCP-Protocol-Version", V0618));
            assertRejected(refused, 200, ErrorCodes.OVERLOADED);
            assertEquals(Json.mapper().readTree(request).get("id"), refused.json().get("id"), "it answers the request");
            assertTrue(refused.json().path("error").path("message").asText().contains("limit of 2 open event streams"),
                    refused.body());
            assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the refused call is cancelled, not left running");

            String other = http.initialize(V0618);
            try (McpHttp.Events stream = http.events(getStream(other))) {
                assertEquals("no-cache", stream.header("Cache-Control"), "another session has places of its own");
            }

            gate.countDown();
            assertTrue(new String(one.readAllBytes(), StandardCharsets.UTF_8).contains("opened"));
            assertTrue(new String(two.readAllBytes(), StandardCharsets.UTF_8).contains("opened"));
        }
        Await.until("the ended streams gave their places back", Duration.ofSeconds(10),
                () -> opensAStream(getStream(session)));
    }

    @Test
    void aNewerGetStreamTakesTheOlderOnesPlaceAndAStreamedAnswerBeyondTheLimitIsRefused() throws Exception {
        serve(testOptions().maxStreamsPerSession(1).sseKeepAlive(Duration.ofMillis(50)).build());
        String session = http.initialize(V0618);
        HttpRequest steps = http.post("""
                {"jsonrpc":"2.0","id":"steps-1","method":"tools/call",
                 "params":{"name":"calc__steps","_meta":{"progressToken":"p-1"}}}""",
                "Mcp-Session-Id", session, "MCP-Protocol-Version", V0618);
        try (McpHttp.Events older = http.events(getStream(session));
             McpHttp.Events newer = http.events(getStream(session))) {
            assertNull(older.next(), "the older stream ends; replacing it is not one stream more");

            Reply refused = http.send(steps); // its progress would turn the answer into a second stream
            assertRejected(refused, 200, ErrorCodes.OVERLOADED);
            assertEquals("steps-1", refused.json().path("id").asText(), refused.body());
            assertTrue(refused.body().contains("limit of 1 open event streams"), refused.body());
            assertEquals("no-cache", newer.header("Cache-Control"), "the GET stream it held stays open");
        }
        Await.until("the closed GET stream gave its place back", Duration.ofSeconds(10), () -> opensAStream(steps));
    }

    @Test
    void aFloodOfInitializeGetsExactlyTheSessionLimitAnd503WithRetryAfterBeyond() throws Exception {
        serve(ServerOptions.defaults().withClientLimits(ClientLimits.defaults().withSessions(5, 5)),
                testOptions().build());
        List<Reply> replies = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Reply>> flood = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                flood.add(CompletableFuture.supplyAsync(() -> http.send(initialize(V0618)), clients));
            }
            flood.forEach(reply -> replies.add(reply.join()));
        }
        List<String> sessions = new ArrayList<>();
        for (Reply reply : replies) {
            if (reply.status() == 200) {
                sessions.add(reply.header("Mcp-Session-Id"));
            } else {
                assertRejected(reply, 503, ErrorCodes.OVERLOADED);
                assertEquals("30", reply.header("Retry-After"));
                assertNull(reply.header("Mcp-Session-Id"), "a refused initialize hands out no session");
                assertTrue(reply.json().path("error").path("message").asText().contains("(maxSessions)"),
                        reply.body());
            }
        }
        assertEquals(5, sessions.size(), "exactly the limit was admitted");
        assertEquals(15, server.rejections().count("maxSessions"));

        // Meanwhile the sessions held are served, and so is the stateless era, which holds none.
        assertEquals(200, http.call(sessions.getFirst(), V0618, "tools/list", null).status());
        assertEquals(200, http.send(http.stateless("tools/list", null)).status());
        // Ending one gives its place back.
        assertEquals(204, http.send(http.plain("DELETE", "Mcp-Session-Id", sessions.getFirst())).status());
        assertEquals(200, http.send(initialize(V0618)).status());
    }

    @Test
    void initializeBeyondTheLimitPerClientIs429WithRetryAfter() throws Exception {
        serve(ServerOptions.defaults().withClientLimits(ClientLimits.defaults().withSessions(3, 2)),
                testOptions().build());
        String first = http.initialize(V0618);
        http.initialize(V0618);

        Reply refused = http.send(initialize(V0618));
        assertRejected(refused, 429, ErrorCodes.OVERLOADED);
        assertEquals("30", refused.header("Retry-After"));
        assertNull(refused.header("Mcp-Session-Id"));
        assertTrue(refused.json().path("error").path("message").asText().contains("(maxSessionsPerClient)"),
                refused.body());
        assertEquals(1, server.rejections().count("maxSessionsPerClient"));

        assertEquals(200, http.call(first, V0618, "tools/list", null).status(), "its sessions are still served");
        assertEquals(204, http.send(http.plain("DELETE", "Mcp-Session-Id", first)).status());
        http.initialize(V0618);
    }

    @Test
    void aBatchBeyondTheLimitIsRefusedWholeAndNoneOfItIsCarriedOut() throws Exception {
        serve(ServerOptions.defaults().withClientLimits(ClientLimits.defaults().withMaxBatchSize(3)),
                testOptions().build());
        String session = http.initialize(V0326);

        Reply refused = http.send(http.post(countBatch(1, 2, 3, 4), "Mcp-Session-Id", session));
        assertRejected(refused, 400, ErrorCodes.INVALID_REQUEST);
        assertTrue(refused.json().isObject(), "one error for the whole batch: " + refused.body());
        assertTrue(refused.json().get("id").isNull(), refused.body());
        assertTrue(refused.json().path("error").path("message").asText().contains("(maxBatchSize)"), refused.body());
        assertEquals(1, server.rejections().count("maxBatchSize"));

        Reply fits = http.send(http.post(countBatch(5, 6, 7), "Mcp-Session-Id", session));
        assertEquals(200, fits.status(), fits.body());
        Set<String> counts = new HashSet<>();
        fits.json().forEach(answer -> counts.add(answer.path("result").path("content").path(0).path("text").asText()));
        assertEquals(Set.of("1", "2", "3"), counts, "the refused batch ran none of its calls: " + fits.body());
    }

    @Test
    void requestsBeyondASessionsLimitAreAnsweredOverloadedWhileOtherSessionsAreServed() throws Exception {
        serve(ServerOptions.defaults().withClientLimits(ClientLimits.defaults().withMaxCallsPerSession(2)),
                testOptions().build());
        String session = http.initialize(V0326);
        String gated = """
                [{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"calc__gate"}},
                 {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"calc__gate"}},
                 {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"calc__count"}}]""";
        CompletableFuture<Reply> batch = CompletableFuture.supplyAsync(
                () -> http.send(http.post(gated, "Mcp-Session-Id", session)));
        assertTrue(atGate.await(10, TimeUnit.SECONDS));

        String other = http.initialize(V0618);
        Reply sum = http.call(other, V0618, "tools/call", "{\"name\":\"calc__add\",\"arguments\":{\"a\":2,\"b\":3}}");
        assertEquals("5", sum.result().path("content").path(0).path("text").asText(), sum.body());

        gate.countDown();
        Reply answers = batch.get(10, TimeUnit.SECONDS);
        assertEquals(200, answers.status(), answers.body());
        for (JsonNode answer : answers.json()) {
            if (answer.path("id").asInt() == 3) {
                assertEquals(ErrorCodes.OVERLOADED, answer.path("error").path("code").asInt(), answers.body());
                assertTrue(answer.path("error").path("message").asText().contains("(maxCallsPerSession)"),
                        answers.body());
            } else {
                assertEquals("opened", answer.path("result").path("content").path(0).path("text").asText(),
                        answers.body());
            }
        }
        assertEquals(0, counted.get(), "the refused call was not carried out");
        Reply again = http.call(session, V0326, "tools/call", "{\"name\":\"calc__count\"}");
        assertEquals("1", again.result().path("content").path(0).path("text").asText(), "the places came back");
    }

    @Test
    void bodiesBeyondTheBudgetInFlightAre503WithRetryAfterBeforeTheyAreRead() throws Exception {
        serve(testOptions().maxBodyBytesInFlight(LIMIT + LIMIT / 2).build());
        String session = http.initialize(V0618);
        String pad = "x".repeat(LIMIT - 1024);
        // A call held at the gate holds its body's bytes until it is answered: most of the budget.
        HttpRequest held = http.post(http.request("tools/call", "{\"name\":\"calc__gate\",\"arguments\":{\"pad\":\""
                + pad + "\"}}"), "Mcp-Session-Id", session, "MCP-Protocol-Version", V0618);
        CompletableFuture<Reply> gated = CompletableFuture.supplyAsync(() -> http.send(held));
        assertTrue(atGate.await(10, TimeUnit.SECONDS));

        String big = http.request("ping", "{\"pad\":\"" + pad + "\"}");
        Reply refused = http.send(http.post(big, "Mcp-Session-Id", session, "MCP-Protocol-Version", V0618));
        assertRejected(refused, 503, ErrorCodes.OVERLOADED);
        assertEquals("1", refused.header("Retry-After"));
        assertTrue(refused.json().path("error").path("message").asText().contains("(maxBodyBytesInFlight)"),
                refused.body());
        // A chunked body is counted as it arrives.
        HttpRequest chunked = HttpRequest.newBuilder(http.endpoint()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Accept", McpHttp.ACCEPT_BOTH)
                .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", V0618)
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build();
        assertRejected(http.send(chunked), 503, ErrorCodes.OVERLOADED);
        assertEquals(2, server.rejections().count("maxBodyBytesInFlight"));

        assertEquals(200, http.call(session, V0618, "tools/list", null).status(), "small bodies fit in what is left");
        gate.countDown();
        assertEquals(200, gated.get(10, TimeUnit.SECONDS).status());
        Await.until("the answered call gave its bytes back", Duration.ofSeconds(10), () -> http.send(
                http.post(big, "Mcp-Session-Id", session, "MCP-Protocol-Version", V0618)).status() == 200);
    }

    private HttpRequest initialize(String version) {
        return http.post(http.request("initialize", "{\"protocolVersion\":\"" + version + "\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"front-door-test\",\"version\":\"1.0\"}}"));
    }

    private static String countBatch(int... ids) {
        List<String> calls = new ArrayList<>();
        for (int id : ids) {
            calls.add("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"calc__count\"}}");
        }
        return "[" + String.join(",", calls) + "]";
    }

    @Test
    void silentStreamsOfBothKindsCarryKeepAliveComments() throws Exception {
        serve(testOptions().sseKeepAlive(Duration.ofMillis(50)).build());
        String session = http.initialize(V0618);
        try (InputStream get = http.open(getStream(session)).body()) {
            awaitKeepAlives(get, 3);
        }
        HttpResponse<InputStream> call = http.open(call(session, "calc__gate"));
        try (InputStream post = call.body()) {
            awaitKeepAlives(post, 3);
            gate.countDown();
            assertTrue(new String(post.readAllBytes(), StandardCharsets.UTF_8).contains("opened"));
        }
    }

    private HttpRequest call(String session, String tool) {
        return http.post(http.request("tools/call", "{\"name\":\"" + tool + "\"}"), "Mcp-Session-Id", session,
                "MCP-Protocol-Version", V0618);
    }

    private HttpRequest getStream(String session) {
        return http.plain("GET", "Accept", "text/event-stream", "Mcp-Session-Id", session, "MCP-Protocol-Version",
                V0618);
    }

    /** Whether the request is answered with an event stream (read to its end, or dropped if it stays open). */
    private boolean opensAStream(HttpRequest request) {
        HttpResponse<InputStream> response = http.open(request);
        try (InputStream body = response.body()) {
            return response.statusCode() == 200
                    && "text/event-stream".equals(response.headers().firstValue("Content-Type").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a silent stream's lines until {@code count} comments came, and nothing but comments and blank lines. */
    private static void awaitKeepAlives(InputStream stream, int count) throws IOException {
        int comments = 0;
        while (comments < count) {
            StringBuilder line = new StringBuilder();
            for (int b = stream.read(); b != '\n'; b = stream.read()) {
                assertTrue(b >= 0, "the stream ended after " + comments + " of " + count + " keep-alive comments");
                line.append((char) b);
            }
            if (line.toString().equals(": keep-alive")) {
                comments++;
            } else {
                assertEquals("", line.toString(), "a silent stream carries only keep-alive comments");
            }
        }
    }

    // ---- malformed input ------------------------------------------------------------------------------------

    @Test
    void unparsableJsonIs400ParseError() {
        Reply reply = http.send(http.post("{\"jsonrpc\":\"2.0\",\"id\":1,"));
        assertRejected(reply, 400, ErrorCodes.PARSE_ERROR);
        assertTrue(reply.json().get("id").isNull(), reply.body());
        assertStillServing();
    }

    @Test
    void invalidJsonRpcIs400InvalidRequest() {
        assertRejected(http.send(http.post("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}")), 400,
                ErrorCodes.INVALID_REQUEST);
        assertRejected(http.send(http.post("[]")), 400, ErrorCodes.INVALID_REQUEST);
        assertStillServing();
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        assertRejected(http.send(http.post(http.request("ping", null), "Content-Type", "text/plain")), 415,
                ErrorCodes.INVALID_REQUEST);
        assertRejected(http.send(http.post(http.request("ping", null), "Content-Type", null)), 415,
                ErrorCodes.INVALID_REQUEST);
        Reply charset = http.send(http.post(http.request("initialize", "{\"protocolVersion\":\"2025-06-18\"}"),
                "Content-Type", "application/json; charset=utf-8"));
        assertEquals(200, charset.status(), charset.body());
        assertStillServing();
    }

    @Test
    void requestsMustAcceptBothAnswerTypes() {
        String init = "{\"protocolVersion\":\"2025-06-18\"}";
        assertRejected(http.send(http.post(http.request("initialize", init), "Accept", null)), 406,
                ErrorCodes.INVALID_REQUEST);
        assertRejected(http.send(http.post(http.request("initialize", init), "Accept", "application/json")), 406,
                ErrorCodes.INVALID_REQUEST);
        Reply lenient = http.send(http.post(http.request("initialize", init), "Accept", "*/*"));
        assertEquals(200, lenient.status(), lenient.body());
        Reply wildcards = http.send(http.post(http.request("initialize", init),
                "Accept", "application/*;q=0.9, text/*"));
        assertEquals(200, wildcards.status(), wildcards.body());
        assertStillServing();
    }

    @Test
    void sessionsAreRequiredAndMustExist() {
        assertRejected(http.send(http.post(http.request("tools/list", null))), 400, ErrorCodes.INVALID_REQUEST);
        assertRejected(http.send(http.post(http.request("tools/list", null), "Mcp-Session-Id", "no-such-session")),
                404, ErrorCodes.INVALID_REQUEST);
        assertRejected(http.send(http.post(notification("notifications/initialized"), "Mcp-Session-Id", "nope")),
                404, ErrorCodes.INVALID_REQUEST);
        assertStillServing();
    }

    @Test
    void oversizedBodiesAre413() {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(LIMIT)
                + "\"}}";
        assertRejected(http.send(http.post(big)), 413, ErrorCodes.INVALID_REQUEST);

        // Without Content-Length (chunked), reading stops at the limit.
        HttpRequest chunked = HttpRequest.newBuilder(http.endpoint()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Accept", McpHttp.ACCEPT_BOTH)
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build();
        assertRejected(http.send(chunked), 413, ErrorCodes.INVALID_REQUEST);

        String fits = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"pad\":\"" + "x".repeat(LIMIT - 200) + "\"}}";
        assertEquals(200, http.send(http.post(fits)).status());
        assertStillServing();
    }

    @Test
    void theProtocolVersionHeaderMustMatchTheSession() {
        String session = http.initialize(V0618);
        assertRejected(http.call(session, V0326, "tools/list", null), 400, ErrorCodes.INVALID_REQUEST);
        assertRejected(http.call(session, "banana", "tools/list", null), 400, ErrorCodes.INVALID_REQUEST);
        Reply missing = http.send(http.post(http.request("tools/list", null), "Mcp-Session-Id", session));
        assertEquals(200, missing.status(), "a missing header means 2025-03-26 and is accepted: " + missing.body());
        assertStillServing();
    }

    @Test
    void foreignOriginsAre403() {
        Reply foreign = http.send(http.post(http.request("initialize", "{\"protocolVersion\":\"2025-06-18\"}"),
                "Origin", "https://evil.example"));
        assertRejected(foreign, 403, ErrorCodes.INVALID_REQUEST);
        assertNull(foreign.header("Mcp-Session-Id"));
        assertRejected(http.send(http.plain("GET", "Origin", "null", "Accept", "text/event-stream")), 403,
                ErrorCodes.INVALID_REQUEST);

        Reply local = http.send(http.post(http.request("initialize", "{\"protocolVersion\":\"2025-06-18\"}"),
                "Origin", "http://localhost:5173"));
        assertEquals(200, local.status(), local.body());
        assertStillServing();
    }

    // ---- Host and CORS -------------------------------------------------------------------------------------

    private String initializeBody() {
        return http.request("initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}");
    }

    @Test
    void aRebindingHostIs421AndLoopbackNamesOnAnyPortPass() {
        Reply rebound = http.raw("POST", initializeBody(), "Host", "evil.example:" + http.endpoint().getPort());
        assertRejected(rebound, 421, ErrorCodes.INVALID_REQUEST);
        String message = rebound.json().path("error").path("message").asText();
        assertTrue(message.contains("'evil.example:") && message.contains("allowed hosts"), message);
        assertNull(rebound.header("Mcp-Session-Id"), "no session for a refused host");
        assertRejected(http.raw("GET", null, "Host", "localhost.evil.example", "Accept", "text/event-stream"), 421,
                ErrorCodes.INVALID_REQUEST);

        for (String host : List.of("localhost", "localhost:1234", "127.0.0.1:" + http.endpoint().getPort(), "[::1]")) {
            Reply local = http.raw("POST", initializeBody(), "Host", host);
            assertEquals(200, local.status(), host + ": " + local.body());
        }
        assertStillServing();
    }

    @Test
    void listedHostsAndTheAsteriskAreAllowed() throws Exception {
        serve(testOptions().allowedHosts(List.of("mcp.example.com:443", "[fd00::5]")).build());
        assertEquals(200, http.raw("POST", initializeBody(), "Host", "mcp.example.com:443").status());
        assertEquals(200, http.raw("POST", initializeBody(), "Host", "[FD00::5]:8080").status());
        assertRejected(http.raw("POST", initializeBody(), "Host", "mcp.example.com:8443"), 421,
                ErrorCodes.INVALID_REQUEST);
        assertRejected(http.raw("POST", initializeBody(), "Host", "localhost"), 421, ErrorCodes.INVALID_REQUEST);

        serve(testOptions().allowedHosts(List.of("*")).build());
        assertEquals(200, http.raw("POST", initializeBody(), "Host", "anything.example").status());
    }

    @Test
    void withCorsOffAPreflightIs405AndAnswersCarryNoCorsHeaders() {
        Reply preflight = http.send(http.plain("OPTIONS", "Origin", "http://localhost:5173",
                "Access-Control-Request-Method", "POST"));
        assertRejected(preflight, 405, ErrorCodes.INVALID_REQUEST);
        assertEquals("GET, POST, DELETE", preflight.header("Allow"));
        assertNull(preflight.header("Access-Control-Allow-Origin"));

        Reply answer = http.send(http.post(initializeBody(), "Origin", "http://localhost:5173"));
        assertEquals(200, answer.status(), answer.body());
        assertNull(answer.header("Access-Control-Allow-Origin"));
    }

    @Test
    void withCorsOnAnAllowedOriginsPreflightIsAnsweredAndItsAnswersAreReadable() throws Exception {
        serve(testOptions().cors(true).build());
        Reply preflight = http.send(http.plain("OPTIONS", "Origin", "http://localhost:5173",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers",
                "content-type, mcp-session-id, Mcp-Param-Region, x-secret, authorization, traceparent"));
        assertEquals(204, preflight.status(), preflight.body());
        assertEquals("http://localhost:5173", preflight.header("Access-Control-Allow-Origin"));
        assertEquals("GET, POST, DELETE, OPTIONS", preflight.header("Access-Control-Allow-Methods"));
        assertEquals("content-type, mcp-session-id, mcp-param-region, authorization, traceparent",
                preflight.header("Access-Control-Allow-Headers"), "allowed ones echoed, others left out");
        assertEquals("7200", preflight.header("Access-Control-Max-Age"));
        assertEquals("Origin", preflight.header("Vary"));
        assertNull(preflight.header("Access-Control-Allow-Credentials"), "no ambient credentials");

        Reply answer = http.send(http.post(initializeBody(), "Origin", "http://localhost:5173"));
        assertEquals(200, answer.status(), answer.body());
        assertEquals("http://localhost:5173", answer.header("Access-Control-Allow-Origin"));
        assertTrue(answer.header("Access-Control-Expose-Headers").contains("Mcp-Session-Id"), answer.headers()
                .toString());
        assertEquals("Origin", answer.header("Vary"));
        Reply error = http.send(http.post(http.request("tools/list", null), "Origin", "http://localhost:5173"));
        assertRejected(error, 400, ErrorCodes.INVALID_REQUEST);
        assertEquals("http://localhost:5173", error.header("Access-Control-Allow-Origin"), "errors are readable too");

        Reply withoutOrigin = http.send(http.post(initializeBody()));
        assertNull(withoutOrigin.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", withoutOrigin.header("Vary"));
        assertRejected(http.send(http.plain("OPTIONS")), 405, ErrorCodes.INVALID_REQUEST); // not a preflight
    }

    @Test
    void withCorsOnADisallowedOriginsPreflightIs403WithoutCorsHeaders() throws Exception {
        serve(testOptions().cors(true).build());
        Reply preflight = http.send(http.plain("OPTIONS", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST"));
        assertRejected(preflight, 403, ErrorCodes.INVALID_REQUEST);
        assertNull(preflight.header("Access-Control-Allow-Origin"));
        assertNull(preflight.header("Access-Control-Allow-Methods"));
    }

    @Test
    void getStreamsNeedAValidSessionAndTheEventStreamType() {
        String session = http.initialize(V0618);
        assertRejected(http.send(http.plain("GET", "Accept", "text/event-stream")), 400, ErrorCodes.INVALID_REQUEST);
        assertRejected(http.send(http.plain("GET", "Accept", "text/event-stream", "Mcp-Session-Id", "nope")), 404,
                ErrorCodes.INVALID_REQUEST);
        assertRejected(http.send(http.plain("GET", "Accept", "application/json", "Mcp-Session-Id", session)), 406,
                ErrorCodes.INVALID_REQUEST);
        assertStillServing();
    }

    @Test
    void otherMethodsAre405() {
        Reply put = http.send(HttpRequest.newBuilder(http.endpoint()).timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build());
        assertRejected(put, 405, ErrorCodes.INVALID_REQUEST);
        assertEquals("GET, POST, DELETE", put.header("Allow"));
        assertStillServing();
    }
}
