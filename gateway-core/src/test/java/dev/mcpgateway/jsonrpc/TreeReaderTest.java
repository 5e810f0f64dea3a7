package dev.mcpgateway.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TreeReaderTest {
    private static final String[] NUMBERS = {"0", "-0", "7", "-2147483648", "2147483647", "2147483648",
        "-9223372036854775808", "9223372036854775807", "9223372036854775808", "123456789012345678901234567890",
        "0.0", "-0.0", "1.50", "1e3", "1E-3", "2.5e+10", "-1.000", "3.141592653589793238462643383279", "1e400"};
    private static final String[] TEXTS = {"", "a", "caf\\u00e9", "\\\"quoted\\\"", "tab\\t", "émoji 😀", "\\ud83d\\ude00"};
    private static final String[] NAMES = {"a", "b", "id", "jsonrpc", "params", "_meta", "x y", "é"};

    @Test
    void buildsTheTreesJacksonsReadTreeBuilds() throws IOException {
        Random random = new Random(18);
        for (int run = 0; run < 3_000; run++) {
            String json = value(random, 0);
            JsonNode expected = Json.mapper().readTree(json);
            JsonNode actual = read(json);
            assertSameTree(expected, actual, json);
        }
    }

    @Test
    void refusesWhatJacksonsReadTreeRefuses() {
        Random random = new Random(19);
        int refused = 0;
        for (int run = 0; run < 3_000; run++) {
            StringBuilder json = new StringBuilder(value(random, 0));
            // Break it: drop, double or insert a character somewhere, or add trailing content.
            int at = random.nextInt(json.length() + 1);
            switch (random.nextInt(4)) {
                case 0 -> json.deleteCharAt(Math.min(at, json.length() - 1));
                case 1 -> json.insert(at, json.charAt(Math.min(at, json.length() - 1)));
                case 2 -> json.insert(at, "{]:,\"".charAt(random.nextInt(5)));
                default -> json.append(random.nextBoolean() ? " 1" : " x");
            }
            String text = json.toString();
            boolean jacksonRefuses = refuses(() -> Json.mapper().readTree(text));
            boolean oursRefuses = refuses(() -> read(text));
            assertEquals(jacksonRefuses, oursRefuses, text);
            refused += oursRefuses ? 1 : 0;
        }
        assertTrue(refused > 1_000, "most breaks are refused: " + refused);
    }

    @Test
    void contentAfterTheValueIsAMismatchAsInReadTree() {
        assertThrows(MismatchedInputException.class, () -> read("{} {}"));
        assertThrows(MismatchedInputException.class, () -> Json.mapper().readTree("{} {}"));
    }

    @Test
    void emptyInputHoldsNoValue() throws IOException {
        assertNull(read(""));
        assertNull(read("  \n"));
    }

    @Test
    void aRepeatedMemberKeepsItsFirstPlaceAndLastValue() throws IOException {
        JsonNode node = read("{\"a\":1,\"b\":2,\"a\":3}");

        assertEquals("{\"a\":3,\"b\":2}", node.toString());
    }

    @Test
    void objectsAreTheGatewaysSmallObjects() throws IOException {
        JsonNode node = read("{\"a\":{\"b\":[{\"c\":null}]}}");

        assertEquals(MemberMap.class, membersOf(node.get("a").get("b").get(0)).getClass());
    }

    private static JsonNode read(String json) throws IOException {
        try (JsonParser parser = Json.mapper().createParser(json.getBytes(StandardCharsets.UTF_8))) {
            return TreeReader.readAll(parser);
        }
    }

    private static void assertSameTree(JsonNode expected, JsonNode actual, String json) {
        assertEquals(expected.getClass(), actual.getClass(), json);
        assertEquals(expected, actual, json);
        if (expected.isNumber()) {
            assertEquals(expected.numberValue(), actual.numberValue(), json); // scale of decimals too
        }
        if (expected.isObject()) {
            assertEquals(membersOf(expected).getClass(), membersOf(actual).getClass(), json);
            Iterator<Map.Entry<String, JsonNode>> theirs = expected.properties().iterator();
            for (Map.Entry<String, JsonNode> ours : actual.properties()) {
                Map.Entry<String, JsonNode> their = theirs.next();
                assertEquals(their.getKey(), ours.getKey(), json);
                assertSameTree(their.getValue(), ours.getValue(), json);
            }
        }
        for (int i = 0; expected.isArray() && i < expected.size(); i++) {
            assertSameTree(expected.get(i), actual.get(i), json);
        }
    }

    private static Object membersOf(JsonNode object) {
        try {
            var field = com.fasterxml.jackson.databind.node.ObjectNode.class.getDeclaredField("_children");
            field.setAccessible(true);
            return field.get(object);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static String value(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 5 : 7);
        return switch (kind) {
            case 0 -> NUMBERS[random.nextInt(NUMBERS.length)];
            case 1 -> "\"" + TEXTS[random.nextInt(TEXTS.length)] + "\"";
            case 2 -> random.nextBoolean() ? "true" : "false";
            case 3 -> "null";
            case 4 -> random.nextBoolean() ? "{}" : "[]";
            case 5 -> {
                StringBuilder object = new StringBuilder("{");
                for (int i = 0, n = 1 + random.nextInt(10); i < n; i++) {
                    object.append(i == 0 ? "" : ",").append('"').append(NAMES[random.nextInt(NAMES.length)])
                            .append("\": ").append(value(random, depth + 1));
                }
                yield object.append('}').toString();
            }
            default -> {
                StringBuilder array = new StringBuilder("[ ");
                for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
                    array.append(i == 0 ? "" : ", ").append(value(random, depth + 1));
                }
                yield array.append(']').toString();
            }
        };
    }

    private interface Reading {
        Object read() throws IOException;
    }

    private static boolean refuses(Reading reading) {
        try {
            reading.read();
            return false;
        } catch (JsonProcessingException | NumberFormatException e) {
            return true;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
