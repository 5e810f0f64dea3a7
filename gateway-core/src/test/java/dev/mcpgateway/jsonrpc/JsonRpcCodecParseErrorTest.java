package dev.mcpgateway.jsonrpc;

import static dev.mcpgateway.jsonrpc.CodecChecks.CODEC;
import static dev.mcpgateway.jsonrpc.CodecChecks.assertParseError;
import static dev.mcpgateway.jsonrpc.CodecChecks.decode;
import static dev.mcpgateway.jsonrpc.CodecChecks.parseError;
import static dev.mcpgateway.jsonrpc.CodecChecks.rejected;
import static dev.mcpgateway.jsonrpc.CodecChecks.roundTrip;
import static dev.mcpgateway.jsonrpc.CodecChecks.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Input that is not one JSON value in UTF-8, or is beyond the limits: parse errors, and what they say. */
class JsonRpcCodecParseErrorTest {
    @Test
    void invalidUtf8() {
        parseError(HexFormat.of().parseHex("C328"));
        parseError(HexFormat.of().parseHex("FF"));
        String prefix = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"s\":\"";
        for (String bad : new String[] {
                "C328", "FF", "80", "C080", "E08080", "EDA080", "F4908080", "F5808080", "E282"}) {
            byte[] head = utf8(prefix);
            byte[] middle = HexFormat.of().parseHex(bad);
            byte[] tail = utf8("\"}}");
            byte[] input = new byte[head.length + middle.length + tail.length];
            System.arraycopy(head, 0, input, 0, head.length);
            System.arraycopy(middle, 0, input, head.length, middle.length);
            System.arraycopy(tail, 0, input, head.length + middle.length, tail.length);
            JsonRpcException e = parseError(input);
            assertTrue(e.getMessage().contains("invalid UTF-8 at byte offset " + head.length),
                    bad + ": " + e.getMessage());
        }
    }

    @Test
    void otherEncodingsAreRejected() {
        // "{}" in UTF-16LE with a byte-order mark, UTF-16BE without one, and UTF-32BE: Jackson would accept them.
        parseError(HexFormat.of().parseHex("FFFE7B007D00"));
        parseError(HexFormat.of().parseHex("007B007D"));
        assertTrue(parseError(HexFormat.of().parseHex("0000007B0000007D")).getMessage().contains("UTF-8"));
    }

    @Test
    void aLengthBeyondTheBufferIsRefused() {
        assertThrows(IndexOutOfBoundsException.class, () -> CODEC.decode(new byte[2], 3));
        assertThrows(IndexOutOfBoundsException.class, () -> CODEC.decode(new byte[2], -1));
    }

    @Test
    void emptyInput() {
        assertTrue(parseError(new byte[0]).getMessage().contains("empty"));
        parseError(utf8(" \n\t "));
        assertParseError(assertThrows(JsonRpcException.class, () -> CODEC.decode("")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"jsonrpc\":", "{\"jsonrpc\":\"2.0\",\"method\":\"m\"", "{\"jsonrpc\":\"2.", "[",
            "{\"a\":tru", "{\"a\":-}", "{'a':1}", "{a:1}", "{\"a\":1,}", "[1,]", "{\"a\":NaN}", "{\"a\":Infinity}",
            "{\"a\":01}", "{\"a\":1.}", "/* c */ {}", "{\"a\":\"\u0001\"}", "{\"a\":\"\\x\"}", "nul", "\"abc"})
    void malformedOrTruncatedJson(String json) {
        assertParseError(rejected(ErrorCodes.PARSE_ERROR, json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"jsonrpc\":\"2.0\",\"method\":\"m\"} x", "{\"jsonrpc\":\"2.0\",\"method\":\"m\"}{}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\"}\n{\"jsonrpc\":\"2.0\",\"method\":\"m\"}", "{} ]", "1 2"})
    void trailingGarbage(String json) {
        JsonRpcException e = rejected(ErrorCodes.PARSE_ERROR, json);
        assertParseError(e);
    }

    @Test
    void trailingValueMessageIsReadable() {
        JsonRpcException e = rejected(ErrorCodes.PARSE_ERROR, "{\"jsonrpc\":\"2.0\",\"method\":\"m\"}{}");
        assertTrue(e.getMessage().contains("exactly one JSON value"), e.getMessage());
    }

    @Test
    void parseErrorsSayWhatIsWrongWithoutJacksonsAdvice() {
        // Jackson's own messages suggested enabling its parser features; that means nothing to a remote sender.
        String[][] cases = {
                {"{\"a\":NaN}",
                    "Parse error: unexpected 'N' (JSON has no NaN or Infinity) where a value was expected (line 1"},
                {"{", "Parse error: the input ends inside an object; send the whole message (line 1, column 2)"},
                {"\u001e{}", "Parse error: unexpected control character (code 30) where a value was expected"},
                {"/* c */ {}", "Parse error: unexpected '/' (JSON has no comments) where a value was expected (line"}};
        for (String[] c : cases) {
            String message = rejected(ErrorCodes.PARSE_ERROR, c[0]).getMessage();
            assertTrue(message.startsWith(c[1]), message);
            assertFalse(message.contains("enabl"), message);
            assertFalse(message.contains("Source"), message);
        }
    }

    @Test
    void textWithAnUnpairedSurrogateIsAParseErrorAndPairedOnesDecode() {
        JsonRpcException e = assertThrows(JsonRpcException.class,
                () -> CODEC.decode("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"t\":\"\ud800\"}}"));
        assertEquals(ErrorCodes.PARSE_ERROR, e.code());
        assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());

        JsonRpcNotification decoded = (JsonRpcNotification) CODEC.decode(
                "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"t\":\"caf\u00e9 \ud83d\ude00\"}}");
        assertEquals("caf\u00e9 \ud83d\ude00", decoded.params().get("t").textValue());
    }

    @Test
    void syntaxErrorMessageHasALocation() {
        JsonRpcException e = rejected(ErrorCodes.PARSE_ERROR, "{\"a\":1,\n\"b\":}");
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void hundredThousandOpenBracketsFailFast() {
        JsonRpcException e = rejected(ErrorCodes.PARSE_ERROR, "[".repeat(100_000));
        assertParseError(e);
        assertEquals("Parse error: the input exceeds the gateway's limits: "
                + "Document nesting depth (513) exceeds the maximum allowed (512)", e.getMessage());
        assertParseError(assertThrows(JsonRpcException.class, () -> CODEC.decodeBatch(utf8("[".repeat(100_000)))));
    }

    @Test
    void sixHundredNestedObjectsInParams() {
        String json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":"
                + "{\"a\":".repeat(600) + "1" + "}".repeat(600) + "}";
        assertParseError(rejected(ErrorCodes.PARSE_ERROR, json));
    }

    @Test
    void nestingUpToTheLimitIsAcceptedAndRoundTrips() throws IOException {
        // The envelope object is level 1, so params may nest MAX_NESTING_DEPTH - 1 arrays.
        int depth = Json.MAX_NESTING_DEPTH - 1;
        String json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":"
                + "[".repeat(depth) + "]".repeat(depth) + "}";
        JsonRpcMessage message = decode(json);
        assertEquals(json, CODEC.encodeToString(message));
        roundTrip(message);

        String oneDeeper = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":"
                + "[".repeat(depth + 1) + "]".repeat(depth + 1) + "}";
        assertParseError(rejected(ErrorCodes.PARSE_ERROR, oneDeeper));
    }

    @Test
    void numberLiteralOverTheLimit() {
        String digits = "7".repeat(2_000);
        assertParseError(rejected(ErrorCodes.PARSE_ERROR,
                "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[" + digits + "]}"));
        assertParseError(rejected(ErrorCodes.PARSE_ERROR,
                "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[0." + digits + "]}"));
        assertParseError(rejected(ErrorCodes.PARSE_ERROR,
                "{\"jsonrpc\":\"2.0\",\"id\":" + digits + ",\"method\":\"m\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e9999999999", "-1E-9999999999", "1e99999999999999999999"})
    void exponentBeyondBigDecimal(String literal) {
        JsonRpcException e = rejected(ErrorCodes.PARSE_ERROR,
                "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[" + literal + "]}");
        assertParseError(e);
    }
}
