package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/1.1 framing of the MCP endpoint's server, spoken to over raw sockets: keep-alive and pipelining, chunked
 * request bodies, 100-continue, streamed answers, and a clear status for each kind of bad request.
 */
@Timeout(20)
class Http1ServerTest {
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private Http1Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start() throws IOException {
        start(100);
    }

    /**
     * Echoes method, path and body; {@code /stream} answers in three flushed pieces; {@code /silent} never answers;
     * {@code /ignore} answers without reading the body. Holds at most {@code maxConnections} connections.
     */
    private void start(int maxConnections) throws IOException {
        server = Http1Server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), (path, exchange) -> {
            String body = path.equals("/ignore") ? ""
                    : new String(exchange.body().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.method() + " " + path + " " + body);
            switch (path) {
                case "/stream" -> {
                    OutputStream out = exchange.stream(200);
                    for (String piece : List.of("one", "two", "three")) {
                        out.write(piece.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
                case "/silent" -> {
                    // answers nothing: the server must
                }
                default -> {
                    exchange.setHeader("Content-Type", "text/plain");
                    exchange.send(200, ("echo:" + body).getBytes(StandardCharsets.UTF_8));
                }
            }
        }, Duration.ofSeconds(10), maxConnections);
    }

    @Test
    void keepsTheConnectionForPipelinedRequestsAndSkipsWhatAHandlerLeftUnread() throws Exception {
        start();
        try (Socket socket = connect()) {
            send(socket, "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                    + "POST /ignore HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nwxyz"
                    + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nde");
            InputStream in = socket.getInputStream();
            assertEquals("echo:abc", readResponse(in).body());
            assertEquals("echo:", readResponse(in).body());
            assertEquals("echo:de", readResponse(in).body());
        }
        assertEquals(List.of("POST /a abc", "POST /ignore ", "POST /b de"), seen);
    }

    @Test
    void readsAChunkedBodyWithExtensionsAndTrailers() throws Exception {
        start();
        try (Socket socket = connect()) {
            send(socket, "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n"
                    + "GET /d HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = socket.getInputStream();
            assertEquals("echo:abcde", readResponse(in).body());
            assertEquals("echo:", readResponse(in).body());
        }
    }

    @Test
    void answers100ContinueWhenTheHandlerReadsTheBody() throws Exception {
        start();
        try (Socket socket = connect()) {
            send(socket, "POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
            InputStream in = socket.getInputStream();
            assertEquals("HTTP/1.1 100 Continue", line(in));
            assertEquals("", line(in));
            send(socket, "ok");
            assertEquals("echo:ok", readResponse(in).body());
        }
    }

    @Test
    void streamsAnAnswerInChunksOnePerFlushAndKeepsTheConnection() throws Exception {
        start();
        try (Socket socket = connect()) {
            send(socket, "GET /stream HTTP/1.1\r\nHost: h\r\n\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = socket.getInputStream();
            Response streamed = readResponse(in);
            assertEquals("chunked", streamed.header("transfer-encoding"));
            assertEquals("3\r\none\r\n3\r\ntwo\r\n5\r\nthree\r\n0\r\n\r\n", streamed.body());
            assertEquals("echo:", readResponse(in).body());
        }
    }

    @Test
    void aHandlerThatDoesNotAnswerLeadsTo500AndAClosedConnection() throws Exception {
        start();
        try (Socket socket = connect()) {
            send(socket, "GET /silent HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = socket.getInputStream();
            Response response = readResponse(in);
            assertEquals(500, response.status());
            assertEquals("close", response.header("connection"));
            assertEquals(-1, in.read());
        }
    }

    @Test
    void http10ClosesAfterTheAnswerUnlessKeepAliveIsAsked() throws Exception {
        start();
        try (Socket socket = connect()) {
            send(socket, "GET /f HTTP/1.0\r\n\r\n");
            InputStream in = socket.getInputStream();
            Response response = readResponse(in);
            assertEquals("close", response.header("connection"));
            assertEquals(-1, in.read());
        }
        try (Socket socket = connect()) {
            send(socket, "GET /g HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /h HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = socket.getInputStream();
            readResponse(in);
            assertEquals("echo:", readResponse(in).body());
        }
    }

    @Test
    void badRequestsGetTheirStatusAndAClosedConnection() throws Exception {
        start();
        assertEquals(400, rejected("NONSENSE\r\n\r\n"));
        assertEquals(400, rejected("GET / HTTP/1.1\r\nno colon here\r\n\r\n"));
        assertEquals(400, rejected("POST / HTTP/1.1\r\nContent-Length: -4\r\n\r\n"));
        assertEquals(501, rejected("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"));
        assertEquals(431, rejected("GET / HTTP/1.1\r\nX-Big: " + "a".repeat(Http1Server.MAX_HEAD_BYTES) + "\r\n\r\n"));
        assertEquals(List.of(), seen, "no bad request reaches the handler");
    }

    @Test
    void closingDropsOpenConnections() throws Exception {
        start();
        try (Socket socket = connect()) {
            send(socket, "GET /i HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = socket.getInputStream();
            readResponse(in);
            server.close();
            assertEquals(-1, in.read(), "the idle keep-alive connection is closed");
        }
    }

    @Test
    void aConnectionBeyondTheLimitIsAnswered503AndClosedWhileTheOthersAreServed() throws Exception {
        start(2);
        try (Socket first = connect(); Socket second = connect()) {
            assertEquals("echo:", exchange(first, "/a"));
            assertEquals("echo:", exchange(second, "/b"));
            try (Socket third = connect()) {
                send(third, "GET /refused HTTP/1.1\r\nHost: h\r\n\r\n");
                InputStream in = third.getInputStream();
                Response refused = readResponse(in);
                assertEquals(503, refused.status());
                assertEquals("1", refused.header("retry-after"));
                assertEquals("close", refused.header("connection"));
                assertEquals("the gateway holds its limit of 2 connections; retry later\n", refused.body());
                assertEquals(-1, in.read(), "the refused connection is closed");
            }
            assertEquals("echo:", exchange(first, "/c"), "the connections held are still served");
            assertEquals("echo:", exchange(second, "/d"));
        }
        awaitServedAgain();
        assertTrue(seen.stream().noneMatch(request -> request.contains("/refused")), "refused before the handler");
    }

    @Test
    void everyWayAConnectionEndsGivesItsPlaceBack() throws Exception {
        start(1);
        assertEquals(400, rejected("NONSENSE\r\n\r\n"));
        awaitServedAgain(); // its probe asks the server to close after answering: one more way, checked by the next
        try (Socket kept = connect()) {
            assertEquals("echo:", exchange(kept, "/kept-alive"));
        }
        awaitServedAgain();
        try (Socket streamed = connect()) {
            send(streamed, "GET /stream HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals("chunked", readResponse(streamed.getInputStream()).header("transfer-encoding"));
        }
        awaitServedAgain();
        try (Socket vanished = connect()) {
            send(vanished, "POST /half HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
        }
        awaitServedAgain();
        try (Socket silent = connect()) {
            send(silent, "GET /silent HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals(500, readResponse(silent.getInputStream()).status());
        }
        awaitServedAgain();
    }

    /**
     * Waits until a fresh connection is served, not refused (the connections before it gave their places back), and
     * then until that probe's own place is given back too, so the test's next connection is not refused for it.
     */
    private void awaitServedAgain() {
        Await.until("a new connection is served", Duration.ofSeconds(10), () -> {
            try (Socket probe = connect()) {
                send(probe, "GET /probe HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
                return readResponse(probe.getInputStream()).status() == 200;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Await.until("the probe's connection is given back", Duration.ofSeconds(10), () -> server.openConnections() == 0);
    }

    /** Sends a GET on a kept-alive connection and returns the body of its answer. */
    private static String exchange(Socket socket, String path) throws IOException {
        send(socket, "GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n");
        return readResponse(socket.getInputStream()).body();
    }

    private int rejected(String request) throws IOException {
        try (Socket socket = connect()) {
            send(socket, request);
            InputStream in = socket.getInputStream();
            Response response = readResponse(in);
            assertEquals("close", response.header("connection"));
            assertTrue(response.body().endsWith("\n"), "a reason in the body: " + response.body());
            assertEquals(-1, in.read());
            return response.status();
        }
    }

    private Socket connect() throws IOException {
        return new Socket(server.address().getAddress(), server.address().getPort());
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** A response; a chunked body is returned raw (with its framing), others by Content-Length. */
    private record Response(int status, List<String> headers, String body) {
        String header(String name) {
            for (String header : headers) {
                int colon = header.indexOf(':');
                if (header.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return header.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private static Response readResponse(InputStream in) throws IOException {
        String status = line(in);
        List<String> headers = new ArrayList<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            headers.add(header);
        }
        Response head = new Response(Integer.parseInt(status.split(" ")[1]), headers, "");
        String length = head.header("content-length");
        if (length != null) {
            return new Response(head.status(), headers, new String(in.readNBytes(Integer.parseInt(length)),
                    StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            raw.write((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int n = Integer.parseInt(size, 16);
            raw.write(in.readNBytes(n + 2));
            if (n == 0) {
                return new Response(head.status(), headers, raw.toString(StandardCharsets.UTF_8));
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection ended inside a line: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
