package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.server.McpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The built-in server's HTTP/1.1 framing against what RFC 9112 asks of a strict recipient, spoken to over raw sockets:
 * every ambiguous or malformed request is refused with its status and its connection closed, so nothing hidden
 * behind it (a smuggled second request) is ever answered; request heads are bounded in size; slow heads, slow bodies
 * and idle connections are cut off. Short deadlines keep the timing tests fast.
 */
@Timeout(30)
class HttpStrictnessTest {
    /** The smuggled request some cases hide behind the first: it must never be answered. */
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(600);
    private static final Duration BODY_TIMEOUT = Duration.ofMillis(600);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);

    private McpGateway gateway;
    private McpServer mcp;
    private McpHttpServer server;

    @BeforeEach
    void start() throws IOException {
        gateway = McpGateway.builder().build();
        mcp = McpServer.create(gateway);
        server = McpHttpServer.start(mcp, HttpFrontDoorOptions.builder().port(0).maxRequestHeaderBytes(4096)
                .requestHeaderTimeout(HEADER_TIMEOUT).requestBodyTimeout(BODY_TIMEOUT).idleTimeout(IDLE_TIMEOUT)
                .build());
    }

    @AfterEach
    void stop() {
        server.close();
        mcp.close();
        gateway.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Content-Length with Transfer-Encoding   | 400 | POST /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
            two different Content-Lengths           | 400 | POST /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: 0\\r\\nContent-Length: 5\\r\\n\\r\\nhello
            two Content-Lengths in one field        | 400 | POST /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: 0, 5\\r\\n\\r\\nhello
            chunked twice                           | 400 | POST /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
            chunked not the final coding            | 400 | POST /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: identity\\r\\n\\r\\n0\\r\\n\\r\\n
            a signed Content-Length                 | 400 | POST /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: +146\\r\\n\\r\\n
            a negative Content-Length               | 400 | POST /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: -4\\r\\n\\r\\n
            whitespace before the colon             | 400 | GET /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nX-Name : v\\r\\n\\r\\n
            whitespace before the first header      | 400 | GET /mcp HTTP/1.1\\r\\n Host: localhost\\r\\n\\r\\n
            an obs-fold                             | 400 | GET /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nX-Name: a\\r\\n b\\r\\n\\r\\n
            a bare CR in a value                    | 400 | GET /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nX-Name: a\\rb\\r\\n\\r\\n
            a NUL in a value                        | 400 | GET /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nX-Name: a\\u0000b\\r\\n\\r\\n
            a header line without a colon           | 400 | GET /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nno colon here\\r\\n\\r\\n
            a malformed request line                | 400 | NONSENSE\\r\\n\\r\\n
            no Host                                 | 400 | GET /mcp HTTP/1.1\\r\\n\\r\\n
            two Hosts                               | 400 | GET /mcp HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n
            HTTP/1.9                                | 505 | GET /mcp HTTP/1.9\\r\\nHost: localhost\\r\\n\\r\\n
            HTTP/2.0 in an HTTP/1 request line      | 426 | GET /mcp HTTP/2.0\\r\\nHost: localhost\\r\\n\\r\\n
            a chunk size that is not hex            | 400 | POST /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Type: application/json\\r\\nAccept: application/json, text/event-stream\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\nhello\\r\\n0\\r\\n\\r\\n
            a chunk size beyond 64 bits             | 400 | POST /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Type: application/json\\r\\nAccept: application/json, text/event-stream\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1ffffffffffffffff\\r\\nhello\\r\\n0\\r\\n\\r\\n
            a chunk without its CRLF                | 400 | POST /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Type: application/json\\r\\nAccept: application/json, text/event-stream\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhelloXX0\\r\\n\\r\\n
            chunked not final (RFC 9112 6.3)        | 400 | POST /mcp HTTP/1.1\\r\\nHost: localhost\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n
            """)
    void anAmbiguousOrMalformedRequestIsRefusedAndItsConnectionClosed(String what, int status, String request)
            throws IOException {
        try (Socket socket = connect()) {
            send(socket, unescape(request) + SMUGGLED);
            InputStream in = socket.getInputStream();
            Response response = Response.read(in);
            assertEquals(status, response.status(), what + ": " + response);
            assertEquals(-1, readRest(in), what + ": the connection is closed, the smuggled request unanswered");
        }
    }

    @Test
    void aRequestHeadBeyondTheLimitIs431() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /mcp HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(5000) + "\r\n\r\n");
            InputStream in = socket.getInputStream();
            assertEquals(431, Response.read(in).status());
            assertEquals(-1, readRest(in));
        }
    }

    @Test
    void wellFormedRequestsAreStillServedAndPipelined() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /other HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "POST /other HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\n"
                    + "X-Trailer: t\r\n\r\n"
                    + "POST /other HTTP/1.1\r\nhost: h\r\nContent-Length: 2\r\n\r\nde"
                    + "GET /other HTTP/1.1\nHost: h\n\n"); // a bare LF ends lines too (RFC 9112 2.2)
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 4; i++) {
                assertEquals(404, Response.read(in).status(), "request " + i);
            }
        }
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
    void anIdleConnectionIsClosedAtTheIdleTimeout() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /other HTTP/1.1\r\nHost: localhost\r\n\r\n");
            InputStream in = socket.getInputStream();
            assertEquals(404, Response.read(in).status());
            long start = System.nanoTime();
            socket.setSoTimeout(10_000);
            assertEquals(-1, readRest(in), "closed by the server");
            assertAtLeastTheDeadline(start, IDLE_TIMEOUT.minusMillis(100));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private Socket connect() throws IOException {
        Socket socket = new Socket(server.address().getAddress(), server.address().getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

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

    private static void assertAtLeastTheDeadline(long startNanos, Duration deadline) {
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertTrue(tookMillis >= deadline.toMillis(), "cut off after " + tookMillis + " ms, before the deadline");
    }

    /** Reads to the end of the connection; -1 when it ends without another byte, else the first extra byte. */
    private static int readRest(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException e) {
            return -1; // reset: closed too
        }
    }

    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\u0000");
    }

    /** A response: status, header lines and body (by Content-Length, or to the end of the connection). */
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

        /** A response, or null if none began within the socket's timeout. */
        static Response tryRead(InputStream in) throws IOException {
            try {
                return read(in);
            } catch (java.net.SocketTimeoutException e) {
                return null;
            }
        }

        static Response read(InputStream in) throws IOException {
            String status = line(in);
            List<String> headers = new ArrayList<>();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                headers.add(header);
            }
            Response head = new Response(Integer.parseInt(status.split(" ")[1]), headers, "");
            String length = head.header("content-length");
            byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
            return new Response(head.status(), headers, new String(body, StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the connection ended inside a line: " + line);
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
