package dev.mcpgateway.internal.transport.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bits of HTTP/1.1 framing (RFC 9112) an upstream connection ({@link Http1Pool}) reads from its stream: lines of
 * a response head (and the status, field values and {@code Content-Length} in them) and the chunk framing of a body.
 * Strict on purpose: a response framed in a way two parsers could read differently is refused, never guessed at,
 * since a guess could take a plugin's extra bytes for the next answer on a reused connection.
 *
 * <p>One per connection, used by one exchange at a time: lines are read into one buffer that grows to the longest
 * line seen, so that a line costs only its {@code String} (a builder per line was 1.4 % of what a call to an HTTP
 * plugin allocated), and a line that repeats one read before on the connection costs nothing: a server answers a
 * connection's requests with mostly the same head lines (status, content type, server, even the length). Any line
 * may be remembered in any slot, the least recently read giving way: with one slot per hash, two of a plugin's
 * four head lines ({@code Content-Type: application/json} and {@code Content-Length: 216}) shared a slot and
 * evicted each other on every answer, which cost about 0.5 KB per call in new strings and fields.
 */
public final class Http1Wire {
    static final String CONTENT_LENGTH = "Content-Length";
    /** At most this many hex digits in a chunk size, so that it fits a long. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 15;
    private static final int FIRST_LINE_BYTES = 128;
    /** Lines remembered for reuse. */
    static final int REMEMBERED_LINES = 16;
    /** Longer lines are not remembered: they are rare, and a copy of each would cost more than it saves. */
    private static final int MAX_REMEMBERED_BYTES = 256;

    private final InputStream in;
    private final int maxLineBytes;
    private byte[] lineBytes = new byte[FIRST_LINE_BYTES];
    private final String[] remembered = new String[REMEMBERED_LINES];
    private final byte[][] rememberedBytes = new byte[REMEMBERED_LINES][];
    private final int[] rememberedHashes = new int[REMEMBERED_LINES];
    /** When each remembered line was last read, counted in lines read; 0 for an empty slot. */
    private final long[] lastRead = new long[REMEMBERED_LINES];
    private long linesRead;
    private int slot = -1;

    /**
     * @param in           the connection's (buffered) input
     * @param maxLineBytes the longest line accepted, without its CRLF
     */
    public Http1Wire(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Reads one line without its CRLF, as ISO-8859-1 like every HTTP head. A line must end with CRLF: a bare LF,
     * or a CR not followed by LF, is refused.
     *
     * @return the line, or null when the stream ends before its first byte
     * @throws EOFException when the stream ends inside the line
     * @throws IOException  past the longest line accepted or at a bare CR or LF
     */
    public String line() throws IOException {
        int length = 0;
        int hash = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (length == 0) {
                    return null;
                }
                throw new EOFException("the connection ended inside a line");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("a line holds a CR not followed by LF");
                }
                return text(length, hash);
            }
            if (b == '\n') {
                throw new IOException("a line ends with a bare LF");
            }
            if (length >= maxLineBytes) {
                throw new IOException("a line is longer than " + maxLineBytes + " bytes");
            }
            if (length == lineBytes.length) {
                lineBytes = Arrays.copyOf(lineBytes, Math.min(2 * length, maxLineBytes));
            }
            lineBytes[length++] = (byte) b;
            hash = 31 * hash + b;
        }
    }

    /**
     * Where the line {@link #line} gave last is remembered, below {@link #REMEMBERED_LINES}, or -1 when it is not: a
     * reader may keep what it derives from a line under the same index, valid while that slot holds the same string.
     */
    int slot() {
        return slot;
    }

    /** The line just read, as the string of an earlier line with the same bytes when one is remembered. */
    private String text(int length, int hash) {
        slot = -1;
        if (length > MAX_REMEMBERED_BYTES) {
            return new String(lineBytes, 0, length, StandardCharsets.ISO_8859_1);
        }
        linesRead++;
        int oldest = 0;
        for (int i = 0; i < REMEMBERED_LINES; i++) {
            byte[] known = rememberedBytes[i];
            if (known != null && rememberedHashes[i] == hash
                    && Arrays.equals(known, 0, known.length, lineBytes, 0, length)) {
                lastRead[i] = linesRead;
                slot = i;
                return remembered[i];
            }
            if (lastRead[i] < lastRead[oldest]) {
                oldest = i;
            }
        }
        String line = new String(lineBytes, 0, length, StandardCharsets.ISO_8859_1);
        rememberedBytes[oldest] = Arrays.copyOf(lineBytes, length);
        rememberedHashes[oldest] = hash;
        remembered[oldest] = line;
        lastRead[oldest] = linesRead;
        slot = oldest;
        return line;
    }

    /** Like {@link #line}, but the end of the stream is an error wherever it comes. */
    private String requiredLine() throws IOException {
        String line = line();
        if (line == null) {
            throw new EOFException("the connection ended where a line was due");
        }
        return line;
    }

    /**
     * Reads the next chunk's size line; at the last (empty) chunk also reads past the trailer fields.
     *
     * @param afterChunk whether a chunk's data precedes, which must be followed by exactly CRLF
     * @return the size of the chunk, 0 for the last one
     */
    public long nextChunkSize(boolean afterChunk) throws IOException {
        if (afterChunk && (in.read() != '\r' || in.read() != '\n')) {
            throw new IOException("a chunk's data is not followed by CRLF");
        }
        long size = chunkSize(requiredLine());
        if (size == 0) {
            while (!requiredLine().isEmpty()) {
                // trailer fields, which nothing here uses
            }
        }
        return size;
    }

    /** The size in a chunk line: hex digits only, then nothing or (after optional blanks) an extension. */
    private static long chunkSize(String line) throws IOException {
        int digits = 0;
        long size = 0;
        while (digits < line.length() && Character.digit(line.charAt(digits), 16) >= 0) {
            size = size * 16 + Character.digit(line.charAt(digits), 16);
            digits++;
        }
        int rest = digits;
        while (rest < line.length() && (line.charAt(rest) == ' ' || line.charAt(rest) == '\t')) {
            rest++;
        }
        if (digits == 0 || digits > MAX_CHUNK_SIZE_DIGITS
                || rest < line.length() && line.charAt(rest) != ';' || rest > digits && rest == line.length()) {
            throw new IOException("invalid chunk size");
        }
        return size;
    }

    /** The status code of an {@code HTTP/1.1} status line; a reason phrase, if any, follows a space. */
    static int status(String line) throws IOException {
        if (!line.startsWith("HTTP/1.1 ") || line.length() < 12 || !isDigits(line, 9, 12)
                || line.length() > 12 && line.charAt(12) != ' ') {
            throw new IOException("the response does not start with an HTTP/1.1 status line");
        }
        return Integer.parseInt(line, 9, 12, 10);
    }

    /**
     * The one length that the {@code Content-Length} values from position {@code first} on agree on: comma-separated
     * digits only, all equal (RFC 9112 6.3). Read in place, since every answer with a body has one.
     */
    static long contentLength(HeaderFields headers, int first) throws IOException {
        String agreed = null;
        int agreedFrom = 0;
        int agreedTo = 0;
        for (int i = first; i >= 0; i = headers.indexOf(CONTENT_LENGTH, i + 1)) {
            String value = headers.value(i);
            for (int from = 0, comma = 0; comma >= 0; from = comma + 1) {
                comma = value.indexOf(',', from);
                int start = from;
                int end = comma < 0 ? value.length() : comma;
                while (start < end && Character.isWhitespace(value.charAt(start))) {
                    start++;
                }
                while (end > start && Character.isWhitespace(value.charAt(end - 1))) {
                    end--;
                }
                if (start == end || end - start > 18 || !isDigits(value, start, end)) {
                    throw new IOException("the response has an invalid Content-Length");
                }
                if (agreed != null && (end - start != agreedTo - agreedFrom
                        || !value.regionMatches(start, agreed, agreedFrom, end - start))) {
                    throw new IOException("the response has differing Content-Lengths");
                }
                agreed = value;
                agreedFrom = start;
                agreedTo = end;
            }
        }
        return Long.parseLong(agreed, agreedFrom, agreedTo, 10);
    }

    /**
     * A field value without its surrounding blanks. Control characters (NUL, a CR, ...) other than a tab are
     * refused: parsers disagree on them, which is how responses get smuggled.
     */
    static String fieldValue(String line, int from) throws IOException {
        int start = from;
        int end = line.length();
        while (start < end && (line.charAt(start) == ' ' || line.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        for (int i = start; i < end; i++) {
            char c = line.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7F) {
                throw new IOException("a response header value holds a control character");
            }
        }
        return line.substring(start, end);
    }

    private static boolean isDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
