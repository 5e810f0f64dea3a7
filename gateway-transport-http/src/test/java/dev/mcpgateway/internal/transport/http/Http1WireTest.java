package dev.mcpgateway.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    void linesWithTheSameHashStayApart() throws IOException {
        // "Aa" and "BB" have the same hash, so they compete for one remembered slot.
        Http1Wire wire = wire("Aa\r\nBB\r\nAa\r\nBB\r\nBB\r\n");

        assertEquals("Aa", wire.line());
        assertEquals("BB", wire.line());
        assertEquals("Aa", wire.line());
        String bb = wire.line();
        assertEquals("BB", bb);
        assertSame(bb, wire.line());
    }

    @Test
    void aLineThatOnlyStartsLikeOneReadBeforeIsItsOwn() throws IOException {
        Http1Wire wire = wire("Content-Length: 12\r\nContent-Length: 123\r\nContent-Length: 1\r\n");

        assertEquals("Content-Length: 12", wire.line());
        assertEquals("Content-Length: 123", wire.line());
        assertEquals("Content-Length: 1", wire.line());
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

    private static Http1Wire wire(String text) {
        return new Http1Wire(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), 64 * 1024);
    }
}
