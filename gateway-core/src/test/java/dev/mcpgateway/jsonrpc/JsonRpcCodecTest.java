package dev.mcpgateway.jsonrpc;

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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonRpcCodecTest {
    private static final JsonRpcCodec CODEC = JsonRpcCodec.INSTANCE;

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode tree(String json) {
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
    private static byte[] buffered(byte[] bytes) {
        byte[] tail = {',', '1', '}', ' ', (byte) 0xFF};
        byte[] buffer = Arrays.copyOf(bytes, bytes.length + tail.length);
        System.arraycopy(tail, 0, buffer, bytes.length, tail.length);
        return buffer;
    }

    /** Decodes through every entry point (bytes, text, a buffer's start), checks they agree, returns the message. */
    private static JsonRpcMessage decode(String json) {
        JsonRpcMessage fromBytes = CODEC.decode(utf8(json));
        assertEquals(fromBytes, CODEC.decode(json), "byte and text decoding disagree");
        assertEquals(fromBytes, CODEC.decode(buffered(utf8(json)), utf8(json).length), "a buffer's start decodes "
                + "otherwise");
        return fromBytes;
    }

    /** Asserts that every entry point rejects the input with {@code code} and returns the byte-path exception. */
    private static JsonRpcException rejected(int code, String json) {
        JsonRpcException fromBytes = assertThrows(JsonRpcException.class, () -> CODEC.decode(utf8(json)));
        JsonRpcException fromText = assertThrows(JsonRpcException.class, () -> CODEC.decode(json));
        assertEquals(code, fromBytes.code(), fromBytes.getMessage());
        assertEquals(code, fromText.code(), fromText.getMessage());
        assertEquals(fromBytes.id(), fromText.id());
        assertSameRejection(fromBytes, utf8(json));
        return fromBytes;
    }

    /** Asserts that the bytes at the start of a buffer are rejected exactly as {@code fromBytes} rejected them. */
    private static void assertSameRejection(JsonRpcException fromBytes, byte[] bytes) {
        JsonRpcException fromBuffer = assertThrows(JsonRpcException.class,
                () -> CODEC.decode(buffered(bytes), bytes.length));
        assertEquals(fromBytes.code(), fromBuffer.code());
        assertEquals(fromBytes.getMessage(), fromBuffer.getMessage());
        assertEquals(fromBytes.id(), fromBuffer.id());
    }

    private static JsonRpcException invalid(String json) {
        JsonRpcException e = rejected(ErrorCodes.INVALID_REQUEST, json);
        assertTrue(e.getMessage().startsWith("Invalid Request: "), e.getMessage());
        return e;
    }

    private static JsonRpcException parseError(byte[] bytes) {
        JsonRpcException e = assertThrows(JsonRpcException.class, () -> CODEC.decode(bytes));
        assertParseError(e);
        assertSameRejection(e, bytes);
        return e;
    }

    private static void assertParseError(JsonRpcException e) {
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
    private static JsonRpcMessage roundTrip(JsonRpcMessage message) throws IOException {
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

    @Nested
    class MessageKinds {
        @Test
        void requestWithObjectParams() throws IOException {
            String json = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"hi\",\"n\":[1,2.50,null,true]}}}";
            JsonRpcRequest request = assertInstanceOf(JsonRpcRequest.class, decode(json));
            assertEquals(RequestId.of(7), request.id());
            assertEquals("tools/call", request.method());
            assertEquals("echo", request.params().get("name").textValue());
            assertEquals(json, CODEC.encodeToString(request));
            roundTrip(request);
        }

        @Test
        void requestWithArrayParamsAndStringId() throws IOException {
            String json = "{\"jsonrpc\":\"2.0\",\"id\":\"req-1\",\"method\":\"sum\",\"params\":[1,2,3]}";
            JsonRpcRequest request = assertInstanceOf(JsonRpcRequest.class, decode(json));
            assertEquals(RequestId.of("req-1"), request.id());
            assertTrue(request.params().isArray());
            assertEquals(json, CODEC.encodeToString(request));
            roundTrip(request);
        }

        @Test
        void requestWithoutParams() throws IOException {
            String json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
            JsonRpcRequest request = assertInstanceOf(JsonRpcRequest.class, decode(json));
            assertNull(request.params());
            assertEquals(json, CODEC.encodeToString(request));
            roundTrip(request);
        }

        @Test
        void nullParamsAreTreatedAsAbsent() {
            JsonRpcRequest request = assertInstanceOf(JsonRpcRequest.class,
                    decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":null}"));
            assertNull(request.params());
            assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", CODEC.encodeToString(request));
        }

        @Test
        void notification() throws IOException {
            String json = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                    + "\"params\":{\"progressToken\":\"t\",\"progress\":0.5}}";
            JsonRpcNotification notification = assertInstanceOf(JsonRpcNotification.class, decode(json));
            assertEquals("notifications/progress", notification.method());
            assertEquals(new BigDecimal("0.5"), notification.params().get("progress").decimalValue());
            assertEquals(json, CODEC.encodeToString(notification));
            roundTrip(notification);
        }

        @Test
        void successResponse() throws IOException {
            String json = "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":{\"content\":[],\"isError\":false}}";
            JsonRpcResponse response = assertInstanceOf(JsonRpcResponse.class, decode(json));
            assertFalse(response.isError());
            assertEquals(RequestId.of("a"), response.id());
            assertEquals(json, CODEC.encodeToString(response));
            roundTrip(response);
        }

        @Test
        void successResponseWithNullResult() throws IOException {
            JsonRpcResponse response = assertInstanceOf(JsonRpcResponse.class,
                    decode("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":null}"));
            assertTrue(response.result().isNull());
            assertEquals("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":null}", CODEC.encodeToString(response));
            roundTrip(response);
        }

        @Test
        void errorResponseWithData() throws IOException {
            String json = "{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":-32602,\"message\":\"Unknown tool: x\","
                    + "\"data\":{\"tool\":\"x\"}}}";
            JsonRpcResponse response = assertInstanceOf(JsonRpcResponse.class, decode(json));
            assertEquals(new JsonRpcError(-32602, "Unknown tool: x", tree("{\"tool\":\"x\"}")), response.error());
            assertEquals(json, CODEC.encodeToString(response));
            roundTrip(response);
        }

        @Test
        void errorResponseWithNullIdWritesIdNull() throws IOException {
            String json = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error: x\"}}";
            JsonRpcResponse response = assertInstanceOf(JsonRpcResponse.class, decode(json));
            assertNull(response.id());
            assertEquals(json, CODEC.encodeToString(JsonRpcResponse.failure(null, ErrorCodes.PARSE_ERROR, "Parse error: x")));
            roundTrip(response);
        }

        @Test
        void errorDataNullIsTreatedAsAbsent() {
            JsonRpcResponse response = assertInstanceOf(JsonRpcResponse.class,
                    decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1,\"message\":\"m\",\"data\":null}}"));
            assertNull(response.error().data());
        }

        @Test
        void exceptionToResponseEncodes() {
            JsonRpcException e = invalid("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":5}");
            String out = CODEC.encodeToString(e.toResponse());
            assertTrue(out.startsWith("{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":-32600,\"message\":\"Invalid Request: "),
                    out);
        }

        @Test
        void unknownTopLevelMembersAreIgnored() {
            JsonRpcRequest request = assertInstanceOf(JsonRpcRequest.class, decode(
                    "{\"extra\":{\"deep\":[1]},\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":2,\"_meta\":3}"));
            assertEquals(new JsonRpcRequest(RequestId.of(2), "m", null), request);
        }

        @Test
        void paramsOnAResponseAreIgnored() {
            assertEquals(JsonRpcResponse.success(RequestId.of(1), tree("1")),
                    decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1,\"params\":\"whatever\"}"));
        }

        @Test
        void utf8ByteOrderMarkIsIgnored() {
            byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            byte[] body = utf8("{\"jsonrpc\":\"2.0\",\"method\":\"m\"}");
            byte[] input = new byte[bom.length + body.length];
            System.arraycopy(bom, 0, input, 0, bom.length);
            System.arraycopy(body, 0, input, bom.length, body.length);
            assertEquals(new JsonRpcNotification("m", null), CODEC.decode(input));
        }

        @Test
        void surroundingWhitespaceIsAllowed() {
            assertEquals(new JsonRpcNotification("m", null), decode(" \r\n\t{\"jsonrpc\":\"2.0\",\"method\":\"m\"}\n"));
        }
    }

    @Nested
    class Ids {
        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "42", "9223372036854775807", "-9223372036854775808"})
        void integerIds(String literal) throws IOException {
            JsonRpcRequest request = assertInstanceOf(JsonRpcRequest.class,
                    decode("{\"jsonrpc\":\"2.0\",\"id\":" + literal + ",\"method\":\"m\"}"));
            assertEquals(RequestId.of(Long.parseLong(literal)), request.id());
            assertTrue(CODEC.encodeToString(request).contains("\"id\":" + literal + ","));
            roundTrip(request);
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"\"", "\"abc\"", "\"42\"", "\"\\u00e9\\n\""})
        void stringIds(String literal) throws IOException {
            JsonRpcRequest request = assertInstanceOf(JsonRpcRequest.class,
                    decode("{\"jsonrpc\":\"2.0\",\"id\":" + literal + ",\"method\":\"m\"}"));
            assertEquals(RequestId.of(tree(literal).textValue()), request.id());
            roundTrip(request);
        }

        @Test
        void stringAndIntegerIdsDiffer() {
            assertFalse(decode("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"m\"}")
                    .equals(decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}")));
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "true", "false", "{}", "{\"a\":1}", "[]", "[1]", "1.5", "1.0", "1e3", "-0.0",
                "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890"})
        void invalidRequestIds(String literal) {
            JsonRpcException e = invalid("{\"jsonrpc\":\"2.0\",\"id\":" + literal + ",\"method\":\"m\"}");
            assertTrue(e.getMessage().contains("\"id\""), e.getMessage());
            assertNull(e.id(), "an invalid id cannot be echoed");
        }

        @Test
        void messagesSayWhatIsWrongWithTheId() {
            assertTrue(invalid("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\"}").getMessage().contains("null"));
            assertTrue(invalid("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"m\"}").getMessage().contains("fractional"));
            assertTrue(invalid("{\"jsonrpc\":\"2.0\",\"id\":99999999999999999999,\"method\":\"m\"}").getMessage()
                    .contains("64-bit"));
            assertTrue(invalid("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"m\"}").getMessage().contains("boolean"));
        }

        @Test
        void invalidIdsInResponses() {
            invalid("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"result\":1}");
            invalid("{\"jsonrpc\":\"2.0\",\"id\":[],\"error\":{\"code\":1,\"message\":\"m\"}}");
            invalid("{\"jsonrpc\":\"2.0\",\"id\":18446744073709551616,\"result\":1}");
        }

        @Test
        void nullIdOnlyForErrorResponses() {
            JsonRpcException e = invalid("{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{}}");
            assertTrue(e.getMessage().contains("successful response"), e.getMessage());
            assertNull(assertInstanceOf(JsonRpcResponse.class,
                    decode("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"x\"}}")).id());
        }

        @Test
        void responseWithoutIdIsInvalid() {
            invalid("{\"jsonrpc\":\"2.0\",\"result\":{}}");
            invalid("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"x\"}}");
        }

        @Test
        void validIdIsCarriedOnTheException() {
            assertEquals(RequestId.of(5), invalid("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"\"}").id());
            assertEquals(RequestId.of("a"), invalid("{\"jsonrpc\":\"1.0\",\"id\":\"a\",\"method\":\"m\"}").id());
            assertEquals(RequestId.of(6), invalid("{\"id\":6,\"method\":\"m\"}").id());
            assertEquals(RequestId.of(7), invalid("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"m\",\"params\":1}").id());
            assertEquals(RequestId.of(8), invalid("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"m\",\"result\":1}").id());
            assertEquals(RequestId.of(9), invalid("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":1,\"error\":{}}").id());
            assertEquals(RequestId.of(10), invalid("{\"jsonrpc\":\"2.0\",\"id\":10,\"error\":\"boom\"}").id());
            assertEquals(RequestId.of(11), invalid("{\"jsonrpc\":\"2.0\",\"id\":11}").id());
            assertNull(invalid("{\"jsonrpc\":\"2.0\",\"method\":7}").id(), "a notification has no id to answer");
        }
    }

    @Nested
    class InvalidMessages {
        @ParameterizedTest
        @ValueSource(strings = {"\"1.0\"", "\"2\"", "\"2.0 \"", "\"\"", "2.0", "2", "null", "true", "[\"2.0\"]", "{}"})
        void wrongJsonRpcVersion(String literal) {
            JsonRpcException e = invalid("{\"jsonrpc\":" + literal + ",\"id\":1,\"method\":\"m\"}");
            assertTrue(e.getMessage().contains("\"jsonrpc\" must be the string \"2.0\""), e.getMessage());
        }

        @Test
        void missingJsonRpcVersion() {
            JsonRpcException e = invalid("{\"id\":1,\"method\":\"m\"}");
            assertTrue(e.getMessage().contains("missing"), e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"x\"", "42", "-1.5", "null", "true", "false"})
        void notAnObject(String json) {
            JsonRpcException e = invalid(json);
            assertTrue(e.getMessage().contains("must be a JSON object"), e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"\"", "null", "1", "true", "{}", "[\"m\"]"})
        void badMethod(String literal) {
            JsonRpcException e = invalid("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":" + literal + "}");
            assertTrue(e.getMessage().contains("\"method\" must be a non-empty string"), e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"x\"", "1", "true", "false", "1.5"})
        void paramsNeitherObjectNorArray(String literal) {
            invalid("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":" + literal + "}");
            invalid("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":" + literal + "}");
        }

        @Test
        void methodWithResultOrError() {
            invalid("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"result\":{}}");
            invalid("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"error\":{\"code\":1,\"message\":\"x\"}}");
            invalid("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"result\":null}");
        }

        @Test
        void responseWithBothOrNeitherOfResultAndError() {
            assertTrue(invalid("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1,\"error\":{\"code\":1,\"message\":\"x\"}}")
                    .getMessage().contains("not both"));
            assertTrue(invalid("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1,\"error\":null}").getMessage()
                    .contains("not both"));
            invalid("{\"jsonrpc\":\"2.0\",\"id\":1}");
            invalid("{\"jsonrpc\":\"2.0\"}");
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "\"boom\"", "[]", "1", "{}", "{\"message\":\"x\"}", "{\"code\":\"1\",\"message\":\"x\"}",
                "{\"code\":1.5,\"message\":\"x\"}", "{\"code\":1.0,\"message\":\"x\"}", "{\"code\":2147483648,\"message\":\"x\"}",
                "{\"code\":-2147483649,\"message\":\"x\"}", "{\"code\":null,\"message\":\"x\"}", "{\"code\":1}", "{\"code\":99999999999999999999,\"message\":\"x\"}",
                "{\"code\":1,\"message\":null}", "{\"code\":1,\"message\":2}", "{\"code\":1,\"message\":{}}"})
        void badErrorMember(String literal) {
            JsonRpcException e = invalid("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":" + literal + "}");
            assertTrue(e.getMessage().contains("\"error"), e.getMessage());
            assertEquals(RequestId.of(1), e.id());
        }

        @Test
        void errorCodeAtTheIntLimitsIsValid() {
            for (int code : new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0}) {
                JsonRpcResponse response = assertInstanceOf(JsonRpcResponse.class, decode(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":" + code + ",\"message\":\"\"}}"));
                assertEquals(code, response.error().code());
            }
        }

        @Test
        void fromTreeAcceptsProgrammaticTrees() {
            ObjectNode node = Json.object().put("jsonrpc", "2.0").put("id", 3).put("method", "m");
            assertEquals(new JsonRpcRequest(RequestId.of(3), "m", null), CODEC.fromTree(node));
            JsonRpcException e = assertThrows(JsonRpcException.class, () -> CODEC.fromTree(Json.nodes().missingNode()));
            assertEquals(ErrorCodes.INVALID_REQUEST, e.code());
        }
    }

    @Nested
    class Batches {
        private static final String GOOD_REQUEST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
        private static final String GOOD_NOTIFICATION = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

        @ParameterizedTest
        @ValueSource(strings = {"[" + GOOD_REQUEST + "]", "[" + GOOD_REQUEST + "," + GOOD_NOTIFICATION + "]", "[]", "[1]"})
        void decodeRejectsBatchArrays(String json) {
            JsonRpcException e = rejected(ErrorCodes.INVALID_REQUEST, json);
            assertTrue(e.getMessage().startsWith("Batch arrays are not supported"), e.getMessage());
            assertNull(e.id());
        }

        @Test
        void decodeBatchArrayMessageSaysToSendOneAtATime() {
            JsonRpcException e = assertThrows(JsonRpcException.class, () -> CODEC.decode(utf8("[" + GOOD_REQUEST + "]")));
            assertEquals(ErrorCodes.INVALID_REQUEST, e.code());
            assertTrue(e.getMessage().startsWith("Batch arrays are not supported"), e.getMessage());
            assertTrue(e.getMessage().contains("one JSON-RPC message at a time"), e.getMessage());
            assertEquals(e.getMessage(), assertThrows(JsonRpcException.class,
                    () -> CODEC.fromTree(tree("[" + GOOD_REQUEST + "]"))).getMessage());
        }

        @Test
        void mixedGoodAndBadEntries() {
            String json = "[" + GOOD_REQUEST + ","
                    + "{\"jsonrpc\":\"1.0\",\"id\":2,\"method\":\"m\"},"
                    + "5,"
                    + GOOD_NOTIFICATION + ","
                    + "[" + GOOD_REQUEST + "],"
                    + "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"ok\":true}},"
                    + "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\"}]";
            JsonRpcCodec.Batch batch = CODEC.decodeBatch(utf8(json));
            assertTrue(batch.array());
            List<JsonRpcCodec.Entry> entries = batch.entries();
            assertEquals(7, entries.size());
            assertEquals(new JsonRpcRequest(RequestId.of(1), "tools/list", null), entries.get(0).message());
            assertNull(entries.get(0).error());

            assertNull(entries.get(1).message());
            assertEquals(ErrorCodes.INVALID_REQUEST, entries.get(1).error().code());
            assertEquals(RequestId.of(2), entries.get(1).error().id());

            assertEquals(ErrorCodes.INVALID_REQUEST, entries.get(2).error().code());
            assertTrue(entries.get(2).error().getMessage().contains("must be a JSON object"));
            assertNull(entries.get(2).error().id());

            assertEquals(new JsonRpcNotification("notifications/initialized", null), entries.get(3).message());

            assertEquals(ErrorCodes.INVALID_REQUEST, entries.get(4).error().code());
            assertTrue(entries.get(4).error().getMessage().contains("not an array"), entries.get(4).error().getMessage());

            assertEquals(JsonRpcResponse.success(RequestId.of(3), tree("{\"ok\":true}")), entries.get(5).message());

            assertEquals(ErrorCodes.INVALID_REQUEST, entries.get(6).error().code());
        }

        @Test
        void singleMessageIsABatchOfOneThatIsNotAnArray() {
            JsonRpcCodec.Batch batch = CODEC.decodeBatch(utf8(GOOD_REQUEST));
            assertFalse(batch.array());
            assertEquals(List.of(new JsonRpcCodec.Entry(CODEC.decode(GOOD_REQUEST), null)), batch.entries());

            JsonRpcCodec.Batch oneArray = CODEC.decodeBatch(utf8("[" + GOOD_REQUEST + "]"));
            assertTrue(oneArray.array());
            assertEquals(batch.entries(), oneArray.entries());
        }

        @Test
        void invalidSingleMessageIsAnErrorEntry() {
            JsonRpcCodec.Batch batch = CODEC.decodeBatch(utf8("{\"jsonrpc\":\"2.0\",\"id\":4}"));
            assertFalse(batch.array());
            assertEquals(1, batch.entries().size());
            assertEquals(ErrorCodes.INVALID_REQUEST, batch.entries().get(0).error().code());
            assertEquals(RequestId.of(4), batch.entries().get(0).error().id());
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", " [ \n ] "})
        void emptyArrayIsInvalid(String json) {
            JsonRpcException e = assertThrows(JsonRpcException.class, () -> CODEC.decodeBatch(utf8(json)));
            assertEquals(ErrorCodes.INVALID_REQUEST, e.code());
            assertTrue(e.getMessage().contains("empty batch"), e.getMessage());
        }

        @Test
        void parseErrorsOfTheWholeInputThrow() {
            for (String json : new String[] {"[" + GOOD_REQUEST + ",", "[" + GOOD_REQUEST + "] x", "", "[{]"}) {
                assertParseError(assertThrows(JsonRpcException.class, () -> CODEC.decodeBatch(utf8(json))));
            }
            assertParseError(assertThrows(JsonRpcException.class,
                    () -> CODEC.decodeBatch(new byte[] {'[', '"', (byte) 0xC3, 0x28, '"', ']'})));
        }

        @Test
        void aBatchAtTheStartOfABufferDecodesAsOnItsOwnAndTheRestIsNeverRead() {
            String mixed = "[" + GOOD_REQUEST + ",5," + GOOD_NOTIFICATION + "]";
            for (String json : new String[] {mixed, GOOD_REQUEST, "{\"jsonrpc\":\"2.0\",\"id\":4}"}) {
                byte[] bytes = utf8(json);
                JsonRpcCodec.Batch alone = CODEC.decodeBatch(bytes);
                JsonRpcCodec.Batch fromBuffer = CODEC.decodeBatch(buffered(bytes), bytes.length);
                assertEquals(alone.array(), fromBuffer.array(), json);
                assertEquals(described(alone), described(fromBuffer), json);
            }
            byte[] cut = utf8("[" + GOOD_REQUEST);
            JsonRpcException whole = assertThrows(JsonRpcException.class, () -> CODEC.decodeBatch(cut));
            JsonRpcException fromBuffer = assertThrows(JsonRpcException.class,
                    () -> CODEC.decodeBatch(buffered(cut), cut.length));
            assertEquals(whole.getMessage(), fromBuffer.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> CODEC.decodeBatch(cut, cut.length + 1));
            assertThrows(IndexOutOfBoundsException.class, () -> CODEC.decodeBatch(cut, -1));
        }

        /** Each entry's message, or its error's code, message and id (an exception has no equality of its own). */
        private static List<Object> described(JsonRpcCodec.Batch batch) {
            return batch.entries().stream().<Object>map(entry -> entry.message() != null ? entry.message()
                    : List.of(entry.error().code(), entry.error().getMessage(), String.valueOf(entry.error().id())))
                    .toList();
        }

        @Test
        void encodeBatchRoundTrips() {
            List<JsonRpcMessage> messages = List.of(
                    JsonRpcResponse.success(RequestId.of(1), tree("{\"tools\":[]}")),
                    JsonRpcResponse.failure(RequestId.of("b"), ErrorCodes.METHOD_NOT_FOUND, "Method not found: x"),
                    JsonRpcResponse.failure(null, ErrorCodes.INVALID_REQUEST, "Invalid Request: y"));
            byte[] bytes = CODEC.encodeBatch(messages);
            assertEquals("[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[]}},"
                            + "{\"jsonrpc\":\"2.0\",\"id\":\"b\",\"error\":{\"code\":-32601,\"message\":\"Method not found: x\"}},"
                            + "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Invalid Request: y\"}}]",
                    new String(bytes, StandardCharsets.UTF_8));
            JsonRpcCodec.Batch batch = CODEC.decodeBatch(bytes);
            assertTrue(batch.array());
            assertEquals(messages, batch.entries().stream().map(JsonRpcCodec.Entry::message).toList());
        }

        @Test
        void encodeBatchRejectsAnEmptyList() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CODEC.encodeBatch(List.of()));
            assertTrue(e.getMessage().contains("send no response"), e.getMessage());
        }

        @Test
        void recordsCheckTheirInvariants() {
            JsonRpcException error = new JsonRpcException(ErrorCodes.INVALID_REQUEST, "x");
            JsonRpcMessage message = new JsonRpcNotification("m", null);
            assertThrows(IllegalArgumentException.class, () -> new JsonRpcCodec.Entry(null, null));
            assertThrows(IllegalArgumentException.class, () -> new JsonRpcCodec.Entry(message, error));
            assertThrows(IllegalArgumentException.class, () -> new JsonRpcCodec.Batch(List.of(), true));
        }
    }

    @Nested
    class ParseErrors {
        @Test
        void invalidUtf8() {
            parseError(HexFormat.of().parseHex("C328"));
            parseError(HexFormat.of().parseHex("FF"));
            String prefix = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"s\":\"";
            for (String bad : new String[] {"C328", "FF", "80", "C080", "E08080", "EDA080", "F4908080", "F5808080", "E282"}) {
                byte[] head = utf8(prefix);
                byte[] middle = HexFormat.of().parseHex(bad);
                byte[] tail = utf8("\"}}");
                byte[] input = new byte[head.length + middle.length + tail.length];
                System.arraycopy(head, 0, input, 0, head.length);
                System.arraycopy(middle, 0, input, head.length, middle.length);
                System.arraycopy(tail, 0, input, head.length + middle.length, tail.length);
                JsonRpcException e = parseError(input);
                assertTrue(e.getMessage().contains("invalid UTF-8 at byte offset " + head.length), bad + ": " + e.getMessage());
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
            assertParseError(rejected(ErrorCodes.PARSE_ERROR, "{\"jsonrpc\":\"2.0\",\"id\":" + digits + ",\"method\":\"m\"}"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"1e9999999999", "-1E-9999999999", "1e99999999999999999999"})
        void exponentBeyondBigDecimal(String literal) {
            JsonRpcException e = rejected(ErrorCodes.PARSE_ERROR,
                    "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[" + literal + "]}");
            assertParseError(e);
        }
    }

    @Nested
    class ExactNumbersAndText {
        @Test
        void hugeNumbersArePreservedExactly() throws IOException {
            String big = "1234567890".repeat(30);
            String json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"big\":" + big
                    + ",\"neg\":-" + big + ",\"huge\":1e400,\"tiny\":-2.5E-400,\"exact\":0.1000000000000000055511151231257827}}";
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
            String json = "{\"jsonrpc\":\"2.0\",\"id\":\"c-17\",\"method\":\"tools/call\",\"params\":{\"name\":\"github/create_issue\","
                    + "\"arguments\":{\"title\":\"Crash on start\",\"body\":\"Steps:\\n1. run\\n2. \\\"boom\\\"\\t\\\\ done\","
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
                    decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":[\"x\\ud83d\",\"\\ud800\\ud800y\"]}"));
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
}
