package dev.mcpgateway.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TreeReaderTest {
    private static final String[] NUMBERS = {"0", "-0", "7", "-2147483648", "2147483647", "2147483648",
        "-9223372036854775808", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890", "999999999999999999", "-999999999999999999", "1000000000000000000",
        "0.0", "-0.0", "1.50", "1e3", "1E-3", "2.5e+10", "-1.000", "3.141592653589793238462643383279", "1e400", "0e0"};
    private static final String[] TEXTS = {"", "a", "caf\\u00e9", "\\\"quoted\\\"", "tab\\t", "émoji 😀",
        "\\ud83d\\ude00",
        "\\/\\b\\f\\n\\r\\\\", "\\u0000\\u001F\\uD800 lone", "\\uDBFFx\\uabcd", "ß и 中 \\u00FF\\u0100", "tools/call",
        "a string longer than the thirty-two bytes of the shared table", "\u007f del", "x".repeat(300) + "\\n"};
    /** Characters a break inserts. */
    private static final String BREAKS = "{]:,\"\\\n\u0001-.e0";
    private static final String[] NAMES = {"a", "b", "id", "jsonrpc", "params", "_meta", "x y", "é", "\\u0041",
        "a name longer than the thirty-two bytes of the shared table"};

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
            switch (random.nextInt(5)) {
                case 0 -> json.deleteCharAt(Math.min(at, json.length() - 1));
                case 1 -> json.insert(at, json.charAt(Math.min(at, json.length() - 1)));
                case 2 -> json.insert(at, BREAKS.charAt(random.nextInt(BREAKS.length())));
                case 3 -> json.setLength(at);
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
    void contentAfterTheValueIsRefused() {
        JsonRpcException e = assertThrows(JsonRpcException.class, () -> read("{} {}"));

        assertEquals("Parse error: unexpected content after the JSON value; send exactly one JSON value "
                + "(line 1, column 4)", e.getMessage());
    }

    @Test
    void emptyInputHoldsNoValue() {
        assertNull(read(""));
        assertNull(read("  \n"));
        assertNull(read("\ufeff "));
    }

    @Test
    void aByteOrderMarkIsSkippedAsJacksonSkipsIt() throws IOException {
        assertEquals(Json.mapper().readTree("\ufeff{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                read("\ufeff{\"a\":1}"));
    }

    @Test
    void errorsSayWhatIsWrongAndWhere() {
        String[][] cases = {
            {"{\"a\":1,\n \"b\":}", "unexpected '}' where a value was expected (line 2, column 6)"},
            {"{\"a\":NaN}",
                "unexpected 'N' (JSON has no NaN or Infinity) where a value was expected (line 1, column 6)"},
            {"/* c */ {}", "unexpected '/' (JSON has no comments) where a value was expected (line 1, column 1)"},
            {"{'a':1}", "unexpected ''' (JSON strings take double quotes) where a member name in double quotes"},
            {"[\"é\u0001\"]", "a control character (code 1) inside a string; write it as an escape such as \\n or "
                + "\\u0001 (line 1, column 4)"},
            {"\"\\x\"", "an invalid escape in a string"},
            {"\"\\u12G4\"", "\\u must be followed by four hex digits"},
            {"[1,]", "unexpected ']' where a value was expected"},
            {"{\"a\" 1}", "unexpected '1' where ':' was expected after a member name"},
            {"[1 2]", "unexpected '2' where ',' or ']' was expected in an array"},
            {"{\"a\":1 \"b\":2}", "unexpected '\"' where ',' or '}' was expected in an object"},
            {"[01]", "a number has a leading zero; write it without one"},
            {"[1.]", "unexpected ']' where digits were expected after a number's decimal point"},
            {"[1e+]", "unexpected ']' where digits were expected in a number's exponent"},
            {"[-x]", "unexpected 'x' where the digits of a number were expected"},
            {"[tru]", "unexpected ']' where the literal true was expected"},
            {"{\"a\":[1,{", "the input ends inside an object; send the whole message (line 1, column 10)"},
            {"[\"abc", "the input ends inside a string"},
            {"\u001e{}", "unexpected control character (code 30) where a value was expected"}};
        for (String[] c : cases) {
            JsonRpcException e = assertThrows(JsonRpcException.class, () -> read(c[0]), c[0]);
            assertEquals(ErrorCodes.PARSE_ERROR, e.code());
            assertTrue(e.getMessage().startsWith("Parse error: " + c[1]), e.getMessage());
        }
    }

    @Test
    void limitsAreTheGatewaysSettings() {
        String deepest = "[".repeat(Json.MAX_NESTING_DEPTH) + "]".repeat(Json.MAX_NESTING_DEPTH);
        assertEquals(Json.MAX_NESTING_DEPTH, depthOf(read(deepest)));
        assertEquals("Parse error: the input exceeds the gateway's limits: Document nesting depth (513) exceeds the "
                + "maximum allowed (512)", assertThrows(JsonRpcException.class, () -> read("[" + deepest + "]"))
                .getMessage());

        String longest = "9".repeat(Json.MAX_NUMBER_LENGTH);
        assertEquals(Json.nodes().numberNode(new BigInteger(longest)), read(longest));
        assertTrue(assertThrows(JsonRpcException.class, () -> read("-" + longest + "9")).getMessage()
                .endsWith("Number value length (1001) exceeds the maximum allowed (1000)"));
        assertThrows(JsonRpcException.class, () -> read("0." + longest));
        assertThrows(NumberFormatException.class, () -> read("1e9999999999"));
    }

    @Test
    void shortNamesAndTheMethodAreSharedButNotLongNamesOrOtherValues() {
        String longName = "n".repeat(40);
        String json = "{\"method\":\"tools/call\",\"" + longName + "\":1,\"params\":{\"method\":\"secret\"}}";
        JsonNode first = read(json);
        JsonNode second = read(json);

        assertSame(nameAt(first, 0), nameAt(second, 0));
        assertNotSame(nameAt(first, 1), nameAt(second, 1));
        assertSame(first.get("method").textValue(), second.get("method").textValue());
        assertNotSame(first.get("params").get("method").textValue(), second.get("params").get("method").textValue());
        assertEquals(first, second);
    }

    private static String nameAt(JsonNode object, int index) {
        return object.properties().stream().skip(index).findFirst().orElseThrow().getKey();
    }

    @Test
    void aRepeatedMemberKeepsItsFirstPlaceAndLastValue() {
        JsonNode node = read("{\"a\":1,\"b\":2,\"a\":3}");

        assertEquals("{\"a\":3,\"b\":2}", node.toString());
    }

    @Test
    void objectsAreTheGatewaysSmallObjects() {
        JsonNode node = read("{\"a\":{\"b\":[{\"c\":null}]}}");

        assertEquals(MemberMap.class, membersOf(node.get("a").get("b").get(0)).getClass());
    }

    private static JsonNode read(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        return TreeReader.readAll(utf8, 0, utf8.length);
    }

    private static int depthOf(JsonNode node) {
        return node.isEmpty() ? 1 : 1 + depthOf(node.get(0));
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
                    array.append(i == 0 ? "" : ",\t").append(value(random, depth + 1));
                }
                yield array.append("\r\n]").toString();
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
        } catch (JsonProcessingException | JsonRpcException | NumberFormatException e) {
            return true;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
