package dev.mcpgateway.transport.stdio.server;

import dev.mcpgateway.internal.transport.stdio.LineSplitter;
import dev.mcpgateway.internal.transport.stdio.Waits;
import dev.mcpgateway.internal.transport.stdio.server.EnvelopeHead;
import dev.mcpgateway.internal.transport.stdio.server.LineWriter;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.server.ServerSession;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the gateway's {@link McpServer} to one client over stdin/stdout, the way desktop clients (Claude Desktop,
 * Cursor) run MCP servers: the client launches the process and speaks newline-delimited JSON-RPC, UTF-8, one
 * message per line. A typical {@code main}:
 *
 * <pre>{@code
 * try (McpGateway gateway = ...; McpServer server = McpServer.create(gateway);
 *      StdioServer stdio = StdioServer.serve(server)) {
 *     stdio.done().join();   // until the client closes stdin
 * }
 * }</pre>
 *
 * <p><b>stdout carries protocol messages only.</b> Hosts must route every log to stderr (slf4j-simple does so by
 * default; logback's {@code ConsoleAppender} needs {@code <target>System.err</target>}). {@link #serve} also
 * points {@code System.out} at stderr, so a stray print cannot corrupt the stream.
 *
 * <p>One {@link ServerSession} serves the client for the life of the process. A platform thread
 * ({@value #READER_THREAD}) reads stdin and hands every message to the session in the order it arrived; the
 * session must not block it. Responses are written as they complete, so they may come out of order; progress
 * and other messages of a call, and unsolicited messages, go to stdout too. Writes never interleave: each message
 * is one line, flushed at once.
 *
 * <p>Malformed input is answered and the server keeps serving: a line that is not JSON gets a parse error
 * ({@code -32700}) with id null; a JSON value that is not a valid message gets an invalid-request error
 * ({@code -32600}) under its id when that could be read. A line longer than
 * {@link StdioServerOptions#maxLineBytes()} is skipped without being held in memory and answered with
 * {@code -32600} under the request's id when the id appears in its first kilobyte (otherwise with id null); an
 * oversized response to a request the gateway sent fails that request at once.
 *
 * <p>When stdin ends, the server reads no more, lets calls in flight answer for up to
 * {@link StdioServerOptions#drainTimeout()}, closes the session (cancelling what is left), closes stdout and
 * completes {@link #done()}. When stdout breaks (the client is gone), it stops the same way without waiting.
 */
public final class StdioServer implements AutoCloseable {
    /** The name of the thread reading stdin. */
    public static final String READER_THREAD = "mcp-stdio-server-reader";

    private static final Logger log = LoggerFactory.getLogger(StdioServer.class);
    private static final JsonRpcCodec CODEC = JsonRpcCodec.INSTANCE;
    // Closing the input wakes a reader blocked on a channel-backed stream, but not one blocked on a plain file
    // descriptor such as the process's stdin; that reader ends when the client closes stdin and must not hold up
    // close() meanwhile.
    private static final Duration READER_JOIN = Duration.ofSeconds(1);

    private final McpServer server;
    private final ServerSession session;
    private final InputStream in;
    private final LineWriter writer;
    private final StdioServerOptions options;
    private final Thread reader;
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> closeRequested = new CompletableFuture<>();
    private final AtomicBoolean finishing = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    // Set when the server stops; lines read after that are dropped.
    private volatile boolean stopped;

    private StdioServer(McpServer server, InputStream in, OutputStream out, StdioServerOptions options) {
        this.server = server;
        this.session = server.newSession(false);
        this.in = in;
        this.options = options;
        this.writer = new LineWriter(out, this::clientGone);
        // A platform thread: the read blocks for the client's whole session, which would pin a virtual
        // thread's carrier all that time.
        this.reader = Thread.ofPlatform().name(READER_THREAD).daemon(true).unstarted(this::read);
    }

    /**
     * Serves {@code server} over {@code in} and {@code out} with {@link StdioServerOptions#defaults()}.
     *
     * @see #start(McpServer, InputStream, OutputStream, StdioServerOptions)
     */
    public static StdioServer start(McpServer server, InputStream in, OutputStream out) {
        return start(server, in, out, StdioServerOptions.defaults());
    }

    /**
     * Opens a session on {@code server} and serves it over {@code in} and {@code out}, which the stdio server now
     * owns: it closes {@code out} when it stops and {@code in} when it is closed.
     */
    public static StdioServer start(McpServer server, InputStream in, OutputStream out, StdioServerOptions options) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        StdioServer stdio = new StdioServer(server, in, out, options);
        stdio.session.attach(stdio.writer);
        stdio.reader.start();
        log.debug("serving MCP session {} over stdio", stdio.session.id());
        return stdio;
    }

    /** Serves {@code server} on this process's stdin and stdout with {@link StdioServerOptions#defaults()}. */
    public static StdioServer serve(McpServer server) {
        return serve(server, StdioServerOptions.defaults());
    }

    /**
     * Serves {@code server} on this process's stdin and stdout, and points {@code System.out} at
     * {@code System.err} so that nothing else can write to the protocol stream. Call it once per process.
     */
    public static StdioServer serve(McpServer server, StdioServerOptions options) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(options, "options");
        System.out.flush();
        // The file descriptor itself rather than System.out: a PrintStream hides write errors, and only an
        // error tells that the client is gone.
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        PrintStream systemOut = System.out;
        System.setOut(System.err);
        try {
            return start(server, System.in, stdout, options);
        } catch (RuntimeException e) {
            System.setOut(systemOut);
            throw e;
        }
    }

    /**
     * Completes when the server has stopped: stdin ended, stdout broke, or {@link #close()} was called. A
     * {@code main} waits on it and then exits. Never completes exceptionally.
     */
    public CompletableFuture<Void> done() {
        return done.copy();
    }

    /**
     * Stops serving at once: calls in flight are cancelled by closing the session, stdin and stdout are closed,
     * and the reader thread is given a second to end. Idempotent.
     */
    @Override
    public void close() {
        closeRequested.complete(null);
        finish(false);
        try {
            in.close();
        } catch (IOException e) {
            log.debug("closing stdin failed", e);
        }
        if (Thread.currentThread() != reader && !Waits.until(READER_JOIN, () -> !reader.isAlive())) {
            log.debug("the stdin reader is still blocked in a read; it ends when the client closes stdin");
        }
    }

    private void read() {
        try {
            new LineSplitter(options.maxLineBytes()).pump(in, new Inbound());
            log.debug("stdin ended");
        } catch (IOException e) {
            if (!stopped) {
                log.warn("reading stdin failed, stopping: {}", e.toString());
            }
        } catch (RuntimeException e) {
            log.error("the stdin reader failed, stopping", e);
        }
        finish(true);
    }

    /** Runs once, on the first of: the reader's end, close(), a broken stdout. */
    private void finish(boolean drain) {
        if (!finishing.compareAndSet(false, true)) {
            return;
        }
        stopped = true;
        try {
            if (drain) {
                drainInFlight();
            }
            // Forgotten by the server as well, unless it already forgot it.
            if (!server.endSession(session.id())) {
                session.close();
            }
        } catch (RuntimeException e) {
            log.warn("closing the MCP session failed", e);
        } finally {
            writer.close();
            done.complete(null);
        }
    }

    private void drainInFlight() {
        if (inFlight.isEmpty()) {
            return;
        }
        CompletableFuture<Void> answered = CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new));
        try {
            CompletableFuture.anyOf(answered, closeRequested)
                    .get(options.drainTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.info("stdin ended and {} call(s) did not answer within {}; cancelling them", inFlight.size(),
                    options.drainTimeout());
        } catch (ExecutionException e) {
            // The futures tracked only record that an answer was written; they do not fail.
            log.debug("waiting for calls in flight failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void clientGone() {
        log.warn("stdout is closed: the client is gone; stopping");
        // Called on whichever thread was writing, possibly inside the session: stop from a thread of our own.
        Thread.ofVirtual().name("mcp-stdio-server-stop").start(this::close);
    }

    private void dispatch(JsonRpcMessage message) {
        if (message instanceof JsonRpcRequest request) {
            call(request);
            return;
        }
        try {
            session.handle(message, writer);
        } catch (RuntimeException e) {
            log.warn("the MCP session failed on a {}", message.getClass().getSimpleName(), e);
        }
    }

    private void call(JsonRpcRequest request) {
        CompletableFuture<JsonRpcResponse> response;
        try {
            response = session.handle(request, writer);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> answered = response.handle((result, failure) -> answer(request, result, failure));
        if (!answered.isDone()) {
            inFlight.add(answered);
            // Runs at once if the answer was written in between.
            answered.whenComplete((ignored, failure) -> inFlight.remove(answered));
        }
    }

    private Void answer(JsonRpcRequest request, JsonRpcResponse response, Throwable failure) {
        if (failure != null || response == null) {
            // The session promises a response for every request, errors included; this is a bug to report.
            log.error("the MCP session gave no response to {} (id {}); answering with an internal error",
                    request.method(), request.id(), failure);
            response = JsonRpcResponse.failure(request.id(), ErrorCodes.INTERNAL_ERROR,
                    "Internal error: the gateway failed to answer " + request.method());
        }
        writer.send(response);
        return null;
    }

    /** Decodes stdin lines and hands them to the session. Runs on the reader thread only. */
    private final class Inbound implements LineSplitter.Sink {
        @Override
        public void line(byte[] bytes, int offset, int length) {
            if (stopped || LineSplitter.isBlank(bytes, offset, length)) {
                return;
            }
            JsonRpcMessage message;
            try {
                // In place: the splitter reuses the bytes after this call, but the message's strings and numbers
                // are built from copies of them (TreeReader), so nothing decoded refers to the buffer.
                message = CODEC.decode(bytes, offset, length);
            } catch (JsonRpcException e) {
                log.warn("the client sent an invalid message: {}", e.getMessage());
                if (log.isDebugEnabled()) {
                    log.debug("the invalid line: {}", LineSplitter.excerpt(bytes, offset, length));
                }
                writer.send(e.toResponse());
                return;
            }
            dispatch(message);
        }

        @Override
        public void oversized(long length, byte[] head, int headLength) {
            if (stopped) {
                return;
            }
            EnvelopeHead envelope = EnvelopeHead.read(head, headLength);
            String reason = "Invalid Request: the message is " + length + " bytes long, over the gateway's limit of "
                    + options.maxLineBytes() + " bytes per message; send less data at once";
            log.warn("skipped a line of {} bytes from the client, over the limit of {} bytes "
                            + "(StdioServerOptions.maxLineBytes); as far as its head shows, a {} message with id {}",
                    length, options.maxLineBytes(), envelope.kind(), envelope.id());
            RequestId id = envelope.id();
            switch (envelope.kind()) {
                case REQUEST, UNKNOWN -> writer.send(JsonRpcResponse.failure(id, ErrorCodes.INVALID_REQUEST, reason));
                // The client answered a request of the gateway's; fail that request now rather than at its timeout.
                case RESPONSE -> dispatch(JsonRpcResponse.failure(id, ErrorCodes.INVALID_REQUEST, reason));
            }
        }
    }
}
