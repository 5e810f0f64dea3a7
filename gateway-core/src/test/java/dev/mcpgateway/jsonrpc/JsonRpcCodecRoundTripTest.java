package dev.mcpgateway.jsonrpc;

import static dev.mcpgateway.jsonrpc.CodecChecks.CODEC;
import static dev.mcpgateway.jsonrpc.CodecChecks.decode;
import static dev.mcpgateway.jsonrpc.CodecChecks.invalid;
import static dev.mcpgateway.jsonrpc.CodecChecks.roundTrip;
import static dev.mcpgateway.jsonrpc.CodecChecks.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encoding, and what survives a round trip exactly: huge numbers, escapes, non-BMP text, member order. */
class JsonRpcCodecRoundTripTest {
    @Test
    void hugeNumbersArePreservedExactly() throws IOException {
        String big = "1234567890".repeat(30);
        String json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"big\":" + big
                + ",\"neg\":-" + big + ",\"huge\":1e400,\"tiny\":-2.5E-400,"
                + "\"exact\":0.1000000000000000055511151231257827}}";
        JsonRpcRequest request = assertInstanceOf(JsonRpcRequest.class, decode(json));
        JsonNode params = request.params();
        assertEquals(new BigInteger(big), params.get("big").bigIntegerValue());
        assertEquals(new BigInteger("-" + big), params.get("neg").bigIntegerValue());
        assertEquals(new BigDecimal("1e400"), params.get("huge").decimalValue());
        assertEquals(new BigDecimal("-2.5E-400"), params.get("tiny").decimalValue());
        assertEquals(new BigDecimal("0.1000000000000000055511151231257827"), params.get("exact").decimalValue());

        String out = CODEC.encodeToString(request);
        assertTrue(out.contains("\"big\":" + big + ","), out);
        assertTrue(out.contains("\"neg\":-" + big + ","), out);
        assertTrue(out.contains("\"exact\":0.1000000000000000055511151231257827}"), out);
        // BigDecimal writes 1e400 in its own scientific notation: the same value, not the same bytes.
        assertTrue(out.contains("\"huge\":1E+400,"), out);
        assertTrue(out.contains("\"tiny\":-2.5E-400,"), out);
        roundTrip(request);
    }

    @Test
    void hugeIntegerIdIsInvalidNotAParseError() {
        JsonRpcException e = invalid("{\"jsonrpc\":\"2.0\",\"id\":" + "9".repeat(300) + ",\"method\":\"m\"}");
        assertNull(e.id());
    }

    @Test
    void typicalParamsRoundTripByteForByte() {
        String json = "{\"jsonrpc\":\"2.0\",\"id\":\"c-17\",\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"github/create_issue\",\"arguments\":{\"title\":\"Crash on start\","
                + "\"body\":\"Steps:\\n1. run\\n2. \\\"boom\\\"\\t\\\\ done\","
                + "\"labels\":[\"bug\",\"p1\"],\"count\":3,\"ratio\":0.25,\"price\":19.90,\"neg\":-7,\"ok\":true,"
                + "\"none\":null,\"empty\":{},\"list\":[],\"unicode\":\"caf\u00e9 \u4e2d\u6587 \u00fc\","
                + "\"unknownField\":{\"nested\":[{\"x\":0.001},{\"y\":12345678901234567890123}]}},"
                + "\"_meta\":{\"progressToken\":42}}}";
        byte[] input = utf8(json);
        assertArrayEquals(input, CODEC.encode(CODEC.decode(input)), () -> new String(CODEC.encode(CODEC.decode(input)),
                StandardCharsets.UTF_8));
    }

    @Test
    void newlinesInStringsAreEscapedInTheOutput() throws IOException {
        ObjectNode params = Json.object().put("text", "line1\nline2\r\nline3\u2028end").put("tab", "a\tb");
        JsonRpcRequest request = new JsonRpcRequest(RequestId.of("id\nwith newline"), "method\nname", params);
        String out = CODEC.encodeToString(request);
        assertFalse(out.contains("\n"), out);
        assertFalse(out.contains("\r"), out);
        assertTrue(out.contains("line1\\nline2\\r\\nline3"), out);
        assertTrue(out.contains("\"id\":\"id\\nwith newline\""), out);
        assertTrue(out.contains("\"method\":\"method\\nname\""), out);
        assertEquals(request, roundTrip(request));

        JsonRpcResponse error = JsonRpcResponse.failure(RequestId.of(1),
                new JsonRpcError(-32000, "two\nlines", Json.object().put("trace", "a\nb")));
        assertFalse(CODEC.encodeToString(error).contains("\n"));
        roundTrip(error);
    }

    @Test
    void nonBmpAndLoneSurrogatesSurviveARoundTrip() throws IOException {
        JsonRpcRequest emoji = assertInstanceOf(JsonRpcRequest.class,
                decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":[\"\uD83D\uDE00 ok\"]}"));
        assertEquals("\uD83D\uDE00 ok", emoji.params().get(0).textValue());
        roundTrip(emoji);
        // JavaScript servers that cut a string in the middle of a pair send lone surrogates as escapes.
        JsonRpcRequest lone = assertInstanceOf(JsonRpcRequest.class,
                decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\","
                        + "\"params\":[\"x\\ud83d\",\"\\ud800\\ud800y\"]}"));
        assertEquals("x\uD83D", lone.params().get(0).textValue());
        assertEquals("\uD800\uD800y", lone.params().get(1).textValue());
        roundTrip(lone);
    }

    @Test
    void memberOrderIsFixed() {
        JsonRpcRequest request = new JsonRpcRequest(RequestId.of(1), "m", Json.object().put("z", 1).put("a", 2));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"z\":1,\"a\":2}}",
                CODEC.encodeToString(request));
        assertEquals(List.of("jsonrpc", "id", "method", "params"), fieldNames(CODEC.toTree(request)));
        assertEquals(List.of("jsonrpc", "method"), fieldNames(CODEC.toTree(new JsonRpcNotification("m", null))));
        assertEquals(List.of("jsonrpc", "id", "result"),
                fieldNames(CODEC.toTree(JsonRpcResponse.success(RequestId.of("x"), Json.object()))));
        ObjectNode error = CODEC.toTree(JsonRpcResponse.failure(null, new JsonRpcError(1, "m", Json.object())));
        assertEquals(List.of("jsonrpc", "id", "error"), fieldNames(error));
        assertTrue(error.get("id").isNull());
        assertEquals(List.of("code", "message", "data"), fieldNames((ObjectNode) error.get("error")));
    }

    @Test
    void toTreeIsACopy() {
        ObjectNode params = Json.object().put("a", 1);
        JsonRpcRequest request = new JsonRpcRequest(RequestId.of(1), "m", params);
        ObjectNode tree = CODEC.toTree(request);
        ((ObjectNode) tree.get("params")).put("a", 2);
        assertEquals(1, params.get("a").intValue());
        assertEquals(request, CODEC.fromTree(CODEC.toTree(request)));
    }

    @Test
    void writeNeitherClosesNorFlushesNorAddsANewline() throws IOException {
        class RecordingStream extends ByteArrayOutputStream {
            boolean closed;
            boolean flushed;

            @Override
            public void close() {
                closed = true;
            }

            @Override
            public void flush() {
                flushed = true;
            }
        }
        RecordingStream out = new RecordingStream();
        ArrayNode params = Json.nodes().arrayNode().add("x".repeat(20_000));
        JsonRpcNotification message = new JsonRpcNotification("m", params);
        CODEC.write(message, out);
        CODEC.write(message, out);
        assertFalse(out.closed);
        assertFalse(out.flushed);
        byte[] one = CODEC.encode(message);
        assertEquals(2 * one.length, out.size());
        assertEquals('}', one[one.length - 1]);
    }

    @Test
    void encodingAnUnencodableTreeSaysWhy() {
        ArrayNode deep = Json.nodes().arrayNode();
        ArrayNode cursor = deep;
        for (int i = 0; i < 5_000; i++) {
            cursor = cursor.addArray();
        }
        JsonRpcNotification message = new JsonRpcNotification("m", deep);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CODEC.encode(message));
        assertTrue(e.getMessage().startsWith("cannot encode the message as JSON"), e.getMessage());
    }

    private static List<String> fieldNames(ObjectNode node) {
        return node.properties().stream().map(java.util.Map.Entry::getKey).toList();
    }
}
