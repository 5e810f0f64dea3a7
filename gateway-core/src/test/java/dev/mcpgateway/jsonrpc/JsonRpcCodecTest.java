package dev.mcpgateway.jsonrpc;

import static dev.mcpgateway.jsonrpc.CodecChecks.CODEC;
import static dev.mcpgateway.jsonrpc.CodecChecks.decode;
import static dev.mcpgateway.jsonrpc.CodecChecks.invalid;
import static dev.mcpgateway.jsonrpc.CodecChecks.roundTrip;
import static dev.mcpgateway.jsonrpc.CodecChecks.tree;
import static dev.mcpgateway.jsonrpc.CodecChecks.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding single messages: each kind of message, its id, and the envelopes that are invalid requests. */
class JsonRpcCodecTest {
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
            String json = "{\"jsonrpc\":\"2.0\",\"id\":null,"
                    + "\"error\":{\"code\":-32700,\"message\":\"Parse error: x\"}}";
            JsonRpcResponse response = assertInstanceOf(JsonRpcResponse.class, decode(json));
            assertNull(response.id());
            assertEquals(json,
                    CODEC.encodeToString(JsonRpcResponse.failure(null, ErrorCodes.PARSE_ERROR, "Parse error: x")));
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
            assertTrue(out.startsWith(
                    "{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":-32600,\"message\":\"Invalid Request: "), out);
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
            assertTrue(invalid("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"m\"}").getMessage()
                    .contains("fractional"));
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
        @ValueSource(strings = {"null", "\"boom\"", "[]", "1", "{}", "{\"message\":\"x\"}",
                "{\"code\":\"1\",\"message\":\"x\"}", "{\"code\":1.5,\"message\":\"x\"}",
                "{\"code\":1.0,\"message\":\"x\"}", "{\"code\":2147483648,\"message\":\"x\"}",
                "{\"code\":-2147483649,\"message\":\"x\"}", "{\"code\":null,\"message\":\"x\"}", "{\"code\":1}",
                "{\"code\":99999999999999999999,\"message\":\"x\"}", "{\"code\":1,\"message\":null}",
                "{\"code\":1,\"message\":2}", "{\"code\":1,\"message\":{}}"})
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
}
