package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.TestServer.json;
import static dev.mcpgateway.transport.http.TestServer.respond;
import static dev.mcpgateway.transport.http.TestServer.sse;
import static dev.mcpgateway.transport.http.TestServer.status;
import static dev.mcpgateway.transport.http.TestServer.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.SessionExpiredException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class StreamableHttpChannelTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private TestServer server;
    private RecordingReceiver receiver;
    private StreamableHttpChannel channel;
    // Released by each test's end so handlers that hold a stream open finish.
    private final CountDownLatch done = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws IOException {
        server = new TestServer();
        receiver = new RecordingReceiver();
    }

    @AfterEach
    void tearDown() {
        done.countDown();
        if (channel != null) {
            channel.close();
        }
        server.close();
        assertFalse(receiver.overlapped, "the receiver was called by two threads at once");
    }

    private static HttpClientOptions.Builder fast() {
        return HttpClientOptions.builder()
                .requestTimeout(WAIT)
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50))
                .closeTimeout(Duration.ofMillis(500));
    }

    private StreamableHttpChannel open(String path) {
        return open(path, fast().build());
    }

    private StreamableHttpChannel open(String path, HttpClientOptions options) {
        channel = new StreamableHttpChannel(server.uri(path), options);
        channel.start(receiver);
        return channel;
    }

    private static JsonRpcRequest request(long id, String method) {
        return new JsonRpcRequest(RequestId.of(id), method, Json.object());
    }

    private static String result(long id, String key) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"" + key + "\":true}}";
    }

    private static String event(String json) {
        return "data: " + json + "\n\n";
    }

    private static void awaitSent(CompletableFuture<Void> sent) throws Exception {
        sent.get(5, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<Void> sent) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> sent.get(5, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static JsonRpcResponse assertResponse(JsonRpcMessage message, long id) {
        JsonRpcResponse response = assertInstanceOf(JsonRpcResponse.class, message);
        assertEquals(RequestId.of(id), response.id());
        return response;
    }

    /** Answers initialize with a session id and every later request with a result; notifications with 202. */
    private void sessionServer(String session) {
        server.on("POST", "/mcp", (exchange, seen) -> {
            JsonRpcMessage message = JsonRpcCodec.INSTANCE.decode(seen.body());
            if (message instanceof JsonRpcRequest call) {
                long id = ((RequestId.Number) call.id()).value();
                json(exchange, 200, result(id, call.method().replace('/', '_')), "Mcp-Session-Id", session);
            } else {
                status(exchange, 202);
            }
        });
    }

    @Test
    void aJsonAnswerIsDeliveredAndTheRequestCarriesTheProtocolHeaders() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> json(exchange, 200, result(1, "ok")));
        open("/mcp");

        JsonRpcRequest call = request(1, "tools/list");
        awaitSent(channel.send(call));

        assertTrue(assertResponse(receiver.next(), 1).result().path("ok").asBoolean());
        TestServer.Seen seen = server.requests("POST").getFirst();
        assertEquals("application/json", seen.header("Content-Type"));
        assertEquals("application/json, text/event-stream", seen.header("Accept"));
        assertEquals(JsonRpcCodec.INSTANCE.encodeToString(call), seen.body());
        assertNull(seen.header("Mcp-Session-Id"));
        assertNull(seen.header("MCP-Protocol-Version"), "no version before the handshake");
        assertNull(seen.header("Mcp-Method"), "the routing headers belong to the stateless era only");
        assertFalse(channel.isLegacySse());
    }

    @Test
    void anEventStreamDeliversRelatedMessagesBeforeTheResponseAndSendCompletesOnTheHeaders() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.on("POST", "/mcp", (exchange, seen) -> {
            OutputStream out = sse(exchange);
            write(out, event("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":3,\"progress\":1}}"));
            write(out, event("{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"method\":\"roots/list\"}"));
            release.await(5, TimeUnit.SECONDS);
            write(out, event(result(3, "done")));
        });
        open("/mcp");

        CompletableFuture<Void> sent = channel.send(request(3, "tools/call"));
        awaitSent(sent);
        JsonRpcNotification progress = assertInstanceOf(JsonRpcNotification.class, receiver.next());
        assertEquals("notifications/progress", progress.method());
        JsonRpcRequest serverRequest = assertInstanceOf(JsonRpcRequest.class, receiver.next());
        assertEquals(RequestId.of("s-1"), serverRequest.id());
        assertEquals("roots/list", serverRequest.method());
        assertTrue(receiver.messages.isEmpty(), "the response is not written yet");
        release.countDown();

        assertTrue(assertResponse(receiver.next(), 3).result().path("done").asBoolean());
    }

    @Test
    void aNotificationAcceptedWith202CompletesWithNothingDelivered() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> status(exchange, 202));
        open("/mcp");

        awaitSent(channel.send(new JsonRpcNotification("notifications/initialized", null)));
        awaitSent(channel.send(JsonRpcResponse.success(RequestId.of("s-1"), Json.object())));

        assertEquals(List.of("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                        "{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"result\":{}}"),
                server.requests("POST").stream().map(TestServer.Seen::body).toList());
        assertTrue(receiver.messages.isEmpty());
        assertTrue(receiver.invalid.isEmpty());
    }

    @Test
    void aRequestIsPostedOnlyAfterTheNotificationsSentBeforeItWereAccepted() throws Exception {
        CountDownLatch requestArrived = new CountDownLatch(1);
        AtomicInteger requestsBeforeAcceptance = new AtomicInteger(-1);
        server.on("POST", "/mcp", (exchange, seen) -> {
            if (seen.body().contains("notifications/initialized")) {
                // Gives a request that does not wait the time to overtake the notification.
                requestArrived.await(200, TimeUnit.MILLISECONDS);
                requestsBeforeAcceptance.set((int) server.requests("POST").stream()
                        .filter(s -> s.body().contains("tools/list")).count());
                status(exchange, 202);
            } else {
                requestArrived.countDown();
                json(exchange, 200, result(2, "ok"));
            }
        });
        open("/mcp");

        CompletableFuture<Void> notification = channel.send(new JsonRpcNotification("notifications/initialized", null));
        CompletableFuture<Void> request = channel.send(request(2, "tools/list"));
        awaitSent(request);

        assertTrue(notification.isDone());
        assertEquals(0, requestsBeforeAcceptance.get(), "the request overtook the notification");
        assertEquals(List.of("notifications/initialized", "tools/list"), server.requests("POST").stream()
                .map(s -> s.body().contains("tools/list") ? "tools/list" : "notifications/initialized").toList());
    }

    @Test
    void theSessionIdIsCapturedAndRepeatedAndTheVersionIsSentAfterNegotiation() throws Exception {
        sessionServer("session-a1");
        open("/mcp");

        awaitSent(channel.send(request(1, "initialize")));
        assertResponse(receiver.next(), 1);
        channel.protocolVersionNegotiated("2025-06-18");
        awaitSent(channel.send(new JsonRpcNotification("notifications/initialized", null)));
        awaitSent(channel.send(request(2, "tools/list")));
        assertResponse(receiver.next(), 2);

        List<TestServer.Seen> posts = server.requests("POST");
        assertEquals(3, posts.size());
        assertNull(posts.get(0).header("Mcp-Session-Id"));
        assertNull(posts.get(0).header("MCP-Protocol-Version"));
        for (TestServer.Seen later : posts.subList(1, 3)) {
            assertEquals("session-a1", later.header("Mcp-Session-Id"));
            assertEquals("2025-06-18", later.header("MCP-Protocol-Version"));
        }
        // The GET stream for server messages was tried after the handshake; the server has none (405).
        TestServer.Seen get = server.next("GET");
        assertEquals("text/event-stream", get.header("Accept"));
        assertEquals("session-a1", get.header("Mcp-Session-Id"));
        assertEquals("2025-06-18", get.header("MCP-Protocol-Version"));
    }

    @Test
    void a404ForTheSessionFailsWithSessionExpiredAndForgetsTheSession() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        server.on("POST", "/mcp", (exchange, seen) -> {
            if (posts.incrementAndGet() == 2) {
                json(exchange, 404, "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}");
            } else {
                long id = posts.get();
                json(exchange, 200, result(id, "ok"), "Mcp-Session-Id", "s-" + id);
            }
        });
        open("/mcp");
        awaitSent(channel.send(request(1, "initialize")));

        Throwable failure = failureOf(channel.send(request(2, "tools/list")));

        assertInstanceOf(SessionExpiredException.class, failure);
        assertTrue(failure.getMessage().contains("404"), failure.getMessage());
        awaitSent(channel.send(request(3, "initialize")));
        List<TestServer.Seen> seen = server.requests("POST");
        assertEquals("s-1", seen.get(1).header("Mcp-Session-Id"));
        assertNull(seen.get(2).header("Mcp-Session-Id"), "the expired session is not sent again");
        assertResponse(receiver.next(), 1);
        assertResponse(receiver.next(), 3);
    }

    @Test
    void a404WithoutASessionIsAnOrdinaryFailure() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> status(exchange, 404));
        open("/mcp");

        Throwable failure = failureOf(channel.send(request(1, "server/discover")));

        assertInstanceOf(ChannelException.class, failure);
        assertFalse(failure instanceof SessionExpiredException);
        assertTrue(failure.getMessage().contains("HTTP 404"), failure.getMessage());
    }

    @Test
    void anErrorStatusWithAJsonRpcErrorForTheRequestIsDelivered() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> json(exchange, 500,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32603,\"message\":\"boom\"}}"));
        open("/mcp");

        awaitSent(channel.send(request(7, "tools/call")));

        JsonRpcResponse response = assertResponse(receiver.next(), 7);
        assertEquals(-32603, response.error().code());
        assertEquals("boom", response.error().message());
    }

    @Test
    void aJsonErrorWithoutIdAnswersTheRequestThePostCarried() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> json(exchange, 200,
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}"));
        open("/mcp");

        awaitSent(channel.send(request(21, "tools/call")));

        assertEquals(-32700, assertResponse(receiver.next(), 21).error().code());
    }

    @Test
    void anErrorStatusWithAnErrorForAnotherIdFails() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> json(exchange, 400,
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"Bad Request: no session\"}}"));
        open("/mcp");

        Throwable failure = failureOf(channel.send(request(8, "tools/list")));

        assertTrue(failure.getMessage().contains("HTTP 400"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Bad Request: no session"), failure.getMessage());
        assertTrue(receiver.messages.isEmpty());
    }

    @Test
    void aBodyThatIsNotJsonRpcFailsNamingTheStatus() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        server.on("POST", "/mcp", (exchange, seen) -> {
            if (posts.incrementAndGet() == 1) {
                respond(exchange, 502, "text/html", "<html><body>Bad gateway\r\nupstream down</body></html>");
            } else {
                respond(exchange, 200, "text/plain", "hello");
            }
        });
        open("/mcp");

        Throwable badGateway = failureOf(channel.send(request(1, "tools/list")));
        Throwable plain = failureOf(channel.send(request(2, "tools/list")));

        assertInstanceOf(ChannelException.class, badGateway);
        assertTrue(badGateway.getMessage().contains("HTTP 502"), badGateway.getMessage());
        assertTrue(badGateway.getMessage().contains("Bad gateway upstream down"), badGateway.getMessage());
        assertTrue(badGateway.getMessage().startsWith(channel.describe()), badGateway.getMessage());
        assertTrue(plain.getMessage().contains("HTTP 200") && plain.getMessage().contains("text/plain"),
                plain.getMessage());
        assertTrue(receiver.messages.isEmpty());
    }

    @Test
    void anEventStreamSplitIntoTinyWritesWithCrlfLineEndingsIsParsed() throws Exception {
        String notification = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"hi\"}}";
        String stream = ": a comment\r\n"
                + "retry: 1000\r\n"
                + "id: prime\r\ndata:\r\n\r\n"
                + "event: message\r\nid: 1\r\ndata: " + notification + "\r\n\r\n"
                + "event: ping\r\ndata: {\"ignored\":true}\r\n\r\n"
                + "id: 2\r\ndata: {\"jsonrpc\":\"2.0\",\r\ndata:  \"id\":9,\r\ndata: \"result\":{\"split\":true}}\r\n\r\n";
        server.on("POST", "/mcp", (exchange, seen) -> {
            OutputStream out = sse(exchange);
            byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i += 3) {
                out.write(bytes, i, Math.min(3, bytes.length - i));
                out.flush();
            }
        });
        open("/mcp");

        awaitSent(channel.send(request(9, "tools/call")));

        JsonRpcNotification first = assertInstanceOf(JsonRpcNotification.class, receiver.next());
        assertEquals("hi", first.params().path("data").asText());
        assertTrue(assertResponse(receiver.next(), 9).result().path("split").asBoolean());
        assertTrue(receiver.invalid.isEmpty(), receiver.invalid.toString());
        assertEquals(1, server.requests().size(), "nothing to resume: the response arrived");
    }

    @Test
    void anEventThatIsNotJsonRpcIsReportedAsInvalidAndReadingGoesOn() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> {
            OutputStream out = sse(exchange);
            write(out, event("not json"));
            write(out, event(result(4, "ok")));
        });
        open("/mcp");

        awaitSent(channel.send(request(4, "tools/call")));

        assertResponse(receiver.next(), 4);
        assertEquals(1, receiver.invalid.size());
        assertTrue(receiver.invalid.getFirst().contains("not a JSON-RPC message"), receiver.invalid.getFirst());
    }

    @Test
    void theServerMessageStreamDeliversAndReconnectsWithTheLastEventId() throws Exception {
        sessionServer("s-get");
        AtomicInteger gets = new AtomicInteger();
        server.on("GET", "/mcp", (exchange, seen) -> {
            OutputStream out = sse(exchange);
            if (gets.incrementAndGet() == 1) {
                write(out, "id: g1\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n");
                return;
            }
            write(out, "id: g2\ndata: {\"jsonrpc\":\"2.0\",\"id\":\"ping-1\",\"method\":\"ping\"}\n\n");
            done.await(10, TimeUnit.SECONDS);
        });
        open("/mcp");
        awaitSent(channel.send(request(1, "initialize")));
        assertResponse(receiver.next(), 1);

        channel.protocolVersionNegotiated("2025-11-25");

        assertEquals("notifications/tools/list_changed",
                assertInstanceOf(JsonRpcNotification.class, receiver.next()).method());
        assertEquals("ping", assertInstanceOf(JsonRpcRequest.class, receiver.next()).method());
        TestServer.Seen first = server.next("GET");
        TestServer.Seen second = server.next("GET");
        assertNull(first.header("Last-Event-ID"));
        assertEquals("g1", second.header("Last-Event-ID"));
        assertEquals("s-get", second.header("Mcp-Session-Id"));
        assertEquals("2025-11-25", second.header("MCP-Protocol-Version"));
    }

    @Test
    void aServerWithoutAGetStreamIsFine() throws Exception {
        sessionServer("s-405");
        open("/mcp");
        awaitSent(channel.send(request(1, "initialize")));

        channel.protocolVersionNegotiated("2025-06-18");
        server.next("GET");
        awaitSent(channel.send(request(2, "tools/list")));

        assertResponse(receiver.next(), 1);
        assertResponse(receiver.next(), 2);
        assertEquals(1, server.requests("GET").size(), "a 405 is not retried");
        assertEquals(0, receiver.closedCount.get());
    }

    @Test
    void theStatelessEraOpensNoGetStreamAndSendsItsRoutingHeaders() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> json(exchange, 200, result(5, "ok")));
        open("/mcp");
        ObjectNode params = Json.object().put("name", "grüße");
        params.putObject("_meta").put("io.modelcontextprotocol/protocolVersion", "2026-07-28");

        awaitSent(channel.send(new JsonRpcRequest(RequestId.of(5), "tools/call", params)));
        channel.protocolVersionNegotiated("2026-07-28");
        awaitSent(channel.send(new JsonRpcRequest(RequestId.of(5), "resources/read", Json.object().put("uri", "file:///a"))));

        List<TestServer.Seen> posts = server.requests("POST");
        assertEquals("2026-07-28", posts.get(0).header("MCP-Protocol-Version"), "taken from _meta before negotiation");
        assertEquals("tools/call", posts.get(0).header("Mcp-Method"));
        assertEquals("=?base64?" + Base64.getEncoder().encodeToString("grüße".getBytes(StandardCharsets.UTF_8)) + "?=",
                posts.get(0).header("Mcp-Name"));
        assertEquals("2026-07-28", posts.get(1).header("MCP-Protocol-Version"));
        assertEquals("resources/read", posts.get(1).header("Mcp-Method"));
        assertEquals("file:///a", posts.get(1).header("Mcp-Name"));
        assertEquals(List.of(), server.requests("GET"), "the stateless era has no GET stream");
    }

    @Test
    void aStatelessCancellationClosesTheRequestStreamInsteadOfPosting() throws Exception {
        CountDownLatch disconnected = new CountDownLatch(1);
        server.on("POST", "/mcp", (exchange, seen) -> {
            OutputStream out = sse(exchange);
            try {
                // The server notices the client went away only when a write fails.
                while (!Thread.currentThread().isInterrupted()) {
                    write(out, ": keep-alive\n\n");
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            } catch (IOException e) {
                disconnected.countDown();
            }
        });
        open("/mcp");
        channel.protocolVersionNegotiated("2026-07-28");
        awaitSent(channel.send(request(6, "tools/call")));

        ObjectNode cancel = Json.object().put("requestId", 6).put("reason", "timed out");
        awaitSent(channel.send(new JsonRpcNotification("notifications/cancelled", cancel)));

        assertTrue(disconnected.await(5, TimeUnit.SECONDS), "the request's stream was not closed");
        assertEquals(1, server.requests("POST").size(), "no notifications/cancelled is POSTed in the stateless era");
        assertTrue(receiver.messages.isEmpty(), "a cancelled request gets no synthetic failure");
    }

    @Test
    void aBrokenResponseStreamIsResumedWithTheLastEventId() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> {
            OutputStream out = sse(exchange, "Mcp-Session-Id", "s-resume");
            write(out, "retry: 20\nid: e1\n" + event("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":11,\"progress\":1}}"));
            // The handler returns: the stream ends without the response.
        });
        server.on("GET", "/mcp", (exchange, seen) -> {
            OutputStream out = sse(exchange);
            write(out, "id: e2\n" + event(result(11, "resumed")));
        });
        open("/mcp");

        awaitSent(channel.send(request(11, "tools/call")));

        assertEquals("notifications/progress", assertInstanceOf(JsonRpcNotification.class, receiver.next()).method());
        assertTrue(assertResponse(receiver.next(), 11).result().path("resumed").asBoolean());
        TestServer.Seen resume = server.next("GET");
        assertEquals("e1", resume.header("Last-Event-ID"));
        assertEquals("s-resume", resume.header("Mcp-Session-Id"));
        assertEquals("text/event-stream", resume.header("Accept"));
    }

    @Test
    void aResponseStreamThatCannotBeResumedFailsTheRequestAtOnce() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> {
            OutputStream out = sse(exchange);
            write(out, event("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":12,\"progress\":1}}"));
        });
        open("/mcp");

        awaitSent(channel.send(request(12, "tools/call")));

        assertInstanceOf(JsonRpcNotification.class, receiver.next());
        JsonRpcResponse lost = assertResponse(receiver.next(), 12);
        assertEquals(ErrorCodes.UPSTREAM_UNAVAILABLE, lost.error().code());
        assertTrue(lost.error().message().contains("no event id"), lost.error().message());
        assertEquals(List.of(), server.requests("GET"), "without event ids there is nothing to resume");
    }

    @Test
    void resumingGivesUpWhenTheServerRefuses() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> write(sse(exchange), "id: r1\ndata:\n\n"));
        open("/mcp");

        awaitSent(channel.send(request(13, "tools/call")));

        JsonRpcResponse lost = assertResponse(receiver.next(), 13);
        assertEquals(ErrorCodes.UPSTREAM_UNAVAILABLE, lost.error().code());
        assertTrue(lost.error().message().contains("HTTP 405"), lost.error().message());
        assertEquals("r1", server.next("GET").header("Last-Event-ID"), "the priming event's id is resumed from");
    }

    @Test
    void resumingGivesUpAfterTheConfiguredFailuresInARow() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> write(sse(exchange), "retry: 1\nid: f1\ndata:\n\n"));
        server.on("GET", "/mcp", (exchange, seen) -> status(exchange, 503));
        open("/mcp", fast().maxResumeAttempts(2).build());

        awaitSent(channel.send(request(14, "tools/call")));

        JsonRpcResponse lost = assertResponse(receiver.next(), 14);
        assertTrue(lost.error().message().contains("2 attempts"), lost.error().message());
        assertEquals(2, server.requests("GET").size());
    }

    @Test
    void closeDeletesTheSessionOnceAndTellsTheReceiver() throws Exception {
        sessionServer("s-del");
        server.on("DELETE", "/mcp", (exchange, seen) -> status(exchange, 200));
        open("/mcp");
        awaitSent(channel.send(request(1, "initialize")));
        channel.protocolVersionNegotiated("2025-06-18");

        channel.close();
        channel.close();

        TestServer.Seen delete = server.next("DELETE");
        assertEquals("s-del", delete.header("Mcp-Session-Id"));
        assertEquals("2025-06-18", delete.header("MCP-Protocol-Version"));
        assertEquals(1, server.requests("DELETE").size());
        assertEquals(1, receiver.closedCount.get());
        assertNull(receiver.closedCause);
        Throwable afterClose = failureOf(channel.send(request(2, "tools/list")));
        assertTrue(afterClose.getMessage().contains("closed"), afterClose.getMessage());
    }

    @Test
    void closeIgnoresA405ForDelete() throws Exception {
        sessionServer("s-405");
        open("/mcp");
        awaitSent(channel.send(request(1, "initialize")));

        channel.close();

        assertEquals(1, server.requests("DELETE").size());
        assertEquals(1, receiver.closedCount.get());
        assertNull(receiver.closedCause);
    }

    @Test
    void closeNeverHangsOnAServerThatAnswersNothing() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        server.on("POST", "/mcp", (exchange, seen) -> {
            if (posts.incrementAndGet() == 1) {
                json(exchange, 200, result(1, "ok"), "Mcp-Session-Id", "s-hang");
            } else {
                done.await(10, TimeUnit.SECONDS);
            }
        });
        server.on("GET", "/mcp", (exchange, seen) -> {
            sse(exchange).flush();
            done.await(10, TimeUnit.SECONDS);
        });
        server.on("DELETE", "/mcp", (exchange, seen) -> done.await(10, TimeUnit.SECONDS));
        open("/mcp", fast().closeTimeout(Duration.ofMillis(200)).build());
        awaitSent(channel.send(request(1, "initialize")));
        channel.protocolVersionNegotiated("2025-06-18");
        server.next("GET");
        CompletableFuture<Void> hanging = channel.send(request(2, "tools/call"));
        Await.until("the second POST arrived", WAIT, () -> posts.get() == 2);

        assertTimeoutPreemptively(Duration.ofSeconds(3), channel::close);

        assertInstanceOf(ChannelException.class, failureOf(hanging));
        receiver.awaitClosed();
        assertNull(receiver.closedCause);
        assertEquals("s-hang", server.next("DELETE").header("Mcp-Session-Id"));
    }

    @Test
    void staticHeadersAndTheBearerTokenGoWithEveryRequest() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> json(exchange, 200, result(1, "ok")));
        AtomicInteger tokens = new AtomicInteger();
        HttpClientOptions options = fast().header("Authorization", "Basic c3RhdGlj").bearerToken(
                () -> "token-" + tokens.incrementAndGet()).build();
        channel = StreamableHttpChannel.of(new TransportSpec.Http(server.uri("/mcp"), Map.of("X-Api-Key", "k-1")), options);
        channel.start(receiver);

        awaitSent(channel.send(request(1, "tools/list")));
        awaitSent(channel.send(request(1, "tools/list")));

        List<TestServer.Seen> posts = server.requests("POST");
        assertEquals("k-1", posts.get(0).header("X-Api-Key"));
        assertEquals("Bearer token-1", posts.get(0).header("Authorization"), "the supplier wins over a static header");
        assertEquals("Bearer token-2", posts.get(1).header("Authorization"), "asked before every request");
    }

    @Test
    void describeHidesCredentialsAndQueryWhichAreStillUsed() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> json(exchange, 200, result(1, "ok")));
        URI url = URI.create("http://user:secret@127.0.0.1:" + server.port() + "/mcp?key=hidden");
        channel = new StreamableHttpChannel(url, fast().build());
        channel.start(receiver);

        awaitSent(channel.send(request(1, "tools/list")));

        assertEquals("http://127.0.0.1:" + server.port() + "/mcp", channel.describe());
        assertFalse(channel.toString().contains("secret"));
        TestServer.Seen seen = server.requests("POST").getFirst();
        assertEquals("key=hidden", seen.query());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("user:secret".getBytes(StandardCharsets.UTF_8)),
                seen.header("Authorization"));
    }

    @Test
    void aRefusedConnectionFailsTheSend() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        channel = new StreamableHttpChannel(URI.create("http://127.0.0.1:" + port + "/mcp"), fast().build());
        channel.start(receiver);

        Throwable failure = failureOf(channel.send(request(1, "tools/list")));

        assertInstanceOf(ChannelException.class, failure);
        assertTrue(failure.getMessage().startsWith("http://127.0.0.1:" + port + "/mcp: could not POST 'tools/list'"),
                failure.getMessage());
    }

    @Test
    void aRedirectIsNotFollowedAndNamed() throws Exception {
        server.on("POST", "/mcp", (exchange, seen) -> {
            exchange.getResponseHeaders().set("Location", "/mcp/");
            status(exchange, 307);
        });
        open("/mcp");

        Throwable failure = failureOf(channel.send(request(1, "tools/list")));

        assertTrue(failure.getMessage().contains("HTTP 307"), failure.getMessage());
        assertTrue(failure.getMessage().contains(server.uri("/mcp/").toString()), failure.getMessage());
        assertEquals(1, server.requests().size());
    }

    @Test
    void startingTwiceOrSendingBeforeStartIsRefused() {
        channel = new StreamableHttpChannel(server.uri("/mcp"), fast().build());
        assertInstanceOf(IllegalStateException.class, failureOf(channel.send(request(1, "tools/list"))));
        channel.start(receiver);
        assertThrows(IllegalStateException.class, () -> channel.start(receiver));
        IllegalArgumentException ftp = assertThrows(IllegalArgumentException.class,
                () -> new StreamableHttpChannel(URI.create("ftp://127.0.0.1/mcp"), fast().build()));
        assertTrue(ftp.getMessage().contains("http:// or https://"), ftp.getMessage());
    }
}
