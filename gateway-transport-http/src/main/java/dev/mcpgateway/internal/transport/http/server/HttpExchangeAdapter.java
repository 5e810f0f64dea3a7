package dev.mcpgateway.internal.transport.http.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One HTTP request and its response as {@link McpHttpHandler} sees them, whatever server carries them
 * (the built-in Jetty server, a servlet container). The handler answers exactly once: {@link #send} or {@link #stream}.
 * The adapter's owner ends the response after {@link McpHttpHandler#handle} returns.
 */
public interface HttpExchangeAdapter {
    /** The request method, e.g. {@code POST}. */
    String method();

    /**
     * The request's path within the application, percent-decoded, without the query (e.g. {@code /mcp}), by which
     * {@link FrontDoorRouter} picks the route.
     */
    String path();

    /** The request's query as sent (still percent-encoded), without the {@code ?}; null when it has none. */
    String query();

    /** The first value of a request header (names are case-insensitive), or null. */
    String header(String name);

    /** The address of the client's end of the connection (as text), for the limits counted per client. */
    String clientAddress();

    /** The request body. */
    InputStream body() throws IOException;

    /** Sets a response header; only before the response is committed. */
    void setHeader(String name, String value);

    /** Answers with a complete body (none when it is empty). */
    void send(int status, byte[] body) throws IOException;

    /**
     * Commits the status and headers at once (flushed to the client) and returns the body stream for writing as
     * it comes; the caller flushes after each piece.
     */
    OutputStream stream(int status) throws IOException;

    /** Whether the status and headers were already sent. */
    boolean isCommitted();
}
