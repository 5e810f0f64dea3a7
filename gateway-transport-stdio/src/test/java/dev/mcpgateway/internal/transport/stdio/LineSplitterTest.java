package dev.mcpgateway.internal.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    /** Records lines as text and oversized lines as "oversized:<length>:<head>". */
    private static final class Recorder implements LineSplitter.Sink {
        final List<String> lines = new ArrayList<>();

        @Override
        public void line(byte[] bytes, int offset, int length) {
            lines.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void oversized(long length, byte[] head, int headLength) {
            lines.add("oversized:" + length + ":" + new String(head, 0, headLength, StandardCharsets.UTF_8));
        }
    }

    /** Hands out at most {@code step} bytes per read, so lines straddle reads. */
    private static InputStream trickle(String text, int step) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    private static List<String> split(int maxLineBytes, InputStream in) throws IOException {
        Recorder recorder = new Recorder();
        new LineSplitter(maxLineBytes).pump(in, recorder);
        return recorder.lines;
    }

    @Test
    void splitsOnNewlineStripsCarriageReturnAndKeepsALastUnterminatedLine() throws IOException {
        String text = "a\nb\r\n\nmid\rdle\nlast";
        assertEquals(List.of("a", "b", "", "mid\rdle", "last"), split(100, trickle(text, 8192)));
        assertEquals(List.of("a", "b", "", "mid\rdle", "last"), split(100, trickle(text, 1)));
        assertEquals(List.of(), split(100, trickle("", 1)));
    }

    @Test
    void linesLongerThanOneReadAreJoinedIntact() throws IOException {
        String long1 = "é".repeat(15_000);
        String long2 = "z".repeat(9_000);
        String text = long1 + "\n" + long2 + "\r\nshort\n";
        assertEquals(List.of(long1, long2, "short"), split(40_000, trickle(text, 7)));
        assertEquals(List.of(long1, long2, "short"), split(40_000, trickle(text, 100_000)));
    }

    @Test
    void aLineAtTheLimitPassesAndOneByteMoreIsReportedWithItsLengthAndHead() throws IOException {
        String text = "0123456789\n0123456789A\nok\n";
        for (int step : new int[] {1, 3, 8192}) {
            assertEquals(List.of("0123456789", "oversized:11:0123456789A", "ok"), split(10, trickle(text, step)),
                    "step " + step);
        }
    }

    @Test
    void aHugeLineIsConsumedKeepingOnlyItsHead() throws IOException {
        String huge = "h".repeat(LineSplitter.HEAD_BYTES) + "t".repeat(200_000);
        List<String> lines = split(1000, trickle(huge + "\nnext\n" + huge, 5000));
        assertEquals(List.of("oversized:" + huge.length() + ":" + "h".repeat(LineSplitter.HEAD_BYTES), "next",
                "oversized:" + huge.length() + ":" + "h".repeat(LineSplitter.HEAD_BYTES)), lines);
    }

    @Test
    void excerptCutsAtTwoHundredCharactersWithoutSplittingASurrogatePair() {
        byte[] ascii = "x".repeat(300).getBytes(StandardCharsets.UTF_8);
        assertEquals("x".repeat(200) + "…", LineSplitter.excerpt(ascii, 0, ascii.length));
        assertEquals("xxx", LineSplitter.excerpt(ascii, 10, 3));

        byte[] emoji = ("x".repeat(199) + "😀😀").getBytes(StandardCharsets.UTF_8);
        assertEquals("x".repeat(199) + "…", LineSplitter.excerpt(emoji, 0, emoji.length));

        byte[] wide = "€".repeat(1000).getBytes(StandardCharsets.UTF_8);
        assertEquals("€".repeat(200) + "…", LineSplitter.excerpt(wide, 0, wide.length));

        byte[] malformed = {'a', (byte) 0xC3, 'b'};
        assertEquals("a\uFFFDb", LineSplitter.excerpt(malformed, 0, malformed.length));
    }

    @Test
    void blankMeansOnlySpacesAndTabs() {
        byte[] bytes = " \t x".getBytes(StandardCharsets.US_ASCII);
        assertTrue(LineSplitter.isBlank(bytes, 0, 3));
        assertTrue(LineSplitter.isBlank(bytes, 0, 0));
        assertFalse(LineSplitter.isBlank(bytes, 0, 4));
    }

    @Test
    void theLimitMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LineSplitter(0));
        assertEquals("maxLineBytes must be positive, got 0", e.getMessage());
    }
}
