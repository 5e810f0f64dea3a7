package dev.mcpgateway.internal.transport.stdio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into {@code '\n'}-terminated lines without ever holding more than a bounded number of
 * bytes: a longer line is consumed and reported by its length and first bytes only. A trailing {@code '\r'} is
 * removed, and a last line without a terminator is still delivered at end of stream. Not thread-safe: one
 * splitter serves one reading thread.
 */
public final class LineSplitter {
    /** How many leading bytes of an oversized line are kept for the report. */
    public static final int HEAD_BYTES = 1024;
    /** How many characters of a line {@link #excerpt} shows. */
    public static final int EXCERPT_CHARS = 200;

    private static final int CHUNK_BYTES = 8192;
    // After an unusually long line, give the memory back instead of keeping the largest line ever seen.
    private static final int SHRINK_ABOVE_BYTES = 1 << 20;

    /** Receives the lines a splitter finds, on the thread that called {@link #pump}. */
    public interface Sink {
        /** One line without its terminator; the bytes are valid only during the call. */
        void line(byte[] bytes, int offset, int length);

        /**
         * A line over the limit, already consumed.
         *
         * @param length     its full length in bytes, without the terminator
         * @param head       its first bytes, valid only during the call
         * @param headLength how many bytes of {@code head} are set
         */
        void oversized(long length, byte[] head, int headLength);
    }

    private final int maxLineBytes;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private byte[] pending = new byte[HEAD_BYTES];
    private int pendingLength;
    // Counts the bytes of the current line that did not fit as well, so an oversized line reports its real size.
    private long lineLength;

    /** A splitter delivering lines of at most {@code maxLineBytes} bytes (terminator excluded). */
    public LineSplitter(int maxLineBytes) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive, got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** Reads {@code in} until end of stream, handing every line to {@code sink}. */
    public void pump(InputStream in, Sink sink) throws IOException {
        int read;
        while ((read = in.read(chunk, 0, CHUNK_BYTES)) >= 0) {
            int start = 0;
            for (int i = 0; i < read; i++) {
                if (chunk[i] == '\n') {
                    endLine(start, i - start, sink);
                    start = i + 1;
                }
            }
            append(chunk, start, read - start);
        }
        if (lineLength > 0) {
            endLine(0, 0, sink);
        }
    }

    /**
     * The first {@value #EXCERPT_CHARS} characters of a line as text for a log or error message (malformed
     * UTF-8 shown as replacement characters), with an ellipsis when cut.
     */
    public static String excerpt(byte[] bytes, int offset, int length) {
        // UTF-8 needs at most four bytes per character, so this many bytes always hold enough characters.
        int decoded = Math.min(length, EXCERPT_CHARS * 4);
        String text = new String(bytes, offset, decoded, StandardCharsets.UTF_8);
        if (text.length() <= EXCERPT_CHARS) {
            return decoded < length ? text + "…" : text;
        }
        int cut = Character.isHighSurrogate(text.charAt(EXCERPT_CHARS - 1)) ? EXCERPT_CHARS - 1 : EXCERPT_CHARS;
        return text.substring(0, cut) + "…";
    }

    /** Whether a line holds nothing but spaces and tabs. */
    public static boolean isBlank(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private void endLine(int start, int length, Sink sink) {
        if (lineLength == 0 && length <= maxLineBytes) {
            // The whole line sits in the chunk just read: deliver it without copying.
            deliver(chunk, start, length, sink);
            return;
        }
        append(chunk, start, length);
        if (lineLength > maxLineBytes) {
            sink.oversized(lineLength, pending, Math.min(pendingLength, HEAD_BYTES));
        } else {
            deliver(pending, 0, pendingLength, sink);
        }
        lineLength = 0;
        pendingLength = 0;
        if (pending.length > SHRINK_ABOVE_BYTES) {
            pending = new byte[HEAD_BYTES];
        }
    }

    private void append(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        lineLength += length;
        // Once over the limit, only the head is still of interest.
        int keep = lineLength <= maxLineBytes ? length : Math.max(0, Math.min(length, HEAD_BYTES - pendingLength));
        if (keep > 0) {
            ensureCapacity(pendingLength + keep);
            System.arraycopy(bytes, offset, pending, pendingLength, keep);
            pendingLength += keep;
        }
    }

    private void ensureCapacity(int needed) {
        if (needed > pending.length) {
            long doubled = Math.max((long) pending.length * 2, needed);
            byte[] grown = new byte[(int) Math.min(doubled, Math.max(maxLineBytes, HEAD_BYTES))];
            System.arraycopy(pending, 0, grown, 0, pendingLength);
            pending = grown;
        }
    }

    private static void deliver(byte[] bytes, int offset, int length, Sink sink) {
        int end = length > 0 && bytes[offset + length - 1] == '\r' ? length - 1 : length;
        sink.line(bytes, offset, end);
    }
}
