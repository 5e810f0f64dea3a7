package dev.mcpgateway.internal.transport.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads server-sent events from a byte stream as they arrive, following the HTML event-stream rules: lines end
 * with CRLF, LF or CR (also when a CRLF is split between two reads), {@code data:} lines are joined with
 * {@code '\n'}, a blank line dispatches the event, comments ({@code :...}) and unknown fields are skipped, and an
 * event left unfinished at the end of the stream is dropped. Events whose data is empty (such as the priming event
 * a 2025-11-25 server sends to hand out an event id) update {@link #lastEventId()} but are not returned. Not
 * thread-safe: one reader per stream.
 */
public final class SseReader {
    /** The event type of events that name none, per the SSE rules. */
    public static final String MESSAGE = "message";

    private static final int READ_CHUNK = 8192;
    private static final int INITIAL_LINE_BYTES = 256;
    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final int MAX_RETRY_DIGITS = 9;

    private final InputStream in;
    private final int maxEventBytes;
    private final byte[] buffer = new byte[READ_CHUNK];
    private int position;
    private int limit;
    private boolean skipLineFeed;
    private boolean firstLine = true;
    private byte[] line;
    private final StringBuilder data = new StringBuilder();
    private String eventType;
    private String lastEventId;
    private long retryMillis = -1;

    /**
     * One dispatched event.
     *
     * @param type the {@code event:} field, or {@link #MESSAGE} when there was none
     * @param data the {@code data:} lines joined with {@code '\n'}, never empty
     * @param id   the last event id seen on the stream when the event was dispatched, or null
     */
    public record Event(String type, String data, String id) {
        /** Whether this is a {@code message} event, the kind that carries JSON-RPC messages. */
        public boolean isMessage() {
            return MESSAGE.equals(type);
        }
    }

    /**
     * A reader of the given stream.
     *
     * @param lastEventId   the id the stream resumes after (sent as {@code Last-Event-ID}), or null
     * @param maxEventBytes the longest line and the most data one event may carry; longer input fails the read
     */
    public SseReader(InputStream in, String lastEventId, int maxEventBytes) {
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes must be positive, got " + maxEventBytes);
        }
        this.in = in;
        this.lastEventId = lastEventId;
        this.maxEventBytes = maxEventBytes;
        this.line = new byte[Math.min(INITIAL_LINE_BYTES, maxEventBytes)];
    }

    /**
     * Blocks until the next event with data is complete.
     *
     * @return the event, or null at the end of the stream
     * @throws IOException when the stream breaks or an event exceeds the size limit
     */
    public Event next() throws IOException {
        String text;
        while ((text = readLine()) != null) {
            if (text.isEmpty()) {
                Event event = dispatch();
                if (event != null) {
                    return event;
                }
            } else {
                field(text);
            }
        }
        return null;
    }

    /** The id of the last event that set one ({@code id:} field), to resume from with {@code Last-Event-ID}; or null. */
    public String lastEventId() {
        return lastEventId;
    }

    /** The reconnection delay the server asked for with a {@code retry:} field, in milliseconds; -1 when none. */
    public long retryMillis() {
        return retryMillis;
    }

    private void field(String text) {
        if (text.charAt(0) == ':') {
            return;
        }
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String value = "";
        if (colon >= 0) {
            int start = colon + 1 < text.length() && text.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
            value = text.substring(start);
        }
        switch (name) {
            case "data" -> data.append(value).append('\n');
            case "event" -> eventType = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.length() <= MAX_RETRY_DIGITS && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    retryMillis = Long.parseLong(value);
                }
            }
            default -> {
                // Unknown fields are ignored, as the SSE rules require.
            }
        }
    }

    private Event dispatch() throws IOException {
        String type = eventType == null || eventType.isEmpty() ? MESSAGE : eventType;
        eventType = null;
        if (data.isEmpty()) {
            return null;
        }
        String payload = data.substring(0, data.length() - 1);
        data.setLength(0);
        return payload.isEmpty() ? null : new Event(type, payload, lastEventId);
    }

    /** The next line without its terminator, or null at the end of the stream (a trailing partial line is dropped). */
    private String readLine() throws IOException {
        int length = 0;
        while (true) {
            if (position == limit && !fill()) {
                return null;
            }
            byte b = buffer[position++];
            if (skipLineFeed) {
                skipLineFeed = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n' || b == '\r') {
                skipLineFeed = b == '\r';
                return text(length);
            }
            if (length == line.length) {
                if (length >= maxEventBytes) {
                    throw new IOException("an event-stream line is longer than " + maxEventBytes + " bytes");
                }
                line = Arrays.copyOf(line, Math.min(maxEventBytes, length * 2));
            }
            line[length++] = b;
        }
    }

    private String text(int length) throws IOException {
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
        if (firstLine) {
            firstLine = false;
            if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
                text = text.substring(1);
            }
        }
        if (data.length() + text.length() > maxEventBytes) {
            throw new IOException("an event's data is longer than " + maxEventBytes + " bytes");
        }
        return text;
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer);
        if (read < 0) {
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }
}
