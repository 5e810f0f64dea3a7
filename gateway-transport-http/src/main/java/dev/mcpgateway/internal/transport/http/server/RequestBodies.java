package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.internal.transport.http.BodyBuffers;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.server.Rejections;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads request bodies within the endpoint's size limit ({@code 413} beyond it) and the budget of bodies in flight
 * ({@link BodyBudget}; {@code 503} with {@code Retry-After} beyond it, before the body is read where its length is
 * declared).
 */
final class RequestBodies {
    /** How much of a chunked body is read, and admitted to the budget, at a time. */
    private static final int BODY_PIECE_BYTES = 64 * 1024;
    /** The {@code Retry-After} of a body refused for the budget: bodies in flight are read and answered in moments. */
    private static final String BODY_RETRY_AFTER = "1";

    private final int maxRequestBytes;
    private final BodyBudget bodies;
    private final Rejections rejections;
    /** As many buffers as bodies are usually read at once on a busy endpoint, and a few more. */
    private final BodyBuffers buffers = new BodyBuffers(32);

    RequestBodies(int maxRequestBytes, BodyBudget bodies, Rejections rejections) {
        this.maxRequestBytes = maxRequestBytes;
        this.bodies = bodies;
        this.rejections = rejections;
    }

    /**
     * Reads the body within the size limit, admitting its bytes to the budget of bodies in flight first. A body of a
     * declared length that fits is read into one of the endpoint's reused buffers; the caller gives it back with
     * {@link BodyBuffers.Body#release} once the body was parsed (nothing parsed refers to it).
     */
    BodyBuffers.Body read(HttpExchangeAdapter exchange, BodyBudget.Lease lease) throws IOException {
        String length = exchange.header("Content-Length");
        long declared = length == null ? -1 : parseLength(length);
        if (declared > maxRequestBytes) {
            throw tooLarge();
        }
        if (declared >= 0 && exchange.header("Transfer-Encoding") == null) {
            if (!lease.grow(declared)) {
                throw overBudget(exchange);
            }
            // The server ends the body at its Content-Length: one buffer of that size (a reused one for most
            // messages), rather than the growing 16 KiB buffers (allocated, zeroed, copied) of an open-ended read.
            return buffers.read(exchange.body(), (int) declared);
        }
        // Open-ended: admitted piece by piece as it arrives, so slow chunked bodies cannot outgrow the budget either.
        InputStream in = exchange.body();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] piece = new byte[BODY_PIECE_BYTES];
        while (true) {
            int read = in.readNBytes(piece, 0, (int) Math.min(piece.length, maxRequestBytes + 1L - body.size()));
            if (read == 0) {
                return BodyBuffers.Body.of(body.toByteArray());
            }
            if (!lease.grow(read)) {
                throw overBudget(exchange);
            }
            body.write(piece, 0, read);
            if (body.size() > maxRequestBytes) { // one more than the limit tells an overlong body
                throw tooLarge();
            }
        }
    }

    private Rejection overBudget(HttpExchangeAdapter exchange) {
        String message = "The gateway holds its limit of " + bodies.max() + " bytes of request bodies in flight "
                + "(maxBodyBytesInFlight); this request was not read: retry in a moment";
        rejections.record("maxBodyBytesInFlight", message);
        exchange.setHeader("Retry-After", BODY_RETRY_AFTER);
        return new Rejection(503, ErrorCodes.OVERLOADED, message, null);
    }

    private Rejection tooLarge() {
        return new Rejection(413, ErrorCodes.INVALID_REQUEST, "The request body exceeds this endpoint's limit of "
                + maxRequestBytes + " bytes; send a smaller message", null);
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1; // the server's own parser decides; reading stops at the limit anyway
        }
    }
}
