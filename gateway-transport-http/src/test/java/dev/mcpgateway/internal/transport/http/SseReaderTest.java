package dev.mcpgateway.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseReaderTest {
    private static final int LIMIT = 1 << 20;

    /** Hands out at most {@code chunk} bytes per read, as a network would in the worst case. */
    private static InputStream chunked(String text, int chunk) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            private int position;

            @Override
            public int read() {
                return position < bytes.length ? bytes[position++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, chunk), bytes.length - position);
                System.arraycopy(bytes, position, b, off, n);
                position += n;
                return n;
            }
        };
    }

    private static List<SseReader.Event> all(SseReader reader) throws IOException {
        List<SseReader.Event> events = new ArrayList<>();
        SseReader.Event event;
        while ((event = reader.next()) != null) {
            events.add(event);
        }
        return events;
    }

    private static List<SseReader.Event> parse(String text, int chunk) throws IOException {
        return all(new SseReader(chunked(text, chunk), null, LIMIT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void everyLineEndingGivesTheSameEventsWhateverTheChunking(String eol) throws IOException {
        String text = "event: update" + eol + "id: 7" + eol + "data: first" + eol + "data: second" + eol + eol
                + "data: {\"a\":1}" + eol + eol;
        List<SseReader.Event> expected = List.of(new SseReader.Event("update", "first\nsecond", "7"),
                new SseReader.Event("message", "{\"a\":1}", "7"));
        for (int chunk : new int[] {1, 2, 3, 7, 4096}) {
            assertEquals(expected, parse(text, chunk), "chunks of " + chunk + " with " + eol.replace("\r", "CR").replace("\n", "LF"));
        }
    }

    @Test
    void commentsUnknownFieldsAndEmptyDataAreSkippedButIdsAndRetryAreKept() throws IOException {
        String text = ": keep-alive\n\nretry: 2500\nid: prime\ndata:\n\nfoo: bar\nevent: ping\n\ndata: x\n\n";
        SseReader reader = new SseReader(chunked(text, 5), null, LIMIT);

        assertEquals(new SseReader.Event("message", "x", "prime"), reader.next());
        assertNull(reader.next());
        assertEquals("prime", reader.lastEventId());
        assertEquals(2500, reader.retryMillis());
    }

    @Test
    void theSpaceAfterTheColonIsOptionalAndOnlyOneIsRemoved() throws IOException {
        assertEquals(List.of(new SseReader.Event("message", "a\n b", null)), parse("data:a\ndata:  b\n\n", 4096));
    }

    @Test
    void aFieldWithoutColonHasAnEmptyValue() throws IOException {
        assertEquals(List.of(new SseReader.Event("message", "\nz", null)), parse("data\ndata: z\n\n", 4096));
    }

    @Test
    void invalidRetryAndIdsWithNulAreIgnored() throws IOException {
        SseReader reader = new SseReader(chunked("retry: soon\nid: a\0b\ndata: d\n\n", 4096), "before", LIMIT);

        assertEquals(new SseReader.Event("message", "d", "before"), reader.next());
        assertEquals(-1, reader.retryMillis());
    }

    @Test
    void anUnfinishedEventAtTheEndIsDropped() throws IOException {
        assertEquals(List.of(new SseReader.Event("message", "whole", null)), parse("data: whole\n\ndata: half\n", 4096));
        assertEquals(List.of(), parse("data: no newline at all", 4096));
    }

    @Test
    void aLeadingByteOrderMarkIsIgnored() throws IOException {
        assertEquals(List.of(new SseReader.Event("message", "x", null)), parse("\uFEFFdata: x\n\n", 1));
    }

    @Test
    void anEmptyEventTypeMeansMessage() throws IOException {
        assertEquals(List.of(new SseReader.Event("message", "x", null)), parse("event:\ndata: x\n\n", 4096));
        assertTrue(new SseReader.Event("message", "x", null).isMessage());
    }

    @Test
    void utf8SplitAcrossReadsIsDecoded() throws IOException {
        assertEquals(List.of(new SseReader.Event("message", "grüße ✓", null)), parse("data: grüße ✓\n\n", 1));
    }

    @Test
    void linesAndEventsBeyondTheLimitFail() {
        IOException line = assertThrows(IOException.class,
                () -> all(new SseReader(chunked("data: " + "x".repeat(100) + "\n\n", 3), null, 64)));
        assertTrue(line.getMessage().contains("64 bytes"), line.getMessage());
        IOException event = assertThrows(IOException.class,
                () -> all(new SseReader(chunked("data: 0123456789\n".repeat(10) + "\n", 3), null, 64)));
        assertTrue(event.getMessage().contains("64 bytes"), event.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SseReader(new ByteArrayInputStream(new byte[0]), null, 0));
    }
}
