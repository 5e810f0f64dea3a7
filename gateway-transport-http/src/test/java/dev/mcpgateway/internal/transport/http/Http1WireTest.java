package dev.mcpgateway.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Http1WireTest {
    @Test
    void aLineReadAgainIsTheStringReadBefore() throws IOException {
        Http1Wire wire = wire("Content-Type: application/json\r\nX-A: 1\r\nContent-Type: application/json\r\n");

        String first = wire.line();
        assertEquals("X-A: 1", wire.line());
        assertSame(first, wire.line());
        assertNull(wire.line());
    }

    @Test
    void linesWithTheSameHashOrTheSameStartStayApart() throws IOException {
        // "Aa" and "BB" have the same hash, so they compete for one remembered slot.
        assertReadsBack("Aa", "BB", "Aa", "BB", "BB");
        assertReadsBack("Content-Length: 12", "Content-Length: 123", "Content-Length: 1", "Content-Length: 1");
    }

    @Test
    void longLinesAreReadWholeButNotRemembered() throws IOException {
        String longLine = "X-Long: " + "v".repeat(600);
        Http1Wire wire = wire(longLine + "\r\n" + longLine + "\r\n");

        String first = wire.line();
        String second = wire.line();
        assertEquals(longLine, first);
        assertEquals(longLine, second);
        assertNotSame(first, second);
    }

    /** Reads {@code lines} back, each as itself, and the last one (a repeat of the one before) as that same string. */
    private static void assertReadsBack(String... lines) throws IOException {
        Http1Wire wire = wire(String.join("\r\n", lines) + "\r\n");
        List<String> read = new ArrayList<>();
        for (String line = wire.line(); line != null; line = wire.line()) {
            read.add(line);
        }
        assertEquals(List.of(lines), read);
        assertSame(read.get(read.size() - 2), read.getLast());
    }

    private static Http1Wire wire(String text) {
        return new Http1Wire(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), 64 * 1024);
    }
}
