package dev.mcpgateway.internal.transport.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bits of HTTP/1.1 framing both sides speak (RFC 9112): lines of a message head and the chunk framing of a
 * body. Used by the upstream connection pool ({@link Http1Pool}).
 */
public final class Http1Wire {
    private Http1Wire() {
    }

    /** A head line longer than the limit; the server answers it with 431. */
    public static final class LineTooLongException extends IOException {
        LineTooLongException(int maxBytes) {
            super("a request or response line is longer than " + maxBytes + " bytes");
        }
    }

    /**
     * Reads one line without its CRLF (a bare LF also ends it), as ISO-8859-1 like every HTTP head.
     *
     * @return the line, or null when the stream ends before its first byte
     * @throws EOFException          when the stream ends inside the line
     * @throws LineTooLongException  past {@code maxBytes}
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
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= maxBytes) {
                throw new LineTooLongException(maxBytes);
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
     * @param afterChunk whether a chunk's data precedes, whose closing CRLF comes first
     * @return the size of the chunk, 0 for the last one
     */
    public static long nextChunkSize(InputStream in, boolean afterChunk, int maxLineBytes) throws IOException {
        if (afterChunk) {
            requiredLine(in, maxLineBytes);
        }
        String line = requiredLine(in, maxLineBytes);
        int extension = line.indexOf(';');
        long size;
        try {
            size = Long.parseLong((extension < 0 ? line : line.substring(0, extension)).strip(), 16);
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0) {
            throw new IOException("invalid chunk size '" + line + "'");
        }
        if (size == 0) {
            while (!requiredLine(in, maxLineBytes).isEmpty()) {
                // trailer fields, which nothing here uses
            }
        }
        return size;
    }
}
