package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.TestServer.json;
import static dev.mcpgateway.transport.http.TestServer.sse;
import static dev.mcpgateway.transport.http.TestServer.status;
import static dev.mcpgateway.transport.http.TestServer.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fallback to the 2024-11-05 HTTP+SSE transport, against a server that speaks only that. */
@Timeout(20)
class LegacySseFallbackTest {
    private static final String END = "end";

    private TestServer server;
    private RecordingReceiver receiver;
    private StreamableHttpChannel channel;
    private final CountDownLatch done = new CountDownLatch(1);
    // What the SSE handler writes next; END ends the stream.
    private final BlockingQueue<String> outgoing = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws IOException {
        server = new TestServer();
        receiver = new RecordingReceiver();
        server.on("GET", "/sse", (exchange, seen) -> {
            OutputStream out = sse(exchange);
            write(out, ": hello\n\nevent: endpoint\ndata: /messages?sessionId=abc\n\n");
            String next;
            while ((next = outgoing.poll(10, TimeUnit.SECONDS)) != null && !next.equals(END)) {
                write(out, next);
            }
        });
        server.on("POST", "/sse", (exchange, seen) -> status(exchange, 405));
        server.on("POST", "/messages", (exchange, seen) -> {
            JsonRpcMessage message = JsonRpcCodec.INSTANCE.decode(seen.body());
            if (message instanceof JsonRpcRequest request) {
                outgoing.add("event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + request.id()
                        + ",\"result\":{\"method\":\"" + request.method() + "\"}}\n\n");
            }
            status(exchange, 202);
        });
    }

    @AfterEach
    void tearDown() {
        done.countDown();
        outgoing.add(END);
        if (channel != null) {
            channel.close();
        }
        server.close();
        assertFalse(receiver.overlapped, "the receiver was called by two threads at once");
    }

    private void open() {
        channel = new StreamableHttpChannel(server.uri("/sse"), HttpClientOptions.builder()
                .requestTimeout(Duration.ofSeconds(5)).closeTimeout(Duration.ofMillis(500)).build());
        channel.start(receiver);
    }

    private static JsonRpcRequest request(long id, String method) {
        return new JsonRpcRequest(RequestId.of(id), method, Json.object());
    }

    private JsonRpcResponse nextResponse(long id) throws InterruptedException {
        JsonRpcResponse response = assertInstanceOf(JsonRpcResponse.class, receiver.next());
        assertEquals(RequestId.of(id), response.id());
        return response;
    }

    @Test
    void a405ToInitializeSwitchesToTheEndpointTheEventStreamNames() throws Exception {
        open();

        channel.send(request(1, "initialize")).get(5, TimeUnit.SECONDS);

        assertTrue(channel.isLegacySse());
        assertEquals("initialize", nextResponse(1).result().path("method").asText());
        channel.protocolVersionNegotiated("2024-11-05");
        channel.send(new JsonRpcNotification("notifications/initialized", null)).get(5, TimeUnit.SECONDS);
        channel.send(request(2, "tools/list")).get(5, TimeUnit.SECONDS);
        assertEquals("tools/list", nextResponse(2).result().path("method").asText());

        List<TestServer.Seen> posts = server.requests("POST");
        assertEquals(List.of("/sse", "/messages", "/messages", "/messages"),
                posts.stream().map(TestServer.Seen::path).toList());
        for (TestServer.Seen post : posts.subList(1, 4)) {
            assertEquals("sessionId=abc", post.query());
            assertNull(post.header("Mcp-Session-Id"));
            assertNull(post.header("MCP-Protocol-Version"), "2024-11-05 servers know no version header");
        }
        TestServer.Seen get = server.requests("GET").getFirst();
        assertEquals("text/event-stream", get.header("Accept"));
        assertEquals(1, server.requests("GET").size(), "the legacy stream is the only GET");
    }

    @Test
    void serverMessagesOnTheLegacyStreamAreDelivered() throws Exception {
        open();
        channel.send(request(1, "initialize")).get(5, TimeUnit.SECONDS);
        nextResponse(1);

        outgoing.add("event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n");

        assertEquals("notifications/tools/list_changed",
                assertInstanceOf(JsonRpcNotification.class, receiver.next()).method());
    }

    @Test
    void theEndOfTheLegacyStreamClosesTheChannelWithACause() throws Exception {
        open();
        channel.send(request(1, "initialize")).get(5, TimeUnit.SECONDS);
        nextResponse(1);

        outgoing.add(END);

        receiver.awaitClosed();
        assertNotNull(receiver.closedCause);
        assertTrue(receiver.closedCause.getMessage().contains("ended the legacy HTTP+SSE stream"),
                receiver.closedCause.getMessage());
        ExecutionException afterwards = assertThrows(ExecutionException.class,
                () -> channel.send(request(2, "tools/list")).get(5, TimeUnit.SECONDS));
        assertTrue(afterwards.getCause().getMessage().contains("closed"));
        channel.close();
        assertEquals(1, receiver.closedCount.get());
        assertEquals(List.of(), server.requests("DELETE"), "the legacy transport has no session to delete");
    }

    @Test
    void anEndpointOnAnotherOriginIsRefused() throws Exception {
        server.on("GET", "/sse", (exchange, seen) -> {
            write(sse(exchange), "event: endpoint\ndata: http://elsewhere.example/messages\n\n");
            done.await(10, TimeUnit.SECONDS);
        });
        open();

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> channel.send(request(1, "initialize")).get(5, TimeUnit.SECONDS));

        assertTrue(failure.getCause().getMessage().contains("another origin"), failure.getCause().getMessage());
        assertFalse(channel.isLegacySse());
        assertEquals(List.of("/sse"), server.requests("POST").stream().map(TestServer.Seen::path).toList());
    }

    @Test
    void aLegacyStreamWithoutEndpointEventFailsAfterTheRequestTimeout() throws Exception {
        server.on("GET", "/sse", (exchange, seen) -> {
            write(sse(exchange), ": no endpoint coming\n\n");
            done.await(10, TimeUnit.SECONDS);
        });
        channel = new StreamableHttpChannel(server.uri("/sse"), HttpClientOptions.builder()
                .requestTimeout(Duration.ofMillis(300)).closeTimeout(Duration.ofMillis(500)).build());
        channel.start(receiver);

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> channel.send(request(1, "initialize")).get(5, TimeUnit.SECONDS));

        assertTrue(failure.getCause().getMessage().contains("no endpoint event within PT0.3S"),
                failure.getCause().getMessage());
        assertFalse(channel.isLegacySse());
    }

    @Test
    void aServerThatSpeaksNeitherTransportFailsNamingBothStatuses() throws Exception {
        server.on("GET", "/sse", (exchange, seen) -> status(exchange, 404));
        open();

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> channel.send(request(1, "initialize")).get(5, TimeUnit.SECONDS));

        String message = failure.getCause().getMessage();
        assertTrue(message.contains("HTTP 405") && message.contains("HTTP 404") && message.contains("neither"), message);
        assertFalse(channel.isLegacySse());
    }

    @Test
    void aJsonRpcErrorAnsweringInitializeIsDeliveredWithoutFallingBack() throws Exception {
        server.on("POST", "/sse", (exchange, seen) -> json(exchange, 400,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"Unsupported protocol version\"}}"));
        open();

        channel.send(request(1, "initialize")).get(5, TimeUnit.SECONDS);

        assertEquals(-32602, nextResponse(1).error().code());
        assertFalse(channel.isLegacySse());
        assertEquals(List.of(), server.requests("GET"));
    }

    @Test
    void onlyInitializeFallsBack() throws Exception {
        open();

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> channel.send(request(1, "server/discover")).get(5, TimeUnit.SECONDS));

        assertTrue(failure.getCause().getMessage().contains("HTTP 405"), failure.getCause().getMessage());
        assertFalse(channel.isLegacySse());
        assertEquals(List.of(), server.requests("GET"));
    }
}
