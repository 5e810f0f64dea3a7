package dev.mcpgateway.transport.http;

import dev.mcpgateway.internal.transport.http.BodyBuffers;
import dev.mcpgateway.internal.transport.http.UpstreamReply;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * How a {@link StreamableHttpChannel} reads what a server answers: bodies within their size limits, media
 * types, excerpts for error messages and JSON-RPC errors answering a request. Stateless, shared by the POST path,
 * the event streams and the legacy fallback.
 */
final class HttpReplies {
    static final JsonRpcCodec CODEC = JsonRpcCodec.INSTANCE;
    static final String JSON = "application/json";
    static final String EVENT_STREAM = "text/event-stream";
    static final String ACCEPT_BOTH = JSON + ", " + EVENT_STREAM;
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    private static final int EXCERPT_CHARS = 200;
    /** As many buffers as answers are usually read at once on a busy gateway, and a few more. */
    private static final BodyBuffers BUFFERS = new BodyBuffers(32);

    private HttpReplies() {
    }

    /** The message the first {@code length} bytes hold, or null when they are not one. */
    static JsonRpcMessage decodeOrNull(byte[] bytes, int length) {
        try {
            return CODEC.decode(bytes, length);
        } catch (JsonRpcException e) {
            return null;
        }
    }

    /** The body as an error response to the request that was sent, or null when it is anything else. */
    static JsonRpcResponse matchingError(JsonRpcMessage sent, byte[] bytes) {
        if (!(sent instanceof JsonRpcRequest request) || bytes.length == 0) {
            return null;
        }
        return decodeOrNull(bytes, bytes.length) instanceof JsonRpcResponse response && response.isError()
                && request.id().equals(response.id()) ? response : null;
    }

    /**
     * Reads a body that should be one message, closing it; a body beyond the message size limit fails. A body that
     * announces a length of at most {@link BodyBuffers#BYTES} is read into one of the shared buffers when one is free:
     * {@link BodyBuffers.Body#release} gives it back, once the message was decoded.
     */
    static BodyBuffers.Body readMessage(InputStream in, OptionalLong declaredLength) throws IOException {
        if (declaredLength.isPresent() && declaredLength.getAsLong() <= MAX_MESSAGE_BYTES) {
            // One array of the announced size: reading to the end in chunks costs several times the garbage.
            int length = (int) Math.max(0, declaredLength.getAsLong());
            BodyBuffers.Body body = null;
            try (in) {
                body = BUFFERS.read(in, length);
            } catch (IOException | RuntimeException e) {
                if (body != null) {
                    body.release(); // read, then the stream failed to close: the buffer must not be lost to the pool
                }
                throw e;
            }
            if (body.length() < length) {
                body.release();
                throw new IOException("the response body ended after " + body.length() + " of its " + length
                        + " bytes");
            }
            return body;
        }
        byte[] bytes = read(in, MAX_MESSAGE_BYTES + 1);
        if (bytes.length > MAX_MESSAGE_BYTES) {
            throw new IOException("the response body is larger than " + MAX_MESSAGE_BYTES + " bytes");
        }
        return BodyBuffers.Body.of(bytes);
    }

    /**
     * Disposes of the body of an acknowledgement; an event stream (which a server should not send here) is closed
     * rather than read, since it may never end.
     */
    static void drain(UpstreamReply reply) throws IOException {
        if (EVENT_STREAM.equals(mediaType(reply))) {
            closeQuietly(reply.body());
        } else {
            readExcerpt(reply.body());
        }
    }

    /** Reads the start of a body that is only looked at (errors, acknowledgements), closing it. */
    static byte[] readExcerpt(InputStream in) throws IOException {
        return read(in, MAX_ERROR_BODY_BYTES);
    }

    private static byte[] read(InputStream in, int limit) throws IOException {
        try (in) {
            return in.readNBytes(limit);
        }
    }

    static String excerpt(byte[] bytes) {
        if (bytes.length == 0) {
            return " (empty body)";
        }
        String text = new String(bytes, 0, Math.min(bytes.length, EXCERPT_CHARS * 4), StandardCharsets.UTF_8).strip();
        if (text.length() > EXCERPT_CHARS) {
            text = text.substring(0, EXCERPT_CHARS) + "...";
        }
        return ": " + text.replaceAll("\\p{Cntrl}+", " ");
    }

    static String mediaType(UpstreamReply reply) {
        String type = reply.header("Content-Type");
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    static boolean isSuccess(int status) {
        return status / 100 == 2;
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Closing is all that is left to do with it.
        }
    }
}
