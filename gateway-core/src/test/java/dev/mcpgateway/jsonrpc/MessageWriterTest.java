package dev.mcpgateway.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageWriterTest {
    private static final JsonNodeFactory NODES = Json.nodes();
    /** Characters at the edges of every escaping and encoding rule. */
    private static final char[] EDGES = {0, 1, '\b', '\t', '\n', 0x0B, '\f', '\r', 0x1F, ' ', '"', '/', '\\', 'a',
        0x7E, 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0x2028, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFEFF, 0xFFFF};
    private static final String[] DECIMALS = {"0", "0.0", "-0.0", "1.50", "1E+3", "1e-7", "0E-10",
        "12345678901234567890.5", "-3.141592653589793238462643383279", "1E+400", "5E-400", "100"};
    private static final double[] DOUBLES = {0.0, -0.0, 1.0, 0.1, 1e22, 1e-300, Double.MAX_VALUE, Double.MIN_VALUE,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 123456.789};

    @Test
    void writesTheBytesJacksonsGeneratorWrites() {
        Random random = new Random(1807);
        for (int run = 0; run < 5_000; run++) {
            JsonRpcMessage message = message(random);
            byte[] expected = JsonRpcCodec.withJackson(message);

            assertArrayEquals(expected, MessageWriter.encode(message),
                    () -> new String(expected, StandardCharsets.UTF_8));
        }
    }

    @Test
    void writesBatchesAsJacksonDoes() {
        Random random = new Random(1808);
        for (int run = 0; run < 500; run++) {
            List<JsonRpcMessage> messages = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                messages.add(message(random));
            }
            assertArrayEquals(JsonRpcCodec.batchWithJackson(messages), MessageWriter.encodeBatch(messages));
        }
    }

    @Test
    void leavesPojoBinaryAndMissingNodesToJackson() {
        for (JsonNode odd : List.of(NODES.pojoNode(new StringBuilder("x")), NODES.binaryNode(new byte[] {1, 2, 3}),
                NODES.missingNode())) {
            ObjectNode params = Json.object().put("a", 1);
            params.putArray("list").add(odd);
            JsonRpcRequest request = new JsonRpcRequest(RequestId.of(1), "m", params);

            assertNull(MessageWriter.encode(request), odd.getNodeType().name());
            assertNull(MessageWriter.encodeBatch(List.of(request)), odd.getNodeType().name());
            assertArrayEquals(JsonRpcCodec.withJackson(request), JsonRpcCodec.INSTANCE.encode(request));
        }
    }

    @Test
    void writesMessagesLargerThanThePooledBuffer() {
        Random random = new Random(1809);
        StringBuilder long1 = new StringBuilder();
        while (long1.length() < 30_000) {
            long1.append(text(random)).append("plain ascii text, long enough to fill a slice ");
        }
        ObjectNode result = Json.object().put("escaped", long1.toString()).put("plain", "x".repeat(20_000));
        result.putArray("many").add(long1.toString()).add(long1.substring(0, 7_999));
        JsonRpcResponse response = JsonRpcResponse.success(RequestId.of(7), result);

        assertArrayEquals(JsonRpcCodec.withJackson(response), MessageWriter.encode(response));
    }

    @Test
    void leavesTreesDeeperThanAParsedMessageToJackson() {
        ArrayNode deepest = NODES.arrayNode();
        ArrayNode cursor = deepest;
        for (int i = 1; i < Json.MAX_NESTING_DEPTH; i++) {
            cursor = cursor.addArray();
        }
        JsonRpcResponse written = JsonRpcResponse.success(RequestId.of(1), deepest);
        cursor.addArray();
        JsonRpcResponse tooDeep = JsonRpcResponse.success(RequestId.of(1), deepest.deepCopy());
        cursor.removeAll();

        assertArrayEquals(JsonRpcCodec.withJackson(written), MessageWriter.encode(written));
        assertNull(MessageWriter.encode(tooDeep));
    }

    @Test
    void theCodecWritesThroughTheWriter() {
        JsonRpcResponse response = JsonRpcResponse.success(RequestId.of("a\"b"),
                Json.object().put("text", "caf\u00e9 \ud83d\ude00\n"));

        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"a\\\"b\",\"result\":{\"text\":\"caf\u00e9 \\uD83D\\uDE00\\n\"}}",
                JsonRpcCodec.INSTANCE.encodeToString(response));
    }

    private static JsonRpcMessage message(Random random) {
        RequestId id = random.nextBoolean() ? RequestId.of(text(random))
                : RequestId.of(random.nextInt(4) == 0 ? edgeLong(random) : random.nextInt(1000));
        JsonNode params = switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> NODES.nullNode();
            case 2 -> array(random, 1);
            default -> object(random, 1);
        };
        return switch (random.nextInt(5)) {
            case 0 -> new JsonRpcRequest(id, text(random), params);
            case 1 -> new JsonRpcNotification(text(random), params);
            case 2 -> JsonRpcResponse.success(id, value(random, 0));
            case 3 -> JsonRpcResponse.failure(random.nextBoolean() ? id : null,
                    new JsonRpcError(random.nextInt(), text(random), random.nextBoolean() ? null : value(random, 1)));
            default -> JsonRpcResponse.failure(id, ErrorCodes.INVALID_PARAMS, text(random));
        };
    }

    private static JsonNode value(Random random, int depth) {
        return switch (random.nextInt(depth > 3 ? 11 : 13)) {
            case 0 -> NODES.textNode(text(random));
            case 1 -> NODES.numberNode(random.nextInt());
            case 2 -> NODES.numberNode(edgeLong(random));
            case 3 -> NODES.numberNode((short) random.nextInt());
            case 4 -> NODES.numberNode(new BigInteger(100, random).negate());
            case 5 -> NODES.numberNode(new BigDecimal(DECIMALS[random.nextInt(DECIMALS.length)]));
            case 6 -> NODES.numberNode(random.nextBoolean() ? DOUBLES[random.nextInt(DOUBLES.length)]
                    : random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 7 -> NODES.numberNode(random.nextBoolean() ? (float) DOUBLES[random.nextInt(DOUBLES.length)]
                    : random.nextFloat());
            case 8 -> NODES.booleanNode(random.nextBoolean());
            case 9 -> NODES.nullNode();
            case 10 -> random.nextBoolean() ? Json.object() : NODES.arrayNode();
            case 11 -> object(random, depth + 1);
            default -> array(random, depth + 1);
        };
    }

    private static ObjectNode object(Random random, int depth) {
        ObjectNode object = Json.object();
        for (int i = 0, n = random.nextInt(12); i < n; i++) {
            object.set(text(random), value(random, depth));
        }
        return object;
    }

    private static ArrayNode array(Random random, int depth) {
        ArrayNode array = NODES.arrayNode();
        for (int i = 0, n = random.nextInt(6); i < n; i++) {
            array.add(value(random, depth));
        }
        return array;
    }

    private static long edgeLong(Random random) {
        long[] edges = {Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, 0, -1, 10, -10};
        return random.nextBoolean() ? edges[random.nextInt(edges.length)] : random.nextLong();
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = 0, n = random.nextInt(10); i < n; i++) {
            switch (random.nextInt(3)) {
                case 0 -> text.append(EDGES[random.nextInt(EDGES.length)]);
                case 1 -> text.append((char) random.nextInt(0x10000));
                default -> text.append("\ud83d\ude00 tools/call");
            }
        }
        return text.toString();
    }
}
