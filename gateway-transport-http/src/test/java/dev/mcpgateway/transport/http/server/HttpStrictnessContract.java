package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.server.McpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
 * A front door's HTTP/1.1 framing against what RFC 9112 asks of a strict recipient, spoken to over raw sockets:
 * every ambiguous or malformed request is refused with its status and its connection closed, so nothing hidden
 * behind it (a smuggled second request) is ever answered; request heads are bounded in size; stalled heads, stalled
 * bodies and idle connections are cut off. Each subclass runs every case here against one front door, configured with the limits and deadlines
 * below; where a front door's safe answer differs from the strict one it says so in {@link #expected}. Short
 * deadlines keep the timing tests fast.
 */
@Timeout(30)
abstract class HttpStrictnessContract {
    /** The request each case hides behind the first: never answered unless the first was read unambiguously. */
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";
    /** The size a request head may have; the front door is configured with it. */
    static final int MAX_HEAD_BYTES = 4096;
    static final Duration HEADER_TIMEOUT = Duration.ofMillis(600);
    static final Duration BODY_TIMEOUT = Duration.ofMillis(600);
    static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);

    /** A running front door on 127.0.0.1: where it listens, and how to stop it. */
    record Door(InetSocketAddress address, AutoCloseable stopper) {
    }

    private McpGateway gateway;
    private McpServer mcp;
    private Door door;

    /** Starts the front door under test for the server, with the head limit and the deadlines above. */
    abstract Door start(McpServer server) throws Exception;

    /**
     * How a front door answers a case: with this status, then either closing the connection (so whatever follows
     * is never answered) or, having read the request unambiguously, serving what follows as the next request.
     */
    record Answer(int status, boolean closes) {
        static Answer refused(int status) {
            return new Answer(status, true);
        }
    }

    /**
     * How this front door answers the case: refused with the strict status unless it answers otherwise, safely
     * and for a reason the subclass gives.
     */
    Answer expected(String what, int strict) {
        return Answer.refused(strict);
    }

    @BeforeEach
    void startDoor() throws Exception {
        gateway = McpGateway.builder().build();
        mcp = McpServer.create(gateway);
        door = start(mcp);
    }

    @AfterEach
    void stopDoor() throws Exception {
        try {
            door.stopper().close();
        } finally {
            mcp.close();
            gateway.close();
        }
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
        Answer expected = expected(what, status);
        try (Socket socket = connect()) {
            send(socket, unescape(request) + SMUGGLED);
            InputStream in = socket.getInputStream();
            Response response = Response.read(in);
            assertEquals(expected.status(), response.status(), what + ": " + response);
            if (expected.closes()) {
                assertEquals(-1, readRest(in), what + ": the connection is closed, the smuggled request unanswered");
            } else {
                assertEquals(404, Response.read(in).status(), what + ": the next request is served as what it is");
            }
        }
    }

    @Test
    void aRequestHeadBeyondTheLimitIsRefused() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /mcp HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(MAX_HEAD_BYTES + 1000)
                    + "\r\n\r\n");
            InputStream in = socket.getInputStream();
            assertEquals(expected("a request head beyond the limit", 431).status(), Response.read(in).status());
            assertEquals(-1, readRest(in));
        }
    }

    @Test
    void wellFormedRequestsAreStillServedAndPipelined() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /other HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "POST /other HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\n"
                    + "X-Trailer: t\r\n\r\n"
                    + "POST /other HTTP/1.1\r\nhost: localhost\r\nContent-Length: 2\r\n\r\nde"
                    + "GET /other HTTP/1.1\nHost: localhost\n\n"); // a bare LF ends lines too (RFC 9112 2.2)
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 4; i++) {
                assertEquals(404, Response.read(in).status(), "request " + i);
            }
        }
    }

    @Test
    void aStalledHeadIsCutOffAtItsDeadline() throws IOException {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            send(socket, "GET /mcp HTTP/1.1\r\nHost: localhost\r\n");
            assertEquals(-1, readRest(socket.getInputStream()), "closed by the server, nothing answered");
            assertAtLeastTheDeadline(start, HEADER_TIMEOUT);
        }
    }

    @Test
    void aStalledBodyIsCutOffAtItsDeadline() throws IOException {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            send(socket, "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{");
            InputStream in = socket.getInputStream();
            Response response = Response.read(in);
            assertEquals(expected("a stalled body", 408).status(), response.status(), response.toString());
            assertEquals(-1, readRest(in), "closed by the server");
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
            assertEquals(-1, readRest(in), "closed by the server");
            assertAtLeastTheDeadline(start, IDLE_TIMEOUT.minusMillis(100));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    Socket connect() throws IOException {
        Socket socket = new Socket(door.address().getAddress(), door.address().getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    static void assertAtLeastTheDeadline(long startNanos, Duration deadline) {
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertTrue(tookMillis >= deadline.toMillis(), "cut off after " + tookMillis + " ms, before the deadline");
    }

    /** Reads to the end of the connection; -1 when it ends without another byte, else the first extra byte. */
    static int readRest(InputStream in) throws IOException {
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
    record Response(int status, List<String> headers, String body) {
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
