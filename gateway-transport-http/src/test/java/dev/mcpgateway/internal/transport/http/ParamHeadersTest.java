package dev.mcpgateway.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Reading {@code x-mcp-header} annotations, each of their constraints, and the headers' values in both directions. */
class ParamHeadersTest {
    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ParamHeaders.Plan plan(String schema) {
        return assertInstanceOf(ParamHeaders.Plan.class, ParamHeaders.parse(json(schema)));
    }

    /** Parses a schema that must be invalid and returns why. */
    private static String invalid(String schema) {
        return assertInstanceOf(ParamHeaders.Invalid.class, ParamHeaders.parse(json(schema))).reason();
    }

    /** A schema with one property {@code p} whose own schema is {@code property}. */
    private static String withProperty(String property) {
        return "{\"type\":\"object\",\"properties\":{\"p\":" + property + "}}";
    }

    private static String base64(String value) {
        return "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** Headers looked up case-insensitively, as every HTTP server does. */
    private static Function<String, String> headers(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return headers(map);
    }

    private static Function<String, String> headers(Map<String, String> sent) {
        Map<String, String> map = new LinkedHashMap<>();
        sent.forEach((name, value) -> map.put(name.toLowerCase(Locale.ROOT), value));
        return name -> map.get(name.toLowerCase(Locale.ROOT));
    }

    // ---- parsing: what a valid schema gives ------------------------------------------------------------------

    @Test
    void annotatedPropertiesBecomeParamsInSchemaOrderWithTheirPaths() {
        ParamHeaders.Plan plan = plan(MirroredSchema.JSON);

        assertEquals(List.of(new ParamHeaders.Param("Region", List.of("region"), "string"),
                new ParamHeaders.Param("Shard", List.of("shard"), "integer"),
                new ParamHeaders.Param("Dry-Run", List.of("dry"), "boolean"),
                new ParamHeaders.Param("Zone", List.of("target", "zone"), "string")), plan.params());
        assertEquals("Mcp-Param-Dry-Run", plan.params().get(2).header());
    }

    @Test
    void schemasWithoutAnnotationsMirrorNothing() {
        assertSame(ParamHeaders.Plan.NONE, ParamHeaders.parse(json("{\"type\":\"object\",\"properties\":{\"a\":{}}}")));
        assertSame(ParamHeaders.Plan.NONE, ParamHeaders.parse(json("{\"type\":\"object\"}")));
        assertSame(ParamHeaders.Plan.NONE, ParamHeaders.parse(null));
        assertSame(ParamHeaders.Plan.NONE, ParamHeaders.parse(json("true")));
        // A property named like the keyword is a property, not an annotation.
        assertSame(ParamHeaders.Plan.NONE, ParamHeaders.parse(json(
                "{\"properties\":{\"x-mcp-header\":{\"type\":\"string\"}},\"$defs\":{\"x-mcp-header\":{}}}")));
    }

    @Test
    void tokenCharactersBeyondLettersAndDigitsAreAllowed() {
        assertEquals("A1!#$%&'*+-.^_`|~", plan(withProperty("{\"type\":\"string\",\"x-mcp-header\":\"A1!#$%&'*+-.^_`|~\"}"))
                .params().getFirst().name());
    }

    // ---- parsing: each constraint -----------------------------------------------------------------------------

    @Test
    void anEmptyOrNonStringNameIsInvalid() {
        assertTrue(invalid(withProperty("{\"type\":\"string\",\"x-mcp-header\":\"\"}")).contains("non-empty string"));
        assertTrue(invalid(withProperty("{\"type\":\"string\",\"x-mcp-header\":7}")).contains("non-empty string"));
        assertTrue(invalid(withProperty("{\"type\":\"string\",\"x-mcp-header\":null}")).contains("non-empty string"));
    }

    @Test
    void aNameThatIsNotAnHttpTokenIsInvalid() {
        for (String name : new String[] {"Two Words", "Colon:", "Slash/", "Quote\\\"", "Paren(", "Brace{", "Comma,",
                "Ünïcode", "Tab\\t", "CR\\r", "LF\\n", "At@", "Equals="}) {
            String reason = invalid(withProperty("{\"type\":\"string\",\"x-mcp-header\":\"" + name + "\"}"));
            assertTrue(reason.contains("not an HTTP field-name token"), name + ": " + reason);
            assertTrue(!reason.contains("\r") && !reason.contains("\n"), "control characters stay out of the log");
        }
    }

    @Test
    void namesMustBeUniqueRegardlessOfCase() {
        String reason = invalid("""
                {"properties":{"a":{"type":"string","x-mcp-header":"Region"},
                  "b":{"type":"object","properties":{"c":{"type":"string","x-mcp-header":"REGION"}}}}}""");

        assertTrue(reason.contains("'REGION'") && reason.contains("'Region'") && reason.contains("case-insensitive"),
                reason);
    }

    @Test
    void onlyStringIntegerAndBooleanParametersMayBeMirrored() {
        for (String type : new String[] {"\"number\"", "\"object\"", "\"array\"", "\"null\"", "[\"string\",\"null\"]"}) {
            String reason = invalid(withProperty("{\"type\":" + type + ",\"x-mcp-header\":\"P\"}"));
            assertTrue(reason.contains("only string, integer and boolean"), type + ": " + reason);
        }
        assertTrue(invalid(withProperty("{\"x-mcp-header\":\"P\"}")).contains("type (none)"));
        for (String type : new String[] {"string", "integer", "boolean"}) {
            assertEquals(type, plan(withProperty("{\"type\":\"" + type + "\",\"x-mcp-header\":\"P\"}"))
                    .params().getFirst().type());
        }
    }

    @Test
    void annotationsOffThePropertiesChainAreInvalid() {
        String annotated = "{\"type\":\"string\",\"x-mcp-header\":\"P\"}";
        Map<String, String> places = new LinkedHashMap<>();
        places.put("root", "{\"type\":\"string\",\"x-mcp-header\":\"P\"}");
        places.put("items", withProperty("{\"type\":\"array\",\"items\":" + annotated + "}"));
        places.put("prefixItems", withProperty("{\"type\":\"array\",\"prefixItems\":[" + annotated + "]}"));
        places.put("an object under items", withProperty("{\"type\":\"array\",\"items\":{\"properties\":{\"q\":"
                + annotated + "}}}"));
        places.put("additionalProperties", "{\"additionalProperties\":" + annotated + "}");
        places.put("patternProperties", "{\"patternProperties\":{\"^x\":" + annotated + "}}");
        places.put("oneOf", "{\"oneOf\":[{\"properties\":{\"q\":" + annotated + "}}]}");
        places.put("anyOf", "{\"anyOf\":[{},{\"properties\":{\"q\":" + annotated + "}}]}");
        places.put("allOf", "{\"allOf\":[{\"properties\":{\"q\":" + annotated + "}}]}");
        places.put("not", "{\"not\":{\"properties\":{\"q\":" + annotated + "}}}");
        places.put("if", "{\"if\":{\"properties\":{\"q\":" + annotated + "}}}");
        places.put("then", "{\"then\":{\"properties\":{\"q\":" + annotated + "}}}");
        places.put("else", "{\"else\":{\"properties\":{\"q\":" + annotated + "}}}");
        places.put("$defs (reached by $ref)", "{\"properties\":{\"q\":{\"$ref\":\"#/$defs/d\"}},\"$defs\":{\"d\":"
                + annotated + "}}");
        places.put("definitions", "{\"definitions\":{\"d\":" + annotated + "}}");
        places.put("dependentSchemas", "{\"dependentSchemas\":{\"a\":{\"properties\":{\"q\":" + annotated + "}}}}");
        for (Map.Entry<String, String> place : places.entrySet()) {
            String reason = invalid(place.getValue());
            assertTrue(reason.contains("reached from the schema root through 'properties' alone"),
                    place.getKey() + ": " + reason);
        }
        assertTrue(invalid(places.get("items")).contains("'/properties/p/items'"), "the reason says where");
    }

    @Test
    void nestedPropertiesAreReachable() {
        ParamHeaders.Plan plan = plan("""
                {"properties":{"a":{"type":"object","properties":{"b":{"type":"object","properties":{
                  "c":{"type":"integer","x-mcp-header":"Deep"}}}}}}}""");

        assertEquals(List.of("a", "b", "c"), plan.params().getFirst().path());
    }

    // ---- the client side: values for the headers -------------------------------------------------------------

    @Test
    void valuesAreConvertedAndEncodedForTheWire() {
        ParamHeaders.Plan plan = plan(MirroredSchema.JSON);

        assertEquals(Map.of("Mcp-Param-Region", "us-west1", "Mcp-Param-Shard", "42", "Mcp-Param-Dry-Run", "false",
                "Mcp-Param-Zone", "b"), plan.headers(json("""
                {"region":"us-west1","shard":42,"dry":false,"target":{"zone":"b"},"query":"SELECT 1"}""")));
        assertEquals(Map.of("Mcp-Param-Shard", "-7", "Mcp-Param-Dry-Run", "true"),
                plan.headers(json("{\"shard\":-7,\"dry\":true}")));
        assertEquals(Map.of("Mcp-Param-Shard", "42"), plan.headers(json("{\"shard\":42.0}")), "integral as integer");
        assertEquals(Map.of("Mcp-Param-Region", base64("Hello, 世界")), plan.headers(json("{\"region\":\"Hello, 世界\"}")));
        assertEquals(Map.of("Mcp-Param-Region", base64(" padded ")), plan.headers(json("{\"region\":\" padded \"}")));
        assertEquals(Map.of("Mcp-Param-Region", base64("line1\nline2")),
                plan.headers(json("{\"region\":\"line1\\nline2\"}")));
        assertEquals(Map.of("Mcp-Param-Region", base64("=?base64?literal?=")),
                plan.headers(json("{\"region\":\"=?base64?literal?=\"}")));
    }

    @Test
    void absentNullAndStructuredValuesHaveNoHeader() {
        ParamHeaders.Plan plan = plan(MirroredSchema.JSON);

        assertEquals(Map.of(), plan.headers(json("{\"region\":null,\"target\":{}}")));
        assertEquals(Map.of(), plan.headers(json("{\"region\":{\"a\":1},\"shard\":[1],\"target\":\"flat\"}")));
        assertEquals(Map.of(), plan.headers(null), "no arguments at all");
        assertEquals(Map.of(), plan.headers(json("{\"shard\":9007199254740992}")), "beyond 2^53-1");
        assertEquals(Map.of("Mcp-Param-Shard", "9007199254740991"), plan.headers(json("{\"shard\":9007199254740991}")));
    }

    // ---- the server side: received headers against the body --------------------------------------------------

    @Test
    void matchingHeadersPass() {
        ParamHeaders.Plan plan = plan(MirroredSchema.JSON);
        JsonNode arguments = json("{\"region\":\"us-west1\",\"shard\":42,\"dry\":false,\"target\":{\"zone\":\"b\"}}");

        assertNull(plan.mismatch(arguments, headers("mcp-param-region", "us-west1", "MCP-PARAM-SHARD", "42",
                "Mcp-Param-Dry-Run", "false", "Mcp-Param-Zone", "b")));
        assertNull(plan.mismatch(arguments, headers(plan.headers(arguments))), "what the client side sends passes");
        assertNull(plan.mismatch(json("{}"), headers()), "nothing in the body, nothing expected");
        assertNull(plan.mismatch(json("{\"region\":null}"), headers("Mcp-Param-Region", "anything")),
                "a header for a null value is not compared");
    }

    @Test
    void aMissingHeaderIsAMismatch() {
        String reason = plan(MirroredSchema.JSON).mismatch(json("{\"target\":{\"zone\":\"b\"}}"), headers());

        assertEquals("Header mismatch: Mcp-Param-Zone is missing; the tool mirrors arguments.target.zone into it, "
                + "so it must carry 'b'", reason);
    }

    @Test
    void aDifferentValueIsAMismatch() {
        ParamHeaders.Plan plan = plan(MirroredSchema.JSON);

        assertEquals("Header mismatch: Mcp-Param-Region header value 'eu' does not match body value 'us'",
                plan.mismatch(json("{\"region\":\"us\"}"), headers("Mcp-Param-Region", "eu")));
        assertTrue(plan.mismatch(json("{\"dry\":true}"), headers("Mcp-Param-Dry-Run", "True")) != null);
        assertTrue(plan.mismatch(json("{\"region\":\"us\"}"), headers("Mcp-Param-Region", base64("eu"))) != null);
        assertTrue(plan.mismatch(json("{\"region\":\"42\"}"), headers("Mcp-Param-Region", "42.0")) != null,
                "strings compare as text");
    }

    @Test
    void base64ValuesAreDecodedBeforeComparing() {
        ParamHeaders.Plan plan = plan(MirroredSchema.JSON);

        assertNull(plan.mismatch(json("{\"region\":\"Hello, 世界\"}"), headers("Mcp-Param-Region", base64("Hello, 世界"))));
        assertNull(plan.mismatch(json("{\"region\":\"plain\"}"), headers("Mcp-Param-Region", base64("plain"))));
    }

    @Test
    void integersCompareAsNumbers() {
        ParamHeaders.Plan plan = plan(MirroredSchema.JSON);

        assertNull(plan.mismatch(json("{\"shard\":42}"), headers("Mcp-Param-Shard", "42.0")));
        assertNull(plan.mismatch(json("{\"shard\":42}"), headers("Mcp-Param-Shard", "042")));
        assertNull(plan.mismatch(json("{\"shard\":42.0}"), headers("Mcp-Param-Shard", "42")));
        assertNull(plan.mismatch(json("{\"shard\":-3}"), headers("Mcp-Param-Shard", base64("-3"))));
        assertTrue(plan.mismatch(json("{\"shard\":42}"), headers("Mcp-Param-Shard", "42.5")) != null);
        assertTrue(plan.mismatch(json("{\"shard\":42}"), headers("Mcp-Param-Shard", "4.2e1")) != null,
                "only plain decimals");
        assertTrue(plan.mismatch(json("{\"shard\":42}"), headers("Mcp-Param-Shard", "")) != null);
    }

    @Test
    void invalidCharactersAndMalformedBase64AreRejectedEvenWithoutABodyValue() {
        ParamHeaders.Plan plan = plan(MirroredSchema.JSON);

        for (String value : new String[] {"grÃ¼ÃŸe", "bell\u0007", "=?base64?not base64!?=", "=?base64?YWI?=",
                "=?base64?/w==?="}) {
            String reason = plan.mismatch(json("{}"), headers("Mcp-Param-Region", value));
            assertTrue(reason != null && reason.contains("Mcp-Param-Region") && reason.contains("cannot carry"),
                    value + ": " + reason);
        }
    }

    @Test
    void headersOfUnmarkedParametersAreNotLookedAt() {
        assertNull(plan(MirroredSchema.JSON).mismatch(json("{\"query\":\"q\"}"), headers("Mcp-Param-Query", "other",
                "Mcp-Param-Junk", "=?base64?%%?=")));
    }
}
