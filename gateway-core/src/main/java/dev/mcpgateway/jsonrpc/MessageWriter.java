package dev.mcpgateway.jsonrpc;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writes JSON-RPC messages as compact UTF-8 JSON: byte for byte what Jackson's generator writes for them with
 * {@link Json#mapper()}'s settings (the same escapes, the same number forms), without its generator, write contexts
 * and I/O context per message. Like the generator, it writes into buffers from Jackson's shared pool and returns an
 * array of exactly the message's size.
 *
 * <p>Why by hand: through Jackson, encoding a message allocated about 550 B besides its result (scenario 2 of the
 * load tool encodes three per call, 10 % of all it allocated). Here a message costs its result and one small writer.
 *
 * <p>Only the node kinds a parsed message holds (objects, arrays, strings, numbers, booleans and null) are written
 * here; a tree holding another kind (a POJO, binary or missing node), or nested deeper than
 * {@link Json#MAX_NESTING_DEPTH} (which no parsed message is), makes {@link #encode} return null, and the codec
 * writes that message with Jackson, whose generator reports what it cannot write.
 */
final class MessageWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** Per ASCII character: 0 written as is, 'u' as a six-character escape, otherwise the letter after a backslash. */
    private static final byte[] ESCAPES = new byte[128];
    /** The most bytes one character becomes: a six-character escape. */
    private static final int MAX_BYTES_PER_CHAR = 6;
    /** The fewest characters a string is escaped by at a time before the output grows. */
    private static final int MIN_SLICE = 64;

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
    }

    /** Where a string's characters are copied to be escaped, a slice at a time. */
    private final char[] chars;
    private byte[] out;
    private int position;
    private int depth;

    private MessageWriter(byte[] out, char[] chars) {
        this.out = out;
        this.chars = chars;
    }

    /** The message as UTF-8 JSON, or null when it holds a node kind this writer leaves to Jackson. */
    static byte[] encode(JsonRpcMessage message) {
        return written(writer -> writer.message(message));
    }

    /** The messages as one JSON array, or null when one holds a node kind this writer leaves to Jackson. */
    static byte[] encodeBatch(List<? extends JsonRpcMessage> messages) {
        return written(writer -> writer.batch(messages));
    }

    private static byte[] written(Predicate<MessageWriter> writing) {
        BufferRecycler recycler = Json.recycler();
        byte[] pooledBytes = recycler.allocByteBuffer(BufferRecycler.BYTE_WRITE_ENCODING_BUFFER);
        char[] pooledChars = recycler.allocCharBuffer(BufferRecycler.CHAR_CONCAT_BUFFER);
        try {
            MessageWriter writer = new MessageWriter(pooledBytes, pooledChars);
            return writing.test(writer) ? Arrays.copyOf(writer.out, writer.position) : null;
        } finally {
            recycler.releaseByteBuffer(BufferRecycler.BYTE_WRITE_ENCODING_BUFFER, pooledBytes);
            recycler.releaseCharBuffer(BufferRecycler.CHAR_CONCAT_BUFFER, pooledChars);
            recycler.releaseToPool();
        }
    }

    /** Room for {@code bytes} more; a message larger than the pooled buffer grows a copy of its own. */
    private void ensure(int bytes) {
        if (position + bytes > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, position + bytes));
        }
    }

    private boolean batch(List<? extends JsonRpcMessage> messages) {
        ascii('[');
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                ascii(',');
            }
            if (!message(messages.get(i))) {
                return false;
            }
        }
        ascii(']');
        return true;
    }

    private boolean message(JsonRpcMessage message) {
        ascii("{\"jsonrpc\":\"2.0\"");
        boolean written = switch (message) {
            case JsonRpcRequest request -> {
                id(request.id());
                yield call(request.method(), request.params());
            }
            case JsonRpcNotification notification -> call(notification.method(), notification.params());
            case JsonRpcResponse response -> {
                id(response.id());
                if (response.error() == null) {
                    ascii(",\"result\":");
                    yield value(response.result());
                }
                yield error(response.error());
            }
        };
        ascii('}');
        return written;
    }

    private void id(RequestId id) {
        ascii(",\"id\":");
        switch (id) {
            case null -> ascii("null");
            case RequestId.Text text -> string(text.value());
            case RequestId.Number number -> integer(number.value());
        }
    }

    private boolean call(String method, JsonNode params) {
        ascii(",\"method\":");
        string(method);
        if (params == null || params.isNull()) {
            return true;
        }
        ascii(",\"params\":");
        return value(params);
    }

    private boolean error(JsonRpcError error) {
        ascii(",\"error\":{\"code\":");
        integer(error.code());
        ascii(",\"message\":");
        string(error.message());
        boolean written = true;
        if (error.data() != null) {
            ascii(",\"data\":");
            written = value(error.data());
        }
        ascii('}');
        return written;
    }

    private boolean value(JsonNode node) {
        if (node == null) {
            return false; // a null member value, which only a hand-built map can hold: Jackson decides what it means
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                return object(node);
            }
            case ARRAY -> {
                return array(node);
            }
            case STRING -> string(node.textValue());
            case NUMBER -> {
                return number(node);
            }
            case BOOLEAN -> ascii(node.booleanValue() ? "true" : "false");
            case NULL -> ascii("null");
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean object(JsonNode node) {
        if (++depth > Json.MAX_NESTING_DEPTH) {
            return false;
        }
        ascii('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            if (!first) {
                ascii(',');
            }
            first = false;
            string(member.getKey());
            ascii(':');
            if (!value(member.getValue())) {
                return false;
            }
        }
        ascii('}');
        depth--;
        return true;
    }

    private boolean array(JsonNode node) {
        if (++depth > Json.MAX_NESTING_DEPTH) {
            return false;
        }
        ascii('[');
        for (int i = 0, n = node.size(); i < n; i++) {
            if (i > 0) {
                ascii(',');
            }
            if (!value(node.get(i))) {
                return false;
            }
        }
        ascii(']');
        depth--;
        return true;
    }

    private boolean number(JsonNode node) {
        switch (node.numberType()) {
            case INT, LONG -> integer(node.longValue());
            case BIG_INTEGER -> ascii(node.bigIntegerValue().toString());
            // Jackson writes a decimal's scientific form (1E+3) unless told to write it plain, and it is not.
            case BIG_DECIMAL -> ascii(node.decimalValue().toString());
            case DOUBLE -> floating(node.doubleValue(), Double.toString(node.doubleValue()));
            case FLOAT -> floating(node.floatValue(), Float.toString(node.floatValue()));
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Jackson quotes NaN and the infinities, which JSON has no literal for. */
    private void floating(double value, String text) {
        if (Double.isFinite(value)) {
            ascii(text);
        } else {
            string(text);
        }
    }

    private void integer(long value) {
        if (value < 0) {
            ascii('-');
            if (value == Long.MIN_VALUE) {
                ascii("9223372036854775808");
                return;
            }
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = position + digits - 1; i >= position; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        position += digits;
    }

    /** A string in quotes, escaped as Jackson's UTF-8 generator escapes it, surrogates included. */
    private void string(String text) {
        ascii('"');
        char[] slice = chars;
        for (int from = 0, n = text.length(); from < n; ) {
            // A slice takes no more characters than the output has room for at their largest, so the escape loop
            // checks no bounds; the output grows only when little room is left.
            if ((out.length - position) / MAX_BYTES_PER_CHAR < MIN_SLICE) {
                ensure(MIN_SLICE * MAX_BYTES_PER_CHAR);
            }
            int length = Math.min(Math.min(slice.length, (out.length - position) / MAX_BYTES_PER_CHAR), n - from);
            text.getChars(from, from + length, slice, 0);
            position = escape(slice, length, out, position);
            from += length;
        }
        ascii('"');
    }

    private static int escape(char[] slice, int length, byte[] bytes, int at) {
        for (int i = 0; i < length; i++) {
            char c = slice[i];
            if (c < 0x80) {
                byte escape = ESCAPES[c];
                if (escape == 0) {
                    bytes[at++] = (byte) c;
                } else if (escape == 'u') {
                    at = unicodeEscape(bytes, at, c);
                } else {
                    bytes[at++] = '\\';
                    bytes[at++] = escape;
                }
            } else if (c < 0x800) {
                bytes[at++] = (byte) (0xC0 | (c >> 6));
                bytes[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                // Jackson escapes each half of a pair rather than writing the four-byte form.
                at = unicodeEscape(bytes, at, c);
            } else {
                bytes[at++] = (byte) (0xE0 | (c >> 12));
                bytes[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                bytes[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return at;
    }

    private static int unicodeEscape(byte[] bytes, int at, char c) {
        bytes[at++] = '\\';
        bytes[at++] = 'u';
        bytes[at++] = HEX[(c >> 12) & 0xF];
        bytes[at++] = HEX[(c >> 8) & 0xF];
        bytes[at++] = HEX[(c >> 4) & 0xF];
        bytes[at++] = HEX[c & 0xF];
        return at;
    }

    /** Text known to be ASCII and to need no escape: punctuation, literals and number forms. */
    private void ascii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            out[position + i] = (byte) text.charAt(i);
        }
        position += n;
    }

    private void ascii(char c) {
        ensure(1);
        out[position++] = (byte) c;
    }
}
