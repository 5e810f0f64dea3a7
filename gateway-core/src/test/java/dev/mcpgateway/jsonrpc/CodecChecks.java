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

/** What the {@code JsonRpcCodec*Test} classes check with: every decoding entry point, rejections, round trips. */
final class CodecChecks {
    static final JsonRpcCodec CODEC = JsonRpcCodec.INSTANCE;

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

    /**
     * The bytes at the start of a longer array, as a reused buffer holds them: what follows is more JSON and
     * ill-formed UTF-8, either of which would change the outcome if it were read.
     */
    static byte[] buffered(byte[] bytes) {
        byte[] tail = {',', '1', '}', ' ', (byte) 0xFF};
        byte[] buffer = Arrays.copyOf(bytes, bytes.length + tail.length);
        System.arraycopy(tail, 0, buffer, bytes.length, tail.length);
        return buffer;
    }

    /** Decodes through every entry point (bytes, text, a buffer's start), checks they agree, returns the message. */
    static JsonRpcMessage decode(String json) {
        JsonRpcMessage fromBytes = CODEC.decode(utf8(json));
        assertEquals(fromBytes, CODEC.decode(json), "byte and text decoding disagree");
        assertEquals(fromBytes, CODEC.decode(buffered(utf8(json)), utf8(json).length), "a buffer's start decodes "
                + "otherwise");
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

    /** Asserts that the bytes at the start of a buffer are rejected exactly as {@code fromBytes} rejected them. */
    static void assertSameRejection(JsonRpcException fromBytes, byte[] bytes) {
        JsonRpcException fromBuffer = assertThrows(JsonRpcException.class,
                () -> CODEC.decode(buffered(bytes), bytes.length));
        assertEquals(fromBytes.code(), fromBuffer.code());
        assertEquals(fromBytes.getMessage(), fromBuffer.getMessage());
        assertEquals(fromBytes.id(), fromBuffer.id());
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
