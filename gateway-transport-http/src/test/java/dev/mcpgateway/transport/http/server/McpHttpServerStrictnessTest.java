package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.server.McpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The strictness suite against the built-in server, whose options carry the head limit and every deadline; plus
 * what only it does: its head and body deadlines are totals, so a client trickling a byte at a time is cut off too
 * (a servlet container's are per read, see {@link McpServletStrictnessTest}).
 */
class McpHttpServerStrictnessTest extends HttpStrictnessContract {
    @Override
    Door start(McpServer server) throws IOException {
        McpHttpServer running = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(0)
                .maxRequestHeaderBytes(MAX_HEAD_BYTES).requestHeaderTimeout(HEADER_TIMEOUT)
                .requestBodyTimeout(BODY_TIMEOUT).idleTimeout(IDLE_TIMEOUT).build());
        return new Door(running.address(), running);
    }

    @Test
    void aHeadTrickledByteByByteIsCutOffAtItsDeadline() throws IOException {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            send(socket, "GET /mcp HTTP/1.1\r\nHost: localhost\r\n");
            assertTrue(trickleUntilClosed(socket, "X-Slow: " + "a".repeat(200)), "the connection was closed");
            assertAtLeastTheDeadline(start, HEADER_TIMEOUT);
        }
    }

    @Test
    void aLaterHeadOnAKeptConnectionIsCutOffToo() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /other HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(404, Response.read(socket.getInputStream()).status());
            long start = System.nanoTime();
            send(socket, "GET /other HTTP/1.1\r\n");
            assertTrue(trickleUntilClosed(socket, "Host: localhost\r\nX-Slow: " + "a".repeat(200)), "the connection was closed");
            assertAtLeastTheDeadline(start, HEADER_TIMEOUT);
        }
    }

    @Test
    void manyTricklingConnectionsAreAllCutOff() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket socket = connect();
                sockets.add(socket);
                send(socket, "GET /mcp HTTP/1.1\r\nHost: localhost\r\n");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int closed = 0;
            for (int round = 0; closed < sockets.size() && System.nanoTime() < deadline; round++) {
                closed = 0;
                for (Socket socket : sockets) {
                    closed += trickleOne(socket, 'a') ? 0 : 1;
                }
                pause();
            }
            assertEquals(sockets.size(), closed, "every trickling connection was closed within 10 s");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aBodyTrickledByteByByteIs408AtItsDeadline() throws IOException {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            send(socket, "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{");
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(100);
            Response response = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (response == null && System.nanoTime() < deadline) {
                trickleOne(socket, ' ');
                response = Response.tryRead(in);
            }
            assertTrue(response != null, "answered within 10 s");
            assertEquals(408, response.status(), response.toString());
            assertEquals("close", response.header("connection"));
            assertAtLeastTheDeadline(start, BODY_TIMEOUT);
        }
    }

    @Test
    void aRefusalBeforeTheBodyIsReadClosesTheConnection() throws IOException {
        // The body never comes: the answer must not leave the connection looking reusable while the server drops it
        // for the body it did not read.
        try (Socket socket = connect()) {
            Response refused = refusedForItsContentType(socket, 1000, "");
            assertEquals("close", refused.header("connection"));
        }
    }

    @Test
    void aShortBodyRefusedBeforeItWasReadIsDroppedAndTheConnectionServesTheNextRequest() throws IOException {
        // The body came: it is read and dropped, so the connection stays usable, and no byte is left unread for a
        // closing socket to answer with a reset.
        try (Socket socket = connect()) {
            Response refused = refusedForItsContentType(socket, 10, "0123456789");
            assertEquals(null, refused.header("connection"), refused.toString());

            send(socket, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Response next = Response.read(socket.getInputStream());
            assertEquals(200, next.status(), next.toString());
        }
    }

    /** Sends a POST announcing {@code length} bytes of text, {@code body} of them, and reads its 415. */
    private static Response refusedForItsContentType(Socket socket, int length, String body) throws IOException {
        send(socket, "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                + "Accept: application/json, text/event-stream\r\nContent-Length: " + length + "\r\n\r\n" + body);
        Response refused = Response.read(socket.getInputStream());
        assertEquals(415, refused.status(), refused.toString());
        return refused;
    }

    // ---- the trickling client ------------------------------------------------------------------------------

    /** Sends the text a byte at a time, 20 bytes a second; whether the server closed the connection first. */
    private static boolean trickleUntilClosed(Socket socket, String text) throws IOException {
        for (char c : text.toCharArray()) {
            if (!trickleOne(socket, c)) {
                return true;
            }
            pause();
        }
        return false;
    }

    /** Sends one byte; false if the connection turned out closed (the write failed or the server's FIN arrived). */
    private static boolean trickleOne(Socket socket, char c) throws IOException {
        try {
            send(socket, Character.toString(c));
            int before = socket.getSoTimeout();
            socket.setSoTimeout(1);
            try {
                return socket.getInputStream().read() >= 0;
            } catch (java.net.SocketTimeoutException e) {
                return true; // nothing to read: still open
            } finally {
                socket.setSoTimeout(before);
            }
        } catch (SocketException e) {
            return false;
        }
    }

    /** The client's pace while trickling: it is the slow client being simulated, not a wait for the server. */
    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
