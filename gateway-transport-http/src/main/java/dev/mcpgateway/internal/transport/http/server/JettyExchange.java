package dev.mcpgateway.internal.transport.http.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * One request on Jetty's core API as {@link McpHttpHandler} sees it. A complete answer ({@link #send}) is written
 * without blocking and completes the exchange; a streamed one goes out one write per flush. The body is read with a
 * deadline: a client that sends it too slowly is answered {@code 408} and disconnected.
 */
final class JettyExchange implements HttpExchangeAdapter {
    /**
     * How long an answer given before the request's body was read waits for a short body to arrive, to read and drop
     * it ({@link UnreadBodies}); one that takes longer closes the connection.
     */
    private static final long DISCARD_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The connection attribute that holds its client's address as text. */
    private static final String CLIENT_ADDRESS = JettyExchange.class.getName() + ".clientAddress";

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final long bodyTimeoutNanos;
    private boolean completed;
    private boolean bodyTimedOut;
    /** Why the body could not be read, when Jetty knew the status that says so (a malformed chunk: 400). */
    private HttpException bodyRefused;
    private ResponseStream stream;
    private DeadlineBody body;

    JettyExchange(Request request, Response response, Callback callback, long bodyTimeoutNanos) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.bodyTimeoutNanos = bodyTimeoutNanos;
    }

    /**
     * The client's address, made into text once per connection: an address is the connection's, and the rate limits
     * ask it of every request of a 2026-07-28 client that did not authenticate (about 100 bytes each time).
     */
    @Override
    public String clientAddress() {
        ConnectionMetaData connection = request.getConnectionMetaData();
        if (connection.getAttribute(CLIENT_ADDRESS) instanceof String known) {
            return known;
        }
        String address = Request.getRemoteAddr(request);
        connection.setAttribute(CLIENT_ADDRESS, address);
        return address;
    }

    @Override
    public String path() {
        // Decoded as a servlet container decodes its path info, so both front doors route alike; an encoded '/'
        // (ambiguous) never gets here, Jetty refuses it with 400 as Tomcat does.
        return request.getHttpURI().getDecodedPath();
    }

    @Override
    public String query() {
        return request.getHttpURI().getQuery();
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public InputStream body() {
        if (body == null) {
            body = new DeadlineBody(bodyTimeoutNanos);
        }
        return body;
    }

    @Override
    public void setHeader(String name, String value) {
        if (response.isCommitted()) {
            throw new IllegalStateException("the response is already committed");
        }
        response.getHeaders().put(name, value);
    }

    @Override
    public void send(int status, byte[] content) {
        response.setStatus(status);
        dropUnreadBody();
        complete(ByteBuffer.wrap(content));
    }

    @Override
    public OutputStream stream(int status) throws IOException {
        response.setStatus(status);
        dropUnreadBody();
        blockingWrite(false, null); // commits the status and headers now: the client sees the stream open
        stream = new ResponseStream();
        return stream;
    }

    @Override
    public boolean isCommitted() {
        return response.isCommitted();
    }

    /**
     * Ends the exchange once the handler returned: closes a stream it left open, or answers for a handler that did
     * not ({@code 408} when the body was too slow, the status Jetty gave a malformed body such as {@code 400}, else
     * {@code 500}), closing the connection then.
     */
    void finish() {
        if (body != null) {
            body.close(); // gives back the buffer of a body the handler did not read to its end
        }
        if (completed) {
            return;
        }
        if (stream != null) {
            stream.close();
            return;
        }
        if (response.isCommitted()) {
            complete(null); // committed, but not through this adapter: only ending it is left
            return;
        }
        String reason = bodyTimedOut ? "the request body arrived too slowly"
                : bodyRefused != null ? "malformed request body: " + bodyRefused.getReason()
                : "the request was not answered";
        closeAfter(response, request);
        response.setStatus(bodyTimedOut ? 408 : bodyRefused != null ? bodyRefused.getCode() : 500);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        complete(ByteBuffer.wrap((reason + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Before an answer given while a body the request announced is unread (a refusal: 401, 406, 413, 415, ...): reads
     * and drops it when it is short and arrives at once, so that the connection carries the client's next request;
     * otherwise asks the connection to close. Jetty closes it anyway when the body has not all arrived, and without
     * the header the client would send its next request on a connection being closed. Reading what arrived also
     * spares the client a reset that could take the answer with it: a socket closed with bytes unread sends one. A
     * client that waits for {@code 100 Continue} before sending the body is not asked for it.
     */
    private void dropUnreadBody() {
        if (body != null || request.getLength() <= 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            return;
        }
        boolean dropped = false;
        if (!request.getHeaders().contains(HttpHeader.EXPECT)) {
            body = new DeadlineBody(DISCARD_WAIT_NANOS);
            dropped = UnreadBodies.discarded(body);
            bodyTimedOut = false; // the short wait says nothing of the client's pace: no 408 for it
        }
        if (!dropped) {
            closeAfter(response, request);
        }
    }

    /** Asks an HTTP/1 connection to close after this response; HTTP/2 has no such header (nor need for it). */
    static void closeAfter(Response response, Request request) {
        if (request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_2) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
        }
    }

    private void complete(ByteBuffer last) {
        completed = true;
        response.write(true, last, callback);
    }

    private void blockingWrite(boolean last, ByteBuffer content) throws IOException {
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(last, content, written);
            written.block();
        }
    }

    /** The response body of a stream: what is written between flushes goes out as one write (one chunk, one frame). */
    private final class ResponseStream extends OutputStream {
        private byte[] pending = new byte[512];
        private int size;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (closed) {
                throw new IOException("the answer's stream is closed");
            }
            if (size + length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, size + length));
            }
            System.arraycopy(bytes, offset, pending, size, length);
            size += length;
        }

        @Override
        public void flush() throws IOException {
            if (closed) {
                throw new IOException("the answer's stream is closed");
            }
            if (size > 0) {
                ByteBuffer piece = ByteBuffer.wrap(Arrays.copyOf(pending, size));
                size = 0;
                blockingWrite(false, piece);
            }
        }

        /** Ends the answer (not the connection); never throws, a failed end fails the exchange. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            ByteBuffer rest = size == 0 ? null : ByteBuffer.wrap(Arrays.copyOf(pending, size));
            complete(rest);
        }
    }

    /** The request body, read as Jetty receives it, within the body deadline from the first read. */
    private final class DeadlineBody extends InputStream {
        private final long timeoutNanos;
        private final long deadline;
        private final Semaphore readable = new Semaphore(0);
        private Content.Chunk chunk;
        private boolean ended;

        /** A body that must arrive within {@code timeoutNanos} from now. */
        DeadlineBody(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
            this.deadline = System.nanoTime() + timeoutNanos;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (true) {
                if (ended) {
                    return -1;
                }
                if (chunk == null) {
                    chunk = next();
                }
                if (Content.Chunk.isFailure(chunk)) {
                    if (chunk.getFailure() instanceof HttpException refused) {
                        bodyRefused = refused;
                    }
                    throw new IOException("the request body could not be read", chunk.getFailure());
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                if (bytes.hasRemaining()) {
                    int n = Math.min(length, bytes.remaining());
                    bytes.get(buffer, offset, n);
                    return n;
                }
                ended = chunk.isLast();
                chunk.release();
                chunk = null;
            }
        }

        /** The next chunk of the body, waiting for it until the deadline. */
        private Content.Chunk next() throws IOException {
            while (true) {
                Content.Chunk next = request.read();
                if (next != null) {
                    return next;
                }
                long left = deadline - System.nanoTime();
                try {
                    request.demand(readable::release);
                    if (left <= 0 || !readable.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                        bodyTimedOut = true;
                        throw new InterruptedIOException("the request body did not arrive within "
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the request body");
                }
            }
        }

        @Override
        public void close() {
            if (chunk != null) {
                chunk.release();
                chunk = null;
            }
        }
    }
}
