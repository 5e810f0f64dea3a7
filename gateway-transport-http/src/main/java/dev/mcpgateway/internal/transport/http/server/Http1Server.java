package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.internal.transport.http.Http1Wire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server for the MCP endpoint: one virtual thread per connection reading requests from a blocking
 * socket and answering on the same thread, with keep-alive, chunked request bodies, {@code Expect: 100-continue} and
 * chunked streaming answers (event streams). Against the JDK's built-in server it saves a dispatcher thread, a
 * hand-off per request and most of its per-request garbage, which were half of the CPU of a tool call over HTTP.
 * Holds at most a given number of connections: one beyond it is answered {@code 503} with {@code Retry-After} and
 * closed, never queued. Thread-safe.
 */
public final class Http1Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Http1Server.class);
    /** Largest request line plus headers; beyond it the request gets 431. */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int BUFFER_BYTES = 8 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    /** How long a refused connection may take to send what it had in flight before it is closed. */
    private static final long REFUSAL_LINGER_NANOS = Duration.ofSeconds(1).toNanos();
    /** How many refused connections may linger at once; beyond it they are closed at once (a flood, not clients). */
    private static final int MAX_LINGERING_REFUSALS = 256;
    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(100, "Continue"),
            Map.entry(200, "OK"), Map.entry(202, "Accepted"), Map.entry(204, "No Content"),
            Map.entry(400, "Bad Request"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(406, "Not Acceptable"), Map.entry(413, "Content Too Large"),
            Map.entry(415, "Unsupported Media Type"), Map.entry(429, "Too Many Requests"),
            Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"),
            Map.entry(503, "Service Unavailable"));

    /** Handles one request; it must answer through the exchange before it returns. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Answers a request.
         *
         * @param path     the request target's path, without the query
         * @param exchange the request and its answer
         */
        void handle(String path, HttpExchangeAdapter exchange) throws IOException;
    }

    private final ServerSocket listener;
    private final Handler handler;
    private final int idleTimeoutMillis;
    private final int maxConnections;
    /** The connections being served; only the accepting thread adds, so its size check cannot be overtaken. */
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger lingeringRefusals = new AtomicInteger();
    /** Whether the last connection was refused, so reaching the limit is logged once, not once per connection. */
    private boolean atLimit;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Http1Server(ServerSocket listener, Handler handler, Duration idleTimeout, int maxConnections) {
        this.listener = listener;
        this.handler = handler;
        this.idleTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis());
        this.maxConnections = maxConnections;
    }

    /**
     * Binds and starts accepting connections.
     *
     * @param idleTimeout    how long a connection may sit between requests (or inside one) without sending a byte
     * @param maxConnections how many connections may be open at once (at least 1); more are answered 503
     * @throws IOException if the address cannot be bound
     */
    public static Http1Server start(InetSocketAddress address, Handler handler, Duration idleTimeout,
                                    int maxConnections) throws IOException {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        ServerSocket listener = new ServerSocket();
        try {
            listener.bind(address, 1024);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        Http1Server server = new Http1Server(listener, handler, idleTimeout, maxConnections);
        Thread.ofVirtual().name("mcp-http-accept-" + listener.getLocalPort()).start(server::accept);
        return server;
    }

    /** How many connections are being served now, the number the limit counts. */
    public int openConnections() {
        return connections.size();
    }

    /** The bound address, with the actual port. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Stops accepting and drops every connection; requests being handled see their sockets closed. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(listener);
        connections.forEach(Http1Server::closeQuietly);
    }

    private void accept() {
        while (!closed.get()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    log.warn("accepting a connection on {} failed: {}", address(), e.toString());
                    pauseAfterAcceptFailure();
                }
                continue;
            }
            if (connections.size() >= maxConnections) {
                refuse(socket);
                continue;
            }
            atLimit = false;
            connections.add(socket);
            if (closed.get()) {
                closeQuietly(socket);
                continue;
            }
            Thread.ofVirtual().name("mcp-http-conn").start(() -> serve(socket));
        }
    }

    /**
     * Answers a connection beyond the limit with 503 and closes it, on a thread of its own so that a client slow to
     * read cannot hold up accepting.
     */
    private void refuse(Socket socket) {
        if (!atLimit) {
            atLimit = true;
            log.warn("The MCP endpoint on {} holds its limit of {} connections; new ones are answered 503 until "
                    + "some close (raise maxConnections if this load is expected)", address(), maxConnections);
        }
        if (lingeringRefusals.incrementAndGet() > MAX_LINGERING_REFUSALS) {
            lingeringRefusals.decrementAndGet();
            closeQuietly(socket);
            return;
        }
        Thread.ofVirtual().name("mcp-http-refuse").start(() -> {
            try {
                answerRefusal(socket);
            } finally {
                lingeringRefusals.decrementAndGet();
            }
        });
    }

    private void answerRefusal(Socket socket) {
        try (socket) {
            long deadline = System.nanoTime() + REFUSAL_LINGER_NANOS;
            socket.setSoTimeout((int) TimeUnit.NANOSECONDS.toMillis(REFUSAL_LINGER_NANOS));
            Exchange.error(new BufferedOutputStream(socket.getOutputStream(), 512), 503, "Retry-After: 1",
                    "the gateway holds its limit of " + maxConnections + " connections; retry later");
            socket.shutdownOutput();
            // Closing with unread bytes makes TCP reset the connection, which can discard the 503 before the
            // client reads it: what the client sent is read (within a second and a bounded amount) first.
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[BUFFER_BYTES];
            long left = MAX_HEAD_BYTES;
            while (left > 0 && System.nanoTime() - deadline < 0) {
                int n = in.read(sink);
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException e) {
            // the client left or stayed silent: the connection is closed either way
        }
    }

    /** Out of file descriptors, accept fails at once; a short pause keeps the loop from spinning. */
    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(idleTimeoutMillis);
            InputStream in = new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
            String client = socket.getInetAddress().getHostAddress();
            boolean keepAlive = true;
            while (keepAlive && !closed.get()) {
                keepAlive = exchangeOne(client, in, out);
            }
        } catch (SocketTimeoutException | EOFException e) {
            // an idle or vanished client: nothing to answer
        } catch (SocketException e) {
            // closed by the client, or by close()
        } catch (IOException | RuntimeException e) {
            log.debug("connection from {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
        } finally {
            connections.remove(socket);
        }
    }

    /** Reads one request and answers it; returns whether the connection stays open for another. */
    private boolean exchangeOne(String client, InputStream in, OutputStream out) throws IOException {
        Head head;
        try {
            head = Head.read(in);
        } catch (BadRequest e) {
            Exchange.error(out, e.status, e.getMessage());
            return false;
        }
        if (head == null) {
            return false; // the client closed between requests
        }
        RequestBody body;
        String transferEncoding = head.header("transfer-encoding");
        String length = head.header("content-length");
        if (transferEncoding != null) {
            if (!transferEncoding.trim().equalsIgnoreCase("chunked")) {
                Exchange.error(out, 501, "unsupported Transfer-Encoding '" + transferEncoding
                        + "'; send chunked or a Content-Length");
                return false;
            }
            body = new ChunkedBody(in);
        } else if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared < 0) {
                Exchange.error(out, 400, "invalid Content-Length '" + length + "'");
                return false;
            }
            body = new FixedBody(in, declared);
        } else {
            body = new FixedBody(in, 0);
        }
        boolean keepAlive = head.keepAlive();
        Exchange exchange = new Exchange(client, head, body, out, keepAlive);
        handler.handle(head.path(), exchange);
        if (!exchange.finish() || !keepAlive || exchange.awaitsContinue()) {
            return false; // a client still waiting for 100 Continue would send its body as the next request
        }
        // What the handler left of the body is read past so the next request starts where it should; a large rest
        // is not worth reading, the connection closes instead.
        return body.drain(MAX_HEAD_BYTES);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    /** A request that cannot be answered normally, with the status that says why. */
    private static final class BadRequest extends IOException {
        private final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The request line and headers. */
    private record Head(String method, String target, String version, Map<String, String> headers) {
        /** Reads a head; null if the stream ends before its first byte. */
        static Head read(InputStream in) throws IOException {
            String requestLine = line(in);
            while (requestLine != null && requestLine.isEmpty()) {
                requestLine = line(in); // a stray CRLF between requests is allowed (RFC 9112 2.2)
            }
            if (requestLine == null) {
                return null;
            }
            String[] parts = requestLine.split(" ", -1);
            if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
                throw new BadRequest(400, "malformed request line");
            }
            Map<String, String> headers = new HashMap<>();
            int size = requestLine.length();
            for (String line = headerLine(in); !line.isEmpty(); line = headerLine(in)) {
                size += line.length() + 2;
                if (size > MAX_HEAD_BYTES) {
                    throw new BadRequest(431, "request headers larger than " + MAX_HEAD_BYTES + " bytes");
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new BadRequest(400, "malformed header line");
                }
                headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            return new Head(parts[0], parts[1], parts[2], headers);
        }

        String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }

        String path() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }

        boolean keepAlive() {
            String connection = header("connection");
            if (connection != null && connection.toLowerCase(Locale.ROOT).contains("close")) {
                return false;
            }
            return !version.equals("HTTP/1.0") || (connection != null && connection.equalsIgnoreCase("keep-alive"));
        }

        private static String headerLine(InputStream in) throws IOException {
            String line = line(in);
            if (line == null) {
                throw new EOFException("the connection ended inside a request head");
            }
            return line;
        }

        /** A line of the request head, or null if the stream ends first; an over-long one is answered with 431. */
        private static String line(InputStream in) throws IOException {
            try {
                return Http1Wire.line(in, MAX_HEAD_BYTES);
            } catch (Http1Wire.LineTooLongException e) {
                throw new BadRequest(431, e.getMessage());
            }
        }
    }

    /** One request and its answer. */
    private static final class Exchange implements HttpExchangeAdapter {
        private final String client;
        private final Head head;
        private final InputStream body;
        private final OutputStream out;
        private final boolean keepAlive;
        private final Map<String, String> responseHeaders = new LinkedHashMap<>();
        private boolean continueSent;
        private boolean committed;
        private ChunkedStream stream;

        Exchange(String client, Head head, InputStream body, OutputStream out, boolean keepAlive) {
            this.client = client;
            this.head = head;
            this.body = body;
            this.out = out;
            this.keepAlive = keepAlive;
        }

        @Override
        public String method() {
            return head.method();
        }

        @Override
        public String header(String name) {
            return head.header(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String clientAddress() {
            return client;
        }

        @Override
        public InputStream body() throws IOException {
            if (!continueSent && "100-continue".equalsIgnoreCase(head.header("expect")) && !committed) {
                continueSent = true;
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            return body;
        }

        @Override
        public void setHeader(String name, String value) {
            if (committed) {
                throw new IllegalStateException("the response is already committed");
            }
            responseHeaders.entrySet().removeIf(entry -> entry.getKey().equalsIgnoreCase(name));
            responseHeaders.put(name, value);
        }

        @Override
        public void send(int status, byte[] content) throws IOException {
            commit(status, status == 204 || status == 304 ? null : "Content-Length: " + content.length);
            if (!method().equals("HEAD") && status != 204 && status != 304) {
                out.write(content);
            }
            out.flush();
        }

        @Override
        public OutputStream stream(int status) throws IOException {
            commit(status, "Transfer-Encoding: chunked");
            out.flush();
            stream = new ChunkedStream(out);
            return stream;
        }

        @Override
        public boolean isCommitted() {
            return committed;
        }

        boolean awaitsContinue() {
            return !continueSent && "100-continue".equalsIgnoreCase(head.header("expect"));
        }

        /**
         * Ends a streamed answer the handler left open; answers 500 if the handler did not answer at all.
         *
         * @return whether the connection can carry another request
         */
        boolean finish() throws IOException {
            if (!committed) {
                setHeader("Connection", "close");
                send(500, new byte[0]);
                return false;
            }
            if (stream != null) {
                stream.close();
            }
            return true;
        }

        private void commit(int status, String framing) throws IOException {
            if (committed) {
                throw new IllegalStateException("the response is already committed");
            }
            committed = true;
            StringBuilder text = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                    .append(REASONS.getOrDefault(status, "")).append("\r\n");
            for (Map.Entry<String, String> header : responseHeaders.entrySet()) {
                text.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
            }
            if (framing != null) {
                text.append(framing).append("\r\n");
            }
            if (!keepAlive && !responseHeaders.containsKey("Connection")) {
                text.append("Connection: close\r\n");
            }
            out.write(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        /** An answer to a request that never reached the handler; the connection closes after it. */
        static void error(OutputStream out, int status, String message) throws IOException {
            error(out, status, null, message);
        }

        /** Such an answer with one more header line (without its CRLF), or none if it is null. */
        static void error(OutputStream out, int status, String header, String message) throws IOException {
            byte[] content = (message + "\n").getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + ' ' + REASONS.getOrDefault(status, "")
                    + (header == null ? "" : "\r\n" + header)
                    + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + content.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
        }
    }

    /** A request body as the handler reads it; single bytes go through the array read the subclasses implement. */
    private abstract static class RequestBody extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        /** Reads past what the handler left, up to {@code limit} bytes; whether the body ended within them. */
        boolean drain(int limit) throws IOException {
            byte[] sink = new byte[BUFFER_BYTES];
            long left = limit;
            while (left >= 0) {
                int n = read(sink, 0, sink.length);
                if (n < 0) {
                    return true;
                }
                left -= n;
            }
            return false;
        }
    }

    /** A body of a declared length. */
    private static final class FixedBody extends RequestBody {
        private final InputStream in;
        private long remaining;

        FixedBody(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("the client closed the connection inside a request body");
            }
            remaining -= n;
            return n;
        }

        @Override
        boolean drain(int limit) throws IOException {
            // The usual case, a handler that read the whole body, costs nothing.
            return remaining == 0 || (remaining <= limit && super.drain(limit));
        }
    }

    /** A chunked request body (RFC 9112 7.1); trailers are read and ignored. */
    private static final class ChunkedBody extends RequestBody {
        private final InputStream in;
        private long left;
        private boolean started;
        private boolean ended;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (ended) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            if (left == 0 && !nextChunk()) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n < 0) {
                throw new EOFException("the client closed the connection inside a chunked request body");
            }
            left -= n;
            return n;
        }

        private boolean nextChunk() throws IOException {
            left = Http1Wire.nextChunkSize(in, started, MAX_HEAD_BYTES);
            started = true;
            ended = left == 0;
            return !ended;
        }
    }

    /**
     * A chunked answer: what is written between flushes goes out as one chunk, so each event of a stream reaches the
     * client when the writer flushes it. Closing ends the answer, not the connection.
     */
    private static final class ChunkedStream extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream(512);
        private boolean closed;

        ChunkedStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            ensureOpen();
            pending.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            ensureOpen();
            pending.write(bytes, offset, length);
        }

        @Override
        public synchronized void flush() throws IOException {
            ensureOpen();
            writeChunk();
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            writeChunk();
            out.write('0');
            out.write(CRLF);
            out.write(CRLF);
            out.flush();
        }

        private void writeChunk() throws IOException {
            if (pending.size() == 0) {
                return;
            }
            out.write(Integer.toHexString(pending.size()).getBytes(StandardCharsets.ISO_8859_1));
            out.write(CRLF);
            pending.writeTo(out);
            out.write(CRLF);
            pending.reset();
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("the answer's stream is closed");
            }
        }
    }
}
