package dev.mcpgateway.internal.transport.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;

/**
 * POSTs to one plain {@code http://} origin over a pool of keep-alive HTTP/1.1 connections on blocking sockets.
 * On the virtual threads that send the gateway's upstream calls, an exchange costs a write and a read here, where
 * the JDK {@link HttpClient} spends several times the CPU on its asynchronous machinery (selector thread, task
 * hand-offs, flow subscriptions), which made it the bottleneck of HTTP plugins. Used only where the two behave
 * alike: see {@link #suits}. Answers are {@link UpstreamReply}s whose body streams as it arrives (event streams
 * included); the connection returns to the pool once the body was read to its end, and closing the body before
 * that closes the connection (which is how a request is abandoned). The wait for the response headers is bounded
 * by a timer on the gateway's scheduler when the pool has one, else by the socket's read timeout, which on a virtual
 * thread arms a timer of the JDK's that costs far more per exchange (see {@code dev.mcpgateway.internal.Timers}).
 * Thread-safe.
 */
public final class Http1Pool implements AutoCloseable {
    private static final String TRANSFER_ENCODING = "Transfer-Encoding";
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int BUFFER_BYTES = 16 * 1024;
    /** Room for a request head with a bearer token and the stateless era's headers before the buffer grows. */
    private static final int HEAD_BYTES = 1024;
    /** Idle connections older than this are closed rather than reused, like the JDK client's keep-alive limit. */
    private static final long MAX_IDLE_NANOS = 30_000_000_000L;
    /** How long {@link #finish} waits for the end of a body whose content is no longer needed. */
    private static final int FINISH_WAIT_MILLIS = 100;
    /** How much of such a body {@link #finish} reads, at most, to keep its connection. */
    private static final int FINISH_MAX_BYTES = 64 * 1024;

    private final String host;
    private final int port;
    private final String hostHeader;
    private final Duration connectTimeout;
    /** Null: the socket's read timeout bounds the wait for response headers instead. */
    private final ScheduledExecutorService timer;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /**
     * A pool for the origin of {@code url} (an {@code http://} URL) whose waits for response headers are bounded by
     * timers on {@code timer} (null: by socket read timeouts).
     */
    public Http1Pool(URI url, Duration connectTimeout, ScheduledExecutorService timer) {
        this.host = url.getHost();
        this.port = url.getPort() >= 0 ? url.getPort() : 80;
        this.hostHeader = url.getPort() >= 0 ? host + ":" + port : host;
        this.connectTimeout = connectTimeout;
        this.timer = timer;
    }

    /**
     * Whether POSTs to {@code url} may bypass {@code client}: a plain {@code http://} URL reached without a proxy,
     * and a client that adds nothing to an exchange (no authenticator, cookie handler or redirects).
     */
    public static boolean suits(HttpClient client, URI url) {
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || client.authenticator().isPresent()
                || client.cookieHandler().isPresent() || client.followRedirects() != HttpClient.Redirect.NEVER) {
            return false;
        }
        ProxySelector proxies = client.proxy().orElseGet(ProxySelector::getDefault);
        if (proxies == null) {
            return true;
        }
        try {
            return proxies.select(url).stream().allMatch(proxy -> proxy.type() == Proxy.Type.DIRECT);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * POSTs {@code body} to {@code target} (a URL of this pool's origin) with {@code headers}, allowing {@code timeout}
     * (null: no limit) until the response headers arrive. A POST is never sent twice: an idle connection is checked
     * before it is reused (a server may have closed it meanwhile), and an exchange that fails after that fails.
     *
     * @throws HttpTimeoutException if the response headers did not arrive in time
     * @throws IOException if the exchange failed
     */
    public UpstreamReply post(URI target, HeaderFields headers, Duration timeout, byte[] body) throws IOException {
        if (closed) {
            throw new IOException("the connection pool is closed");
        }
        Connection connection = pooled();
        if (connection == null) {
            connection = open();
        }
        try {
            connection.write(target, headers, body);
            return connection.read(target, timeout);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Ends a body whose content is no longer needed. A body of this pool that ends within {@value #FINISH_WAIT_MILLIS}
     * ms and {@value #FINISH_MAX_BYTES} bytes is read to its end so that its connection is used again; any other body
     * is closed. The case it is for: a server ends the event stream answering a request a few bytes after the
     * response, and reading up to there keeps the connection, where closing it would cost both sides a new one for
     * the next request. Blocks for at most that wait: never call it where closing must be immediate (a cancellation).
     */
    public static void finish(InputStream body) {
        if (!(body instanceof Connection.Body pooled) || !pooled.readToEnd()) {
            try {
                body.close();
            } catch (IOException e) {
                // closing is all that is left to do with it
            }
        }
    }

    /** The most recently used idle connection that is still open and quiet, or null; the others are closed. */
    private Connection pooled() {
        long now = System.nanoTime();
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            if (now - connection.idleSince < MAX_IDLE_NANOS && connection.isQuiet()) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    /** Closes the idle connections; connections in use close when their answers end. */
    @Override
    public void close() {
        closed = true;
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            connection.close();
        }
    }

    private Connection open() throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().setTcpNoDelay(true);
            channel.socket().connect(new InetSocketAddress(host, port),
                    (int) Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE));
            return new Connection(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void release(Connection connection, boolean reusable) {
        if (reusable && !closed && connection.isDrained()) {
            connection.idleSince = System.nanoTime();
            idle.addFirst(connection);
            Connection oldest = idle.peekLast();
            if (oldest != null && connection.idleSince - oldest.idleSince >= MAX_IDLE_NANOS
                    && idle.removeLastOccurrence(oldest)) {
                oldest.close(); // unused for long: traffic no longer needs it
            }
            if (closed && idle.remove(connection)) { // close() ran meanwhile
                connection.close();
            }
        } else {
            connection.close();
        }
    }

    /**
     * One connection, carrying one exchange at a time: a channel, so that an idle one can be checked without
     * blocking, used through its socket's streams, which honour read timeouts.
     */
    private final class Connection {
        private final SocketChannel channel;
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final Http1Wire wire;
        private final ByteBuffer probe = ByteBuffer.allocate(1);
        /** Head lines parsed before, each followed by its field's name and value; see {@link #field}. */
        private final String[] parsedFields = new String[3 * Http1Wire.REMEMBERED_LINES];
        /** The request head being written; used by one exchange at a time, like the connection. */
        private byte[] head = new byte[HEAD_BYTES];
        private int headLength;
        /** Writes a request field into the head: one function per connection rather than one per request. */
        private final BiConsumer<String, String> headField =
                (name, value) -> latin1(name).latin1(": ").latin1(value).latin1("\r\n");
        /** What a deadline does when the response headers are late: one function per connection, like the above. */
        private final Runnable expire = this::close;
        private volatile long idleSince;

        Connection(SocketChannel channel) throws IOException {
            this.channel = channel;
            this.socket = channel.socket();
            this.in = new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES);
            this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
            this.wire = new Http1Wire(in, MAX_HEAD_BYTES);
        }

        /**
         * Whether nothing is buffered beyond the answer just read: bytes past its end are never taken for the next
         * answer, the connection is discarded instead.
         */
        boolean isDrained() {
            try {
                return in.available() == 0;
            } catch (IOException e) {
                return false;
            }
        }

        /** Whether the server has neither closed the connection nor sent anything unasked since the last answer. */
        boolean isQuiet() {
            try {
                if (in.available() > 0) {
                    return false;
                }
                channel.configureBlocking(false);
                try {
                    probe.clear();
                    return channel.read(probe) == 0;
                } finally {
                    channel.configureBlocking(true);
                }
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        /** Writes a POST of {@code body} to {@code uri} with {@code headers}. */
        void write(URI uri, HeaderFields headers, byte[] body) throws IOException {
            headLength = 0;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            latin1("POST ").latin1(path);
            if (uri.getRawQuery() != null) {
                latin1("?").latin1(uri.getRawQuery());
            }
            latin1(" HTTP/1.1\r\nHost: ").latin1(hostHeader).latin1("\r\n");
            headers.forEach(headField);
            latin1("Content-Length: ").decimal(body.length).latin1("\r\n\r\n");
            out.write(head, 0, headLength);
            out.write(body);
            out.flush();
        }

        /**
         * Appends text to the head as ISO-8859-1, like every HTTP head, into this connection's own buffer: a head
         * built as a string and encoded was 3 % of what an HTTP-to-HTTP call allocated.
         */
        private Connection latin1(String text) {
            int length = text.length();
            room(length);
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                head[headLength++] = c <= 0xFF ? (byte) c : (byte) '?';
            }
            return this;
        }

        /** Appends a length in decimal digits, without the string {@link Integer#toString} would make of it. */
        private Connection decimal(int value) {
            int digits = 1;
            for (int rest = value / 10; rest > 0; rest /= 10) {
                digits++;
            }
            room(digits);
            for (int i = headLength + digits - 1, rest = value; i >= headLength; i--, rest /= 10) {
                head[i] = (byte) ('0' + rest % 10);
            }
            headLength += digits;
            return this;
        }

        private void room(int length) {
            if (headLength + length > head.length) {
                head = Arrays.copyOf(head, Math.max(head.length * 2, headLength + length));
            }
        }

        UpstreamReply read(URI uri, Duration timeout) throws IOException {
            HeadDeadline deadline = timeout == null ? null : HeadDeadline.arm(timer, timeout, expire);
            // Without a deadline the socket times the wait; with one, a timeout left by finish() must not.
            socket.setSoTimeout(timeout == null || deadline != null ? 0
                    : (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
            int status;
            HeaderFields headers;
            try {
                while (true) {
                    status = Http1Wire.status(line());
                    headers = new HeaderFields();
                    int size = 0;
                    for (String line = line(); !line.isEmpty(); line = line()) {
                        size += line.length();
                        if (size > MAX_HEAD_BYTES) {
                            throw new IOException("the response headers exceed " + MAX_HEAD_BYTES + " bytes");
                        }
                        field(line, headers);
                    }
                    if (status / 100 != 1) { // 100 Continue and other interim answers precede the real one
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new HttpTimeoutException("no response from " + hostHeader + " within " + timeout);
            } catch (IOException e) {
                if (deadline != null && !deadline.disarm()) { // the timer closed the connection under the read
                    throw new HttpTimeoutException("no response from " + hostHeader + " within " + timeout);
                }
                throw e;
            }
            if (deadline != null && !deadline.disarm()) {
                throw new HttpTimeoutException("no response from " + hostHeader + " within " + timeout);
            }
            socket.setSoTimeout(0); // an event stream may stay quiet for as long as the call runs
            boolean keepAlive = true;
            for (int i = headers.indexOf("Connection", 0); i >= 0; i = headers.indexOf("Connection", i + 1)) {
                keepAlive &= !headers.value(i).toLowerCase(Locale.ROOT).contains("close");
            }
            return new UpstreamReply(status, headers, body(status, headers, keepAlive), uri);
        }

        /**
         * Adds the field of the head line just read. A line this connection's wire gives again (the same string in
         * the same slot, see {@link Http1Wire#slot}) is not parsed again: its name and value are the ones parsed
         * before, kept under the wire's slot so that the lines it remembers and the fields parsed stay in step.
         */
        private void field(String line, HeaderFields headers) throws IOException {
            int slot = 3 * wire.slot();
            if (slot < 0 || parsedFields[slot] != line) {
                int colon = line.indexOf(':');
                if (colon <= 0 || !HeaderFields.isToken(line, 0, colon)) {
                    throw new IOException("a response header line is not a field name, a colon and a value");
                }
                String name = line.substring(0, colon);
                String value = Http1Wire.fieldValue(line, colon + 1);
                if (slot < 0) {
                    headers.received(name, value);
                    return;
                }
                parsedFields[slot] = line;
                parsedFields[slot + 1] = name;
                parsedFields[slot + 2] = value;
            }
            headers.received(parsedFields[slot + 1], parsedFields[slot + 2]);
        }

        private InputStream body(int status, HeaderFields headers, boolean keepAlive) throws IOException {
            if (status == 204 || status == 304) {
                release(this, keepAlive);
                return InputStream.nullInputStream();
            }
            int coding = headers.indexOf(TRANSFER_ENCODING, 0);
            int length = headers.indexOf(Http1Wire.CONTENT_LENGTH, 0);
            if (coding >= 0) {
                if (length >= 0) {
                    throw new IOException("the response has both Transfer-Encoding and Content-Length");
                }
                if (headers.indexOf(TRANSFER_ENCODING, coding + 1) >= 0
                        || !headers.value(coding).equalsIgnoreCase("chunked")) {
                    throw new IOException("the response has a Transfer-Encoding other than chunked");
                }
                return new Body(keepAlive, -1, true);
            }
            if (length >= 0) {
                long bytes = Http1Wire.contentLength(headers, length);
                if (bytes == 0) {
                    release(this, keepAlive);
                    return InputStream.nullInputStream();
                }
                return new Body(keepAlive, bytes, false);
            }
            return new Body(false, Long.MAX_VALUE, false); // delimited by the end of the connection
        }

        private String line() throws IOException {
            String line = wire.line();
            if (line == null) {
                throw new EOFException("the server closed the connection within a response");
            }
            return line;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }

        /**
         * A response body: {@code Content-Length} bytes, chunks, or everything until the connection closes. At its
         * end the connection goes back to the pool; closed before its end, the connection is closed.
         */
        private final class Body extends InputStream {
            private static final AtomicIntegerFieldUpdater<Body> DONE =
                    AtomicIntegerFieldUpdater.newUpdater(Body.class, "done");

            private final boolean keepAlive;
            private final boolean chunked;
            /** Bytes left in the body (fixed length) or in the current chunk; -1 before the first chunk. */
            private long remaining;
            /** Whether the body is delimited by the end of the connection rather than by its length. */
            private final boolean untilClose;
            private boolean ended;
            /** 1 once the connection was released or closed; a field updated atomically, not an object per answer. */
            private volatile int done;

            Body(boolean keepAlive, long remaining, boolean chunked) {
                this.keepAlive = keepAlive;
                this.remaining = remaining;
                this.chunked = chunked;
                this.untilClose = !chunked && remaining == Long.MAX_VALUE;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (ended || done != 0 || chunked && !nextChunk()) {
                    return -1;
                }
                int n = in.read(buffer, offset, (int) Math.min(length, remaining));
                if (n < 0) {
                    if (untilClose) {
                        end(false);
                        return -1;
                    }
                    finish(false);
                    throw new EOFException("the server closed the connection within a response body");
                }
                remaining -= n;
                if (remaining == 0 && !chunked) {
                    end(keepAlive);
                }
                return n;
            }

            /** Moves to the next chunk when the current one is used up; false at the last (empty) one. */
            private boolean nextChunk() throws IOException {
                if (remaining > 0) {
                    return true;
                }
                try {
                    remaining = wire.nextChunkSize(remaining == 0);
                } catch (IOException e) {
                    finish(false);
                    throw e;
                }
                if (remaining > 0) {
                    return true;
                }
                end(keepAlive);
                return false;
            }

            /**
             * Reads the rest of the body, if it ends within {@link #FINISH_WAIT_MILLIS} and {@link #FINISH_MAX_BYTES};
             * true if it did (and so went back to the pool).
             */
            boolean readToEnd() {
                if (untilClose || done != 0) {
                    return ended;
                }
                long giveUp = System.nanoTime() + FINISH_WAIT_MILLIS * 1_000_000L; // for all reads together
                try {
                    byte[] skipped = new byte[1024];
                    for (int budget = FINISH_MAX_BYTES; budget > 0; ) {
                        long leftMillis = (giveUp - System.nanoTime()) / 1_000_000L;
                        if (leftMillis <= 0) {
                            return false;
                        }
                        socket.setSoTimeout((int) leftMillis);
                        int n = read(skipped, 0, Math.min(skipped.length, budget));
                        if (n < 0) {
                            return ended;
                        }
                        budget -= n;
                    }
                } catch (IOException e) {
                    // too slow, or broken: the connection is closed instead
                }
                return false;
            }

            private void end(boolean reusable) {
                ended = true;
                finish(reusable);
            }

            private void finish(boolean reusable) {
                if (DONE.compareAndSet(this, 0, 1)) {
                    release(Connection.this, reusable);
                }
            }

            @Override
            public void close() {
                finish(false); // after the end this does nothing; before it the rest is not worth reading
            }
        }
    }
}
