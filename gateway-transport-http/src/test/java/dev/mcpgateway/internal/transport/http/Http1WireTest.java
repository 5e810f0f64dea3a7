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
    void aHeadReadAgainIsAllTheStringsReadBefore() throws IOException {
        // The first two lines shared a slot when the slot was chosen by hash, and so were new strings every time.
        String head = "Content-Type: application/json\r\nContent-Length: 216\r\nHTTP/1.1 200 OK\r\n"
                + "Date: Mon, 07 Dec 2026 19:00:01 GMT\r\n";
        Http1Wire wire = wire(head.repeat(2));
        List<String> first = lines(wire, 4);
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            assertSame(first.get(i), wire.line());
            slots.add(wire.slot());
        }
        assertEquals(4, slots.stream().distinct().count());
    }

    @Test
    void theLeastRecentlyReadLineGivesWayToANewOne() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Http1Wire.REMEMBERED_LINES; i++) {
            text.append("X-").append(i).append(": v\r\n");
        }
        // Line 0 is read again, so line 1 is the least recently read when a new line needs a slot.
        text.append("X-0: v\r\nX-new: v\r\nX-0: v\r\nX-1: v\r\n");
        Http1Wire wire = wire(text.toString());
        List<String> first = lines(wire, Http1Wire.REMEMBERED_LINES);

        assertSame(first.getFirst(), wire.line());
        assertEquals("X-new: v", wire.line());
        assertSame(first.getFirst(), wire.line());
        String again = wire.line();
        assertEquals("X-1: v", again);
        assertNotSame(first.get(1), again);
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
        assertEquals(-1, wire.slot());
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

    private static List<String> lines(Http1Wire wire, int count) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(wire.line());
        }
        return lines;
    }

    private static Http1Wire wire(String text) {
        return new Http1Wire(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), 64 * 1024);
    }
}
