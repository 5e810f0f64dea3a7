package dev.mcpgateway.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;

/** What the {@code JsonRpcCodec*Test} classes check with: every decoding entry point, rejections, round trips. */
final class CodecChecks {
    static final JsonRpcCodec CODEC = JsonRpcCodec.INSTANCE;
    /**
     * What a buffer holds before a message in these checks: a NUL byte, a line break, a two-byte character, an open
     * bracket and quote, and a three-byte character cut short. Read, any of them would change the outcome; counted,
     * they would shift the line, column or offset an error gives.
     */
    static final byte[] BEFORE = {0, '\n', (byte) 0xC3, (byte) 0xA9, '[', '"', (byte) 0xE2, (byte) 0x82};
    /** What a buffer holds after a message: more JSON and ill-formed UTF-8, each changing the outcome if read. */
    private static final byte[] AFTER = {',', '1', '}', ' ', (byte) 0xFF};

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The bytes at the start of a longer array, as a reused buffer holds them, {@link #AFTER} following. */
    static byte[] buffered(byte[] bytes) {
        return between(new byte[0], bytes, AFTER);
    }

    /** The bytes in the middle of a longer array, as a line in a read buffer: at {@link #BEFORE}'s length. */
    static byte[] embedded(byte[] bytes) {
        return between(BEFORE, bytes, AFTER);
    }

    /** One array of the three, in order. */
    static byte[] between(byte[] before, byte[] bytes, byte[] after) {
        byte[] buffer = Arrays.copyOf(before, before.length + bytes.length + after.length);
        System.arraycopy(bytes, 0, buffer, before.length, bytes.length);
        System.arraycopy(after, 0, buffer, before.length + bytes.length, after.length);
        return buffer;
    }

    /**
     * Decodes through every entry point (bytes, text, a buffer's start, a buffer's middle), checks they agree, returns
     * the message.
     */
    static JsonRpcMessage decode(String json) {
        byte[] bytes = utf8(json);
        JsonRpcMessage fromBytes = CODEC.decode(bytes);
        assertEquals(fromBytes, CODEC.decode(json), "byte and text decoding disagree");
        assertEquals(fromBytes, CODEC.decode(buffered(bytes), bytes.length), "a buffer's start decodes otherwise");
        assertEquals(fromBytes, CODEC.decode(embedded(bytes), BEFORE.length, bytes.length),
                "a buffer's middle decodes otherwise");
        return fromBytes;
    }

    /** Asserts that every entry point rejects the input with {@code code} and returns the byte-path exception. */
    static JsonRpcException rejected(int code, String json) {
        JsonRpcException fromBytes = assertThrows(JsonRpcException.class, () -> CODEC.decode(utf8(json)));
        JsonRpcException fromText = assertThrows(JsonRpcException.class, () -> CODEC.decode(json));
        assertEquals(code, fromBytes.code(), fromBytes.getMessage());
        assertEquals(code, fromText.code(), fromText.getMessage());
        assertEquals(fromBytes.id(), fromText.id());
        assertSameRejection(fromBytes, utf8(json));
        return fromBytes;
    }

    /**
     * Asserts that the bytes at the start and in the middle of a buffer are rejected exactly as {@code fromBytes}
     * rejected them, positions in the message included.
     */
    static void assertSameRejection(JsonRpcException fromBytes, byte[] bytes) {
        assertSameRejection(fromBytes, () -> CODEC.decode(buffered(bytes), bytes.length));
        assertSameRejection(fromBytes, () -> CODEC.decode(embedded(bytes), BEFORE.length, bytes.length));
    }

    /** Asserts that {@code decoding} throws an exception with {@code expected}'s code, message and id. */
    static void assertSameRejection(JsonRpcException expected, Executable decoding) {
        JsonRpcException e = assertThrows(JsonRpcException.class, decoding);
        assertEquals(expected.code(), e.code());
        assertEquals(expected.getMessage(), e.getMessage());
        assertEquals(expected.id(), e.id());
    }

    static JsonRpcException invalid(String json) {
        JsonRpcException e = rejected(ErrorCodes.INVALID_REQUEST, json);
        assertTrue(e.getMessage().startsWith("Invalid Request: "), e.getMessage());
        return e;
    }

    static JsonRpcException parseError(byte[] bytes) {
        JsonRpcException e = assertThrows(JsonRpcException.class, () -> CODEC.decode(bytes));
        assertParseError(e);
        assertSameRejection(e, bytes);
        return e;
    }

    static void assertParseError(JsonRpcException e) {
        assertEquals(ErrorCodes.PARSE_ERROR, e.code(), e.getMessage());
        assertTrue(e.getMessage().startsWith("Parse error: "), e.getMessage());
        assertFalse(e.getMessage().contains("\tat "), "no stack trace in the message");
        assertFalse(e.getMessage().contains("com.fasterxml"), "no Java class names in the message: " + e.getMessage());
        assertFalse(e.getMessage().contains("Feature") || e.getMessage().contains("Constraints"),
                "no Jackson settings in the message: " + e.getMessage());
        assertFalse(e.getMessage().contains("REDACTED"), e.getMessage());
        assertNull(e.id());
    }

    /** Encodes, checks the output is one line and that every encoder agrees, and decodes it again. */
    static JsonRpcMessage roundTrip(JsonRpcMessage message) throws IOException {
        byte[] bytes = CODEC.encode(message);
        for (byte b : bytes) {
            assertTrue(b != '\n' && b != '\r', "output must be a single line");
        }
        assertEquals(new String(bytes, StandardCharsets.UTF_8), CODEC.encodeToString(message));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CODEC.write(message, out);
        assertArrayEquals(bytes, out.toByteArray());
        assertEquals(Json.mapper().readTree(bytes), CODEC.toTree(message));
        JsonRpcMessage again = CODEC.decode(bytes);
        assertEquals(message, again);
        return again;
    }

    private CodecChecks() {
    }
}
