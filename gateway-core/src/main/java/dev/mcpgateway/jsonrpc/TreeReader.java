package dev.mcpgateway.jsonrpc;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one JSON value from well-formed UTF-8 (the codec checks the encoding first) into a tree of
 * {@link Json#nodes()}, building the same nodes as {@link Json#mapper()}'s {@code readTree} with the gateway's
 * settings: integers as int, long or big-integer nodes by size, every fraction as an exact decimal node (trailing
 * zeroes kept), a repeated member's last value in the first one's place. It accepts what that parser accepts
 * (RFC 8259 JSON, a leading byte order mark) and refuses the rest with a {@link ErrorCodes#PARSE_ERROR} saying what is
 * wrong and where. Nesting is bounded at {@link Json#MAX_NESTING_DEPTH}, number literals at
 * {@link Json#MAX_NUMBER_LENGTH} characters, and strings and names at Jackson's default lengths.
 *
 * <p>Why by hand: through Jackson's parser, decoding a tool call allocated 1,792 B (JMH {@code CodecBenchmark}), about
 * 950 B of it parser objects (the parser, its I/O and read contexts, a symbol table child, a text buffer) besides the
 * tree; here it allocates 952 B, in the same time. The gateway parses two messages per call to an HTTP plugin. Strings
 * that need decoding (escapes, non-ASCII) are decoded in a character buffer from Jackson's shared pool, as Jackson's
 * parser decodes them in its text buffer. Short member names (and the message's version and method) come from a
 * small shared table of the last ones read, as from Jackson's symbol table.
 */
final class TreeReader {
    private static final JsonNodeFactory NODES = Json.nodes();
    private static final int MAX_STRING_LENGTH = StreamReadConstraints.defaults().getMaxStringLength();
    private static final int MAX_NAME_LENGTH = StreamReadConstraints.defaults().getMaxNameLength();
    /** The longest string kept in {@link #RECENT}. */
    private static final int RECENT_LENGTH = 32;
    /**
     * Short ASCII member names (and message versions and methods) read lately, by a hash of their bytes, as Jackson's
     * symbol table keeps the names it reads. Threads race on the slots, harmlessly: a slot holds a whole immutable
     * string or another one, and a string found there is used only when its characters match.
     */
    private static final String[] RECENT = new String[1024];
    /** The most decimal digits that always fit a long. */
    private static final int LONG_SAFE_DIGITS = 18;
    /** The size of the pooled character buffer: a typical text content block decodes without growing it. */
    private static final int POOLED_CHARS = 2000;

    private final byte[] in;
    /** Where the message starts in {@link #in}: positions in errors count from here, as in a copy of the message. */
    private final int origin;
    /** Where the message ends: nothing from here on is read, though the array may go on. */
    private final int end;
    private int at;
    private int depth;
    /** Taken from Jackson's pool at the first string that needs decoding; null until then. */
    private BufferRecycler recycler;
    /** The buffer taken from the pool, which goes back to it. */
    private char[] pooled;
    /** Where strings are decoded: the pooled buffer, or a larger one after a long string. */
    private char[] chars;

    private TreeReader(byte[] in, int origin, int end) {
        this.in = in;
        this.origin = origin;
        this.end = end;
        this.at = origin;
    }

    /**
     * The one value the {@code length} bytes of {@code utf8} from {@code offset} hold; null when they hold only white
     * space. Nothing returned refers to the array: strings and numbers are built from copies of its bytes.
     *
     * @throws JsonRpcException      a parse error when the input is not one JSON value or exceeds a limit
     * @throws NumberFormatException when a number's exponent is beyond {@link BigDecimal}'s range
     */
    static JsonNode readAll(byte[] utf8, int offset, int length) {
        TreeReader reader = new TreeReader(utf8, offset, offset + length);
        if (length >= 3 && utf8[offset] == (byte) 0xEF && utf8[offset + 1] == (byte) 0xBB
                && utf8[offset + 2] == (byte) 0xBF) {
            reader.at += 3; // a byte order mark, which Jackson skips too
        }
        reader.skipWhitespace();
        if (reader.at == reader.end) {
            return null;
        }
        try {
            JsonNode value = reader.value();
            reader.skipWhitespace();
            if (reader.at < reader.end) {
                throw reader.error("unexpected content after the JSON value; send exactly one JSON value", reader.at);
            }
            return value;
        } finally {
            reader.release();
        }
    }

    private JsonNode value() {
        byte b = in[at];
        return switch (b) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> NODES.textNode(string(MAX_STRING_LENGTH, "String value", false));
            case 't' -> literal("true", NODES.booleanNode(true));
            case 'f' -> literal("false", NODES.booleanNode(false));
            case 'n' -> literal("null", NODES.nullNode());
            default -> {
                if (b == '-' || (b >= '0' && b <= '9')) {
                    yield number();
                }
                throw unexpected("where a value was expected");
            }
        };
    }

    private ObjectNode object() {
        ObjectNode object = NODES.objectNode();
        if (opensEmpty('}', "an object")) {
            return object;
        }
        do {
            if (in[at] != '"') {
                throw unexpected("where a member name in double quotes was expected");
            }
            String name = string(MAX_NAME_LENGTH, "Name", true);
            skipWhitespace();
            if (more("an object") != ':') {
                throw unexpected("where ':' was expected after a member name");
            }
            at++;
            skipWhitespace();
            more("an object");
            boolean protocolText = depth == 1 && in[at] == '"' && ("method".equals(name) || "jsonrpc".equals(name));
            object.replace(name, protocolText ? NODES.textNode(string(MAX_STRING_LENGTH, "String value", true))
                    : value());
        } while (!closes('}', "an object"));
        return object;
    }

    private ArrayNode array() {
        ArrayNode array = NODES.arrayNode();
        if (opensEmpty(']', "an array")) {
            return array;
        }
        do {
            array.add(value());
        } while (!closes(']', "an array"));
        return array;
    }

    /** Steps into the container at the cursor, past its opening bracket: whether it closes at once. */
    private boolean opensEmpty(char close, String container) {
        enter();
        at++;
        skipWhitespace();
        if (more(container) == close) {
            at++;
            depth--;
            return true;
        }
        return false;
    }

    /** After a member or element: past the comma and the space after it (false), or out of the container (true). */
    private boolean closes(char close, String container) {
        skipWhitespace();
        byte next = more(container);
        if (next == close) {
            at++;
            depth--;
            return true;
        }
        if (next != ',') {
            throw unexpected("where ',' or '" + close + "' was expected in " + container);
        }
        at++;
        skipWhitespace();
        more(container);
        return false;
    }

    private void enter() {
        if (++depth > Json.MAX_NESTING_DEPTH) {
            throw limit("Document nesting depth (" + depth + ") exceeds the maximum allowed ("
                    + Json.MAX_NESTING_DEPTH + ")");
        }
    }

    private JsonNode literal(String word, JsonNode node) {
        for (int i = 0; i < word.length(); i++) {
            if (at + i >= end || in[at + i] != word.charAt(i)) {
                at += i;
                throw at >= end ? endOfInput("the literal " + word)
                        : unexpected("where the literal " + word + " was expected (JSON's literals are true, false "
                                + "and null)");
            }
        }
        at += word.length();
        return node;
    }

    /**
     * A string whose opening quote is at the cursor; the cursor ends past its closing quote. A member name, or the
     * message's own {@code jsonrpc} and {@code method}, is shared through {@link #RECENT} when it is short and plain;
     * other values never are, so nothing a call carries (a password in its arguments) is kept beyond its message.
     */
    private String string(int maxLength, String what, boolean shared) {
        int start = ++at;
        int hash = 0;
        while (true) {
            if (at >= end) {
                throw endOfInput("a string");
            }
            byte b = in[at];
            if (b == '"') {
                break;
            }
            if (b < 0x20 || b == '\\') { // b < 0 for every byte of a multi-byte character
                return escapedOrWide(start, maxLength, what);
            }
            hash = 31 * hash + b;
            at++;
        }
        int length = at - start;
        at++;
        if (!shared || length > RECENT_LENGTH) {
            return checkedLength(new String(in, start, length, StandardCharsets.ISO_8859_1), maxLength, what);
        }
        int slot = (hash ^ (hash >>> 16)) & (RECENT.length - 1);
        String recent = RECENT[slot];
        if (recent != null && recent.length() == length && sameAscii(recent, start, length)) {
            return recent;
        }
        String text = new String(in, start, length, StandardCharsets.ISO_8859_1);
        RECENT[slot] = text;
        return text;
    }

    private boolean sameAscii(String text, int start, int length) {
        byte[] bytes = in;
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) != bytes[start + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The rest of a string holding escapes, control characters or non-ASCII characters, decoded into a character
     * buffer from Jackson's shared pool (as Jackson's parser decodes into its text buffer), so that the string is the
     * only allocation.
     */
    private String escapedOrWide(int start, int maxLength, String what) {
        byte[] bytes = in;
        int i = at;
        char[] decoded = buffer(i - start + 2);
        int length = 0;
        for (int k = start; k < i; k++) {
            decoded[length++] = (char) bytes[k]; // the ASCII prefix already scanned
        }
        // The index stays in a local through the plain run; escapes and wide characters move the cursor themselves.
        while (i < end) {
            if (decoded.length - length <= 2) { // room for a wide character's two, and a run of at least one
                decoded = grown(decoded);
            }
            // A run of plain ASCII, as far as the buffer has room; a byte of a wide character is negative.
            for (int runEnd = Math.min(end, i + decoded.length - length - 2); i < runEnd; i++) {
                byte b = bytes[i];
                if (b < 0x20 || b == '\\' || b == '"') {
                    break;
                }
                decoded[length++] = (char) b;
            }
            if (i >= end) {
                break;
            }
            int b = bytes[i];
            if (b >= 0x20 && b != '\\' && b != '"') {
                continue; // the run stopped where the buffer is full
            } else if (b == '"') {
                at = i + 1;
                return checkedLength(new String(decoded, 0, length), maxLength, what);
            } else if (b == '\\') {
                at = i;
                decoded[length++] = escape();
                i = at;
            } else if (b >= 0) {
                throw error("a control character (code " + b + ") inside a string; write it as an escape such as "
                        + "\\n or \\u%04X".formatted(b), i);
            } else {
                at = i;
                length = wide(decoded, length);
                i = at;
            }
        }
        throw endOfInput("a string");
    }

    /** The reader's character buffer, with room for at least {@code size} characters. */
    private char[] buffer(int size) {
        if (recycler == null) {
            recycler = Json.recycler();
            pooled = recycler.allocCharBuffer(BufferRecycler.CHAR_TEXT_BUFFER, Math.max(size, POOLED_CHARS));
            chars = pooled;
        }
        if (chars.length < size) {
            chars = new char[Math.max(size, 2 * chars.length)];
        }
        return chars;
    }

    /** The buffer, twice as large; strings longer than the pooled buffer decode into one of their own. */
    private char[] grown(char[] full) {
        chars = Arrays.copyOf(full, 2 * full.length);
        return chars;
    }

    /** Gives the pooled buffer, if the reader took one, back to the pool. */
    private void release() {
        if (recycler != null) {
            recycler.releaseCharBuffer(BufferRecycler.CHAR_TEXT_BUFFER, pooled);
            recycler.releaseToPool();
        }
    }

    /** The escape at the cursor, as one character; the cursor ends past it. */
    private char escape() {
        if (at + 1 >= end) {
            at = end;
            throw endOfInput("a string");
        }
        byte letter = in[at + 1];
        at += 2;
        return switch (letter) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> unicodeEscape();
            default -> {
                at -= 2;
                throw error("an invalid escape in a string; the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and "
                        + "\\u followed by four hex digits", at);
            }
        };
    }

    private char unicodeEscape() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (at >= end) {
                throw endOfInput("a string");
            }
            int digit = Character.digit(in[at], 16);
            if (digit < 0) {
                throw error("\\u must be followed by four hex digits", at);
            }
            value = value << 4 | digit;
            at++;
        }
        return (char) value;
    }

    /** Decodes the multi-byte character at the cursor (the codec has checked it is well formed) into {@code chars}. */
    private int wide(char[] chars, int length) {
        int b = in[at] & 0xFF;
        int codePoint;
        int size;
        if (b < 0xE0) {
            codePoint = b & 0x1F;
            size = 2;
        } else if (b < 0xF0) {
            codePoint = b & 0x0F;
            size = 3;
        } else {
            codePoint = b & 0x07;
            size = 4;
        }
        for (int i = 1; i < size; i++) {
            codePoint = codePoint << 6 | (in[at + i] & 0x3F);
        }
        at += size;
        if (size < 4) {
            chars[length] = (char) codePoint;
            return length + 1;
        }
        chars[length] = Character.highSurrogate(codePoint);
        chars[length + 1] = Character.lowSurrogate(codePoint);
        return length + 2;
    }

    private String checkedLength(String text, int maxLength, String what) {
        if (text.length() > maxLength) {
            throw limit(what + " length (" + text.length() + ") exceeds the maximum allowed (" + maxLength + ")");
        }
        return text;
    }

    private JsonNode number() {
        int start = at;
        if (in[at] == '-') {
            at++;
        }
        int digitsStart = at;
        if (at < end && in[at] == '0') {
            at++;
            if (at < end && isDigit(in[at])) {
                throw error("a number has a leading zero; write it without one", digitsStart);
            }
        } else if (at < end && isDigit(in[at])) {
            skipDigits();
        } else {
            throw at >= end ? endOfInput("a number") : unexpected("where the digits of a number were expected");
        }
        int integerDigits = at - digitsStart;
        boolean fraction = false;
        if (at < end && in[at] == '.') {
            at++;
            fraction = true;
            requireDigits("after a number's decimal point");
        }
        if (at < end && (in[at] == 'e' || in[at] == 'E')) {
            at++;
            fraction = true;
            if (at < end && (in[at] == '+' || in[at] == '-')) {
                at++;
            }
            requireDigits("in a number's exponent");
        }
        int length = at - start;
        if ((fraction ? length : integerDigits) > Json.MAX_NUMBER_LENGTH) {
            throw limit("Number value length (" + (fraction ? length : integerDigits)
                    + ") exceeds the maximum allowed (" + Json.MAX_NUMBER_LENGTH + ")");
        }
        if (fraction) {
            return NODES.numberNode(new BigDecimal(new String(in, start, length, StandardCharsets.ISO_8859_1)));
        }
        if (integerDigits <= LONG_SAFE_DIGITS) {
            long value = 0;
            for (int i = digitsStart; i < at; i++) {
                value = value * 10 + (in[i] - '0');
            }
            value = in[start] == '-' ? -value : value;
            return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
        }
        BigInteger value = new BigInteger(new String(in, start, length, StandardCharsets.ISO_8859_1));
        return value.bitLength() < Long.SIZE ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
    }

    private void requireDigits(String where) {
        int digitsStart = at;
        skipDigits();
        if (at == digitsStart) {
            throw at >= end ? endOfInput("a number") : unexpected("where digits were expected " + where);
        }
    }

    private void skipDigits() {
        while (at < end && isDigit(in[at])) {
            at++;
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private void skipWhitespace() {
        while (at < end) {
            byte b = in[at];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            at++;
        }
    }

    /** The byte at the cursor, which must exist inside a container. */
    private byte more(String inside) {
        if (at >= end) {
            throw endOfInput(inside);
        }
        return in[at];
    }

    private JsonRpcException endOfInput(String inside) {
        return error("the input ends inside " + inside + "; send the whole message", end);
    }

    private JsonRpcException unexpected(String where) {
        int b = in[at];
        String what;
        if (b < 0) {
            what = "non-ASCII character";
        } else if (b < 0x20 || b == 0x7F) {
            what = "control character (code " + b + ")";
        } else {
            what = "'" + (char) b + "'" + switch (b) {
                case '/', '#' -> " (JSON has no comments)";
                case '\'' -> " (JSON strings take double quotes)";
                case 'N', 'I' -> " (JSON has no NaN or Infinity)";
                default -> "";
            };
        }
        return error("unexpected " + what + " " + where, at);
    }

    private static JsonRpcException limit(String detail) {
        return new JsonRpcException(ErrorCodes.PARSE_ERROR, "Parse error: the input exceeds the gateway's limits: "
                + detail);
    }

    /** A parse error at an index into the array, told as a line and a column of the message's characters, from 1. */
    private JsonRpcException error(String detail, int index) {
        int line = 1;
        int column = 1;
        for (int i = origin; i < index && i < end; i++) {
            if (in[i] == '\n') {
                line++;
                column = 1;
            } else if ((in[i] & 0xC0) != 0x80) {
                column++;
            }
        }
        return new JsonRpcException(ErrorCodes.PARSE_ERROR,
                "Parse error: " + detail + " (line " + line + ", column " + column + ")");
    }
}
