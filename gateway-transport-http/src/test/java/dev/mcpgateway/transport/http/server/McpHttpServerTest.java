package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import dev.mcpgateway.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The endpoint on the JDK's built-in HTTP server: the whole contract, plus what is particular to this adapter. */
class McpHttpServerTest extends FrontDoorContract {
    private McpHttpServer running;

    @Override
    FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws IOException {
        running = McpHttpServer.start(server, options);
        return new FrontDoor(running.endpoint(), running);
    }

    @Test
    void bindsTheLoopbackAddressAndServesOnlyItsPath() {
        assertEquals("127.0.0.1", running.address().getAddress().getHostAddress());
        assertTrue(running.address().getPort() > 0, "an ephemeral port was picked");
        assertEquals(URI.create("http://127.0.0.1:" + running.address().getPort() + "/mcp"), running.endpoint());

        for (String path : new String[] {"/mcp/extra", "/mcpx"}) {
            Reply other = http.send(HttpRequest.newBuilder(running.endpoint().resolve(path))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertEquals(404, other.status(), path);
        }
        assertStillServing();
    }

    @Test
    void anotherPathCanBeConfigured() throws Exception {
        serve(testOptions().path("/gateway/v1/mcp").build());
        assertEquals("/gateway/v1/mcp", running.endpoint().getPath());
        assertStillServing();
    }

    @Test
    void aConnectionBeyondTheLimitIs503WithRetryAfterWhileTheHeldOnesAreServed() throws Exception {
        serve(testOptions().maxConnections(1).build());
        try (Socket held = new Socket(running.address().getAddress(), running.address().getPort())) {
            assertEquals(200, askHealth(held), "served, and kept alive: it holds the one place");

            Reply refused = http.send(http.stateless("tools/list", null));
            assertEquals(503, refused.status(), refused.body());
            assertEquals("1", refused.header("Retry-After"));
            assertEquals("the gateway holds its limit of 1 connections; retry later\n", refused.body());

            assertEquals(200, askHealth(held), "the connection it holds is still served");
        }
        Await.until("the closed connection gave its place back", Duration.ofSeconds(10),
                () -> http.send(http.stateless("tools/list", null)).status() == 200);
        assertStillServing();
    }

    /** Asks {@code HEAD /healthz} over a kept-alive raw connection; returns the status. */
    private static int askHealth(Socket socket) throws IOException {
        socket.getOutputStream().write("HEAD /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII); // "HTTP/1.1 200"
        byte[] head = new byte[4];
        while (!new String(head, StandardCharsets.US_ASCII).equals("\r\n\r\n")) { // a HEAD answer has no body
            System.arraycopy(head, 1, head, 0, 3);
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended inside the answer");
            }
            head[3] = (byte) b;
        }
        return Integer.parseInt(status.substring(9));
    }

    @Test
    void closingEndsStreamsAndWaitingCallsPromptly() throws Exception {
        String session = http.initialize(V0618);
        try (HttpClient other = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             McpHttp.Events stream = http.events(http.plain("GET", "Accept", "text/event-stream",
                     "Mcp-Session-Id", session))) {
            CompletableFuture<HttpResponse<String>> waiting = other.sendAsync(http.post(
                    http.request("tools/call", "{\"name\":\"calc__gate\"}"), "Mcp-Session-Id", session),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(atGate.await(10, TimeUnit.SECONDS), "the call did not reach the tool");

            long start = System.nanoTime();
            running.close();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(tookMillis < 3_000, "close took " + tookMillis + " ms");
            assertNull(stream.next(), "the GET stream ended");
            HttpResponse<String> released = waiting.get(10, TimeUnit.SECONDS);
            assertEquals(503, released.statusCode(), released.body());
            assertTrue(released.body().contains(Integer.toString(ErrorCodes.GATEWAY_CLOSED)), released.body());
        }
        try (HttpClient late = HttpClient.newHttpClient()) {
            IOException refused = assertThrows(IOException.class,
                    () -> late.send(http.post("{}"), HttpResponse.BodyHandlers.ofString()));
            assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException,
                    refused.toString());
        }
    }
}
