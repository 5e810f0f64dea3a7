package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes server-sent events carrying JSON-RPC messages ({@code event: message}, optional {@code id:}, one
 * {@code data:} line, a blank line) and keep-alive comments, flushing after each. The first write that fails marks
 * the stream broken (the client went away) and every later write reports false without touching the stream. Not
 * thread-safe: only the thread serving the exchange writes (others hand their messages over through an outbox).
 */
public final class SseWriter {
    /** The id argument of {@link #message} for an event without an {@code id:} line. */
    public static final long NO_ID = -1;

    private static final byte[] EVENT = ascii("event: message\n");
    private static final byte[] ID = ascii("id: ");
    private static final byte[] DATA = ascii("data: ");
    private static final byte[] END = ascii("\n\n");
    private static final byte[] KEEP_ALIVE = ascii(": keep-alive\n\n");

    private final OutputStream out;
    private boolean broken;

    /** A writer of the given (already committed) response body. */
    public SseWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * Writes one message as an event.
     *
     * @param id the event id, or {@link #NO_ID} for none
     * @return false if the stream is broken (the client went away)
     */
    public boolean message(JsonRpcMessage message, long id) {
        if (broken) {
            return false;
        }
        byte[] json = JsonRpcCodec.INSTANCE.encode(message); // compact: never a line break, so one data line
        try {
            out.write(EVENT);
            if (id != NO_ID) {
                out.write(ID);
                out.write(ascii(Long.toString(id)));
                out.write('\n');
            }
            out.write(DATA);
            out.write(json);
            out.write(END);
            out.flush();
            return true;
        } catch (IOException e) {
            broken = true;
            return false;
        }
    }

    /** Writes a keep-alive comment; returns false if the stream is broken. */
    public boolean keepAlive() {
        if (broken) {
            return false;
        }
        try {
            out.write(KEEP_ALIVE);
            out.flush();
            return true;
        } catch (IOException e) {
            broken = true;
            return false;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
