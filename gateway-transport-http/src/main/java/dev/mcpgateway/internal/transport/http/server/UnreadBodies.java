package dev.mcpgateway.internal.transport.http.server;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body nobody read before its answer (a refusal: 401, 404, 413, 415, ...), read and dropped when it is
 * small, so that the connection can carry the client's next request. A larger one closes the connection instead.
 * Either way what was read is out of the socket: a socket closed with bytes unread sends a reset, and a client may
 * lose the answer that came before it.
 */
final class UnreadBodies {
    /** The largest body no route reads that is read to keep the connection; a larger one closes it. */
    static final int DISCARD_MAX_BYTES = 64 * 1024;
    private static final int SCRATCH_BYTES = 8 * 1024;

    private UnreadBodies() {
    }

    /**
     * As {@link #discarded(InputStream)}, for the body of {@code exchange}, read within its body deadline; false also
     * when the body cannot be had (a servlet container refuses its stream once the request's reader was taken).
     */
    static boolean discarded(HttpExchangeAdapter exchange) {
        try {
            return discarded(exchange.body());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Reads and drops {@code body} if it ends within {@value #DISCARD_MAX_BYTES} bytes; false when it goes on, or
     * could not be read (the client left, or it did not arrive in time).
     */
    static boolean discarded(InputStream body) {
        byte[] scratch = new byte[SCRATCH_BYTES];
        long left = DISCARD_MAX_BYTES + 1L; // one byte beyond the limit tells a longer body
        try {
            int read;
            while ((read = body.read(scratch, 0, (int) Math.min(scratch.length, left))) >= 0) {
                left -= read;
                if (left == 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
