package dev.mcpgateway.jsonrpc;

import static dev.mcpgateway.jsonrpc.CodecChecks.BEFORE;
import static dev.mcpgateway.jsonrpc.CodecChecks.CODEC;
import static dev.mcpgateway.jsonrpc.CodecChecks.assertSameRejection;
import static dev.mcpgateway.jsonrpc.CodecChecks.between;
import static dev.mcpgateway.jsonrpc.CodecChecks.embedded;
import static dev.mcpgateway.jsonrpc.CodecChecks.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decoding a range in the middle of a larger array, as a stdio transport decodes a line in its read buffer: the same
 * outcome as decoding a copy of the range, errors' positions included, and no byte outside the range read.
 */
class JsonRpcCodecBufferTest {
    private static final String NOTIFICATION = "{\"jsonrpc\":\"2.0\",\"method\":\"m\"}";

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"a\":1,\n\"b\":}",
            "{\n  \"jsonrpc\": \"2.0\",\n  \"method\": \"caf\u00e9\" x}",
            "\n\n  \u00e9",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[\"\u4e2d\\q\"]}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"s\":\"\n\"}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\"}\n\n  {}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[01]}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[\"\\u12G4\"]}",
            "[\n\"caf\u00e9\",\n nul]",
            "{\"jsonrpc\":\"2.0\",\n\"method\":\"m\""})
    void errorsGiveTheSamePositionsAsForACopy(String json) {
        byte[] bytes = utf8(json);
        JsonRpcException fromCopy = assertThrows(JsonRpcException.class, () -> CODEC.decode(bytes.clone()));
        assertTrue(fromCopy.getMessage().contains("(line "), fromCopy.getMessage());
        // BEFORE holds a line break and a two-byte character: counted, they would shift the line and the column.
        assertSameRejection(fromCopy, () -> CODEC.decode(embedded(bytes), BEFORE.length, bytes.length));
    }

    @Test
    void offsetsInEncodingErrorsCountFromTheRangesStart() {
        byte[] badUtf8 = HexFormat.of().parseHex("7B22223A2280C3");
        JsonRpcException fromCopy = assertThrows(JsonRpcException.class, () -> CODEC.decode(badUtf8));
        assertTrue(fromCopy.getMessage().contains("invalid UTF-8 at byte offset 5"), fromCopy.getMessage());
        assertSameRejection(fromCopy, () -> CODEC.decode(embedded(badUtf8), BEFORE.length, badUtf8.length));

        byte[] nul = {' ', ' ', 0, '{', '}'};
        JsonRpcException nulFromCopy = assertThrows(JsonRpcException.class, () -> CODEC.decode(nul));
        assertTrue(nulFromCopy.getMessage().contains("NUL byte at offset 2"), nulFromCopy.getMessage());
        assertSameRejection(nulFromCopy, () -> CODEC.decode(embedded(nul), BEFORE.length, nul.length));
    }

    @Test
    void invalidUtf8AtTheRangesFirstByteIsReportedThere() {
        // Before the range, E2 82 lacks one continuation byte, which the range's first byte (80) would give it.
        byte[] buffer = between(HexFormat.of().parseHex("E282"), HexFormat.of().parseHex("807B7D"), new byte[0]);
        JsonRpcException e = assertThrows(JsonRpcException.class, () -> CODEC.decode(buffer, 2, 3));
        assertTrue(e.getMessage().contains("invalid UTF-8 at byte offset 0"), e.getMessage());
        assertEquals(ErrorCodes.PARSE_ERROR, assertThrows(JsonRpcException.class, () -> CODEC.decode(buffer)).code());
    }

    @Test
    void aMessageAtTheVeryEndOfTheBufferDecodes() {
        byte[] whole = utf8(NOTIFICATION);
        byte[] buffer = between(BEFORE, whole, new byte[0]);
        assertEquals(CODEC.decode(whole), CODEC.decode(buffer, BEFORE.length, whole.length));

        String[] cuts = {"{\"jsonrpc\":\"2.0\",\"method\":\"m", "{\"a\":tr", "{\"a\":12", "{\"a\":\"\\u00"};
        for (String cut : cuts) {
            byte[] bytes = utf8(cut);
            JsonRpcException fromCopy = assertThrows(JsonRpcException.class, () -> CODEC.decode(bytes));
            byte[] atTheEnd = between(BEFORE, bytes, new byte[0]);
            assertSameRejection(fromCopy, () -> CODEC.decode(atTheEnd, BEFORE.length, bytes.length));
        }
    }

    @Test
    void emptyAndWhiteSpaceRangesAreEmptyInput() {
        byte[] buffer = between(BEFORE, utf8(" \t \r"), utf8(NOTIFICATION));
        int messageStart = buffer.length - utf8(NOTIFICATION).length;
        // White space, and empty ranges at the white space, just before the message and at the array's very end.
        int[][] ranges = {{BEFORE.length, 4}, {BEFORE.length, 1}, {BEFORE.length, 0}, {messageStart, 0},
                {buffer.length, 0}};
        for (int[] range : ranges) {
            JsonRpcException e = assertThrows(JsonRpcException.class, () -> CODEC.decode(buffer, range[0], range[1]));
            assertEquals("Parse error: the input is empty; send one JSON object", e.getMessage());
        }
    }

    /**
     * Ranges whose next bytes would change the outcome if they were read: a number followed by more digits, a
     * fraction or an exponent; a string, an escape, a character or a literal cut at the range's end and completed
     * after it; a string ending exactly at the end, followed by a quote; a NUL byte just after the end.
     */
    @Test
    void nothingAfterTheRangeIsRead() {
        String[][] cases = {
                {"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":12", "3}"},
                {"{\"jsonrpc\":\"2.0\",\"id\":12", "3,\"result\":1}"},
                {"12", ".5"},
                {"1.", "5"},
                {"1e", "5"},
                {"-", "1"},
                {"{\"jsonrpc\":\"2.0\",\"method\":\"m", "\"}"},
                {"{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[\"\u00e9", "\"]}"},
                {"{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[\"\\", "\"\"]}"},
                {"{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[\"\\u00", "41\"]}"},
                {"{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[tru", "e]}"},
                {"\"ab\"", "\""},
                {"{}", "\u0000"},
                {"1", "\u0000\u0000\u0000"},
                {" ", NOTIFICATION},
                {"", NOTIFICATION}};
        for (String[] c : cases) {
            assertNothingAfterIsRead(utf8(c[0]), utf8(c[1]));
        }
        // A two-byte character and a byte order mark cut by the range's end, completed after it.
        assertNothingAfterIsRead(between(utf8("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[\""),
                HexFormat.of().parseHex("C3"), new byte[0]), HexFormat.of().parseHex("A9225D7D"));
        assertNothingAfterIsRead(HexFormat.of().parseHex("EFBB"), between(HexFormat.of().parseHex("BF"),
                utf8(NOTIFICATION), new byte[0]));
    }

    /**
     * Asserts that {@code range} decodes alike alone and between {@link CodecChecks#BEFORE} and {@code after}, and
     * that reading on into {@code after} would have changed the outcome, so the check means something.
     */
    private static void assertNothingAfterIsRead(byte[] range, byte[] after) {
        String alone = outcome(range, 0, range.length);
        String described = HexFormat.of().formatHex(range) + " | " + HexFormat.of().formatHex(after);
        assertEquals(alone, outcome(between(BEFORE, range, after), BEFORE.length, range.length), described);
        byte[] readOn = between(new byte[0], range, after);
        assertNotEquals(alone, outcome(readOn, 0, readOn.length), described);
    }

    /** The decoded message, or the exception's code and message, as text to compare. */
    private static String outcome(byte[] buffer, int offset, int length) {
        try {
            return "decoded: " + CODEC.decode(buffer, offset, length);
        } catch (JsonRpcException e) {
            return e.code() + ": " + e.getMessage();
        }
    }

    @Test
    void aRangeOutsideTheArrayIsRefused() {
        byte[] buffer = utf8(NOTIFICATION);
        assertThrows(IndexOutOfBoundsException.class, () -> CODEC.decode(buffer, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> CODEC.decode(buffer, 1, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> CODEC.decode(buffer, 1, buffer.length));
        assertThrows(IndexOutOfBoundsException.class, () -> CODEC.decode(buffer, buffer.length + 1, 0));
        assertEquals(CODEC.decode(buffer), CODEC.decode(buffer, 0, buffer.length));
    }
}
