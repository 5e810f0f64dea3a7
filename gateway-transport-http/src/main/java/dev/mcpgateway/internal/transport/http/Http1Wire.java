package dev.mcpgateway.internal.transport.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bits of HTTP/1.1 framing (RFC 9112) the upstream connection pool ({@link Http1Pool}) reads: lines of a
 * response head and the chunk framing of a body. Strict on purpose: a response framed in a way two parsers could
 * read differently is refused, never guessed at, since a guess could take a plugin's extra bytes for the next
 * answer on a reused connection.
 */
public final class Http1Wire {
    /** At most this many hex digits in a chunk size, so that it fits a long. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 15;

    private Http1Wire() {
    }

    /**
     * Reads one line without its CRLF, as ISO-8859-1 like every HTTP head. A line must end with CRLF: a bare LF,
     * or a CR not followed by LF, is refused.
     *
     * @return the line, or null when the stream ends before its first byte
     * @throws EOFException when the stream ends inside the line
     * @throws IOException  past {@code maxBytes} or at a bare CR or LF
     */
    public static String line(InputStream in, int maxBytes) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.isEmpty()) {
                    return null;
                }
                throw new EOFException("the connection ended inside a line");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("a line holds a CR not followed by LF");
                }
                return line.toString();
            }
            if (b == '\n') {
                throw new IOException("a line ends with a bare LF");
            }
            if (line.length() >= maxBytes) {
                throw new IOException("a line is longer than " + maxBytes + " bytes");
            }
            line.append((char) b);
        }
    }

    /** Like {@link #line}, but the end of the stream is an error wherever it comes. */
    public static String requiredLine(InputStream in, int maxBytes) throws IOException {
        String line = line(in, maxBytes);
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
    public static long nextChunkSize(InputStream in, boolean afterChunk, int maxLineBytes) throws IOException {
        if (afterChunk && (in.read() != '\r' || in.read() != '\n')) {
            throw new IOException("a chunk's data is not followed by CRLF");
        }
        long size = chunkSize(requiredLine(in, maxLineBytes));
        if (size == 0) {
            while (!requiredLine(in, maxLineBytes).isEmpty()) {
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
}
