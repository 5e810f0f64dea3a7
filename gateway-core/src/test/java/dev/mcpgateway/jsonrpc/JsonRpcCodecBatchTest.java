package dev.mcpgateway.jsonrpc;

import static dev.mcpgateway.jsonrpc.CodecChecks.CODEC;
import static dev.mcpgateway.jsonrpc.CodecChecks.assertParseError;
import static dev.mcpgateway.jsonrpc.CodecChecks.buffered;
import static dev.mcpgateway.jsonrpc.CodecChecks.rejected;
import static dev.mcpgateway.jsonrpc.CodecChecks.tree;
import static dev.mcpgateway.jsonrpc.CodecChecks.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Batches (protocol version 2025-03-26): decoding them entry by entry, refusing them as one message, encoding. */
class JsonRpcCodecBatchTest {
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
                        + "{\"jsonrpc\":\"2.0\",\"id\":\"b\","
                        + "\"error\":{\"code\":-32601,\"message\":\"Method not found: x\"}},"
                        + "{\"jsonrpc\":\"2.0\",\"id\":null,"
                        + "\"error\":{\"code\":-32600,\"message\":\"Invalid Request: y\"}}]",
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
