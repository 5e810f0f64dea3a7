package dev.mcpgateway.internal.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code Mcp-Param-{Name}} headers of the 2026-07-28 Streamable HTTP transport: which tool parameters a tool's
 * {@code inputSchema} marks with {@code x-mcp-header}, whether those marks obey the spec's constraints, the header
 * values a {@code tools/call} must carry for its arguments, and whether received headers match a body. One class for
 * both directions, so what the gateway sends its plugins and what it demands of its clients cannot drift apart.
 *
 * <p>{@link #parse} reads a schema into a {@link Plan} (possibly empty) or an {@link Invalid} with the first violated
 * constraint; an HTTP client must then leave the tool out of {@code tools/list}. A plan is immutable and thread-safe.
 */
public final class ParamHeaders {
    /** The fixed part of every parameter header's name. */
    public static final String PREFIX = "Mcp-Param-";
    /** The schema keyword naming the header a property is mirrored into. */
    public static final String ANNOTATION = "x-mcp-header";

    /** RFC 9110 section 5.1: {@code token = 1*tchar}. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Set<String> PRIMITIVE_TYPES = Set.of("string", "integer", "boolean");
    /** Subschemas holding one schema or an array of them: never part of a statically reachable chain. */
    private static final List<String> UNREACHABLE_SCHEMAS = List.of("items", "prefixItems", "contains",
            "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "propertyNames", "additionalItems",
            "oneOf", "anyOf", "allOf", "not", "if", "then", "else");
    /** Subschemas held as the values of a name-to-schema object: never part of a statically reachable chain. */
    private static final List<String> UNREACHABLE_SCHEMA_MAPS = List.of("patternProperties", "dependentSchemas",
            "dependencies", "$defs", "definitions");
    /** The largest integer every client represents exactly (JavaScript's {@code Number.MAX_SAFE_INTEGER}). */
    private static final BigDecimal MAX_SAFE = BigDecimal.valueOf((1L << 53) - 1);
    /** A decimal a client may send for an integer (the spec has {@code 42.0} equal {@code 42}). */
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private ParamHeaders() {
    }

    /** What reading a schema gave: a {@link Plan} or an {@link Invalid}. */
    public sealed interface Parsed permits Plan, Invalid {
    }

    /** A tool definition whose annotations break the spec; {@code reason} says where and how. */
    public record Invalid(String reason) implements Parsed {
    }

    /**
     * One annotated parameter.
     *
     * @param name the {@code x-mcp-header} value, the header being {@code Mcp-Param-<name>}
     * @param path the chain of {@code properties} keys from the schema root to the parameter
     * @param type its declared type: {@code string}, {@code integer} or {@code boolean}
     */
    public record Param(String name, List<String> path, String type) {
        public Param {
            path = List.copyOf(path);
        }

        /** The full header name, e.g. {@code Mcp-Param-Region}. */
        public String header() {
            return PREFIX + name;
        }

        /** The argument value at this parameter's path, or null when the arguments have none there. */
        JsonNode valueIn(JsonNode arguments) {
            JsonNode node = arguments;
            for (String key : path) {
                if (node == null || !node.isObject()) {
                    return null;
                }
                node = node.get(key);
            }
            return node;
        }
    }

    /** The parameters of one tool that travel in headers, in schema order; empty when the tool marks none. */
    public record Plan(List<Param> params) implements Parsed {
        /** The plan of a tool without annotations. */
        public static final Plan NONE = new Plan(List.of());

        public Plan {
            params = List.copyOf(params);
        }

        /** Whether the tool mirrors nothing into headers. */
        public boolean isEmpty() {
            return params.isEmpty();
        }

        /**
         * The headers a {@code tools/call} with these arguments carries: name to value, encoded for the wire. A
         * parameter that is absent, null or not a primitive value has no header.
         */
        public Map<String, String> headers(JsonNode arguments) {
            if (params.isEmpty()) {
                return Map.of();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (Param param : params) {
                String text = text(param.valueIn(arguments));
                if (text != null) {
                    headers.put(param.header(), McpHeaders.headerValue(text));
                }
            }
            return headers;
        }

        /**
         * Checks the received headers against the arguments of a {@code tools/call}: every parameter with a value
         * needs its header, which must decode to that value (integers compared as numbers); a header of a marked
         * parameter must be a valid header value even when the body has no value for it. Headers of parameters
         * the schema does not mark are not looked at.
         *
         * @param headers a request header by name (case-insensitive), or null when absent
         * @return null when everything matches, else the {@code HeaderMismatch} message saying what is wrong
         */
        public String mismatch(JsonNode arguments, Function<String, String> headers) {
            for (Param param : params) {
                String received = headers.apply(param.header());
                String decoded = received == null ? null : McpHeaders.decodeHeaderValue(received);
                if (received != null && decoded == null) {
                    return McpHeaders.undecodable(param.header(), received);
                }
                JsonNode value = param.valueIn(arguments);
                String expected = text(value);
                if (expected == null) {
                    continue; // absent or null in the body: the header is not expected
                }
                if (received == null) {
                    return "Header mismatch: " + param.header() + " is missing; the tool mirrors arguments."
                            + String.join(".", param.path()) + " into it, so it must carry '" + expected + "'";
                }
                if (!matches(decoded, value, expected)) {
                    return "Header mismatch: " + param.header() + " header value '" + received
                            + "' does not match body value '" + expected + "'";
                }
            }
            return null;
        }
    }

    /**
     * Reads a tool's {@code inputSchema}: every {@code x-mcp-header} must be a non-empty RFC 9110 token, unique
     * regardless of case, on a {@code string}, {@code integer} or {@code boolean} property reached from the root
     * through {@code properties} alone.
     *
     * @param inputSchema the schema; null or a non-object mirrors nothing
     * @return the plan, or the first constraint the schema breaks
     */
    public static Parsed parse(JsonNode inputSchema) {
        if (inputSchema == null || !inputSchema.isObject()) {
            return Plan.NONE;
        }
        Walk walk = new Walk();
        String problem = walk.visit(inputSchema, new ArrayList<>(), "", true);
        return problem != null ? new Invalid(problem) : walk.params.isEmpty() ? Plan.NONE : new Plan(walk.params);
    }

    /** One pass over a schema, collecting parameters until the first broken constraint. */
    private static final class Walk {
        final List<Param> params = new ArrayList<>();
        /** Lower-cased header names seen so far, to the spelling first seen. */
        final Map<String, String> names = new HashMap<>();

        /**
         * @param path      the properties chain to this schema, while it is statically reachable
         * @param where     a readable location of this schema in the whole, for messages
         * @param reachable whether only {@code properties} keys led here
         * @return the first problem found here or below, or null
         */
        String visit(JsonNode schema, List<String> path, String where, boolean reachable) {
            if (!schema.isObject()) {
                return null;
            }
            JsonNode mark = schema.get(ANNOTATION);
            if (mark != null) {
                String problem = annotated(schema, mark, path, where, reachable);
                if (problem != null) {
                    return problem;
                }
            }
            JsonNode properties = schema.get("properties");
            if (properties != null && properties.isObject()) {
                for (Map.Entry<String, JsonNode> property : properties.properties()) {
                    path.add(property.getKey());
                    String problem = visit(property.getValue(), path, where + "/properties/" + property.getKey(),
                            reachable);
                    path.removeLast();
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            // Annotations anywhere else (array items, compositions, conditionals, definitions reached by $ref)
            // make the tool invalid, so those places are searched too.
            for (String keyword : UNREACHABLE_SCHEMAS) {
                JsonNode sub = schema.get(keyword);
                if (sub == null) {
                    continue;
                }
                if (sub.isArray()) {
                    for (int i = 0; i < sub.size(); i++) {
                        String problem = visit(sub.get(i), path, where + "/" + keyword + "/" + i, false);
                        if (problem != null) {
                            return problem;
                        }
                    }
                } else {
                    String problem = visit(sub, path, where + "/" + keyword, false);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            for (String keyword : UNREACHABLE_SCHEMA_MAPS) {
                JsonNode map = schema.get(keyword);
                if (map == null || !map.isObject()) {
                    continue;
                }
                for (Map.Entry<String, JsonNode> entry : map.properties()) {
                    String problem = visit(entry.getValue(), path, where + "/" + keyword + "/" + entry.getKey(), false);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            return null;
        }

        private String annotated(JsonNode schema, JsonNode mark, List<String> path, String where, boolean reachable) {
            String at = "x-mcp-header at " + (where.isEmpty() ? "the schema root" : "'" + where + "'");
            if (!reachable || path.isEmpty()) {
                return at + " is not on a property reached from the schema root through 'properties' alone "
                        + "(not through items, oneOf/anyOf/allOf/not, if/then/else, $ref or definitions)";
            }
            if (!mark.isTextual() || mark.textValue().isEmpty()) {
                return at + " must be a non-empty string, got " + (mark.isTextual() ? "''" : mark.toString());
            }
            String name = mark.textValue();
            if (!TOKEN.matcher(name).matches()) {
                return at + " is '" + name.replaceAll("\\p{Cntrl}", "?") + "', which is not an HTTP field-name token "
                        + "(RFC 9110: letters, digits and !#$%&'*+-.^_`|~ only)";
            }
            JsonNode type = schema.get("type");
            if (type == null || !type.isTextual() || !PRIMITIVE_TYPES.contains(type.textValue())) {
                return at + " ('" + name + "') is on a property of type " + (type == null ? "(none)" : type.toString())
                        + "; only string, integer and boolean parameters can be mirrored into headers";
            }
            String earlier = names.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (earlier != null) {
                return at + " ('" + name + "') repeats the header name '" + earlier
                        + "' (header names are case-insensitive)";
            }
            params.add(new Param(name, path, type.textValue()));
            return null;
        }
    }

    /**
     * The text a header carries for an argument value, before encoding: a string as it is, a boolean in lower case,
     * an integral number in decimal ({@code 42.0} too, as {@code 42}); null for absent, null, structured values and
     * integers beyond what every client can represent exactly, which travel in the body alone.
     */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode() || value.isContainerNode()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "true" : "false";
        }
        if (value.isNumber()) {
            if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
                return null;
            }
            BigDecimal number = value.decimalValue();
            if (number.abs().compareTo(MAX_SAFE) > 0) {
                return null;
            }
            // Integral values (42, 42.0) in plain decimal; anything else as JSON wrote it (numbers are not
            // mirrored by valid tools; this only keeps a wrong argument type comparable on both sides).
            return number.signum() == 0 || number.stripTrailingZeros().scale() <= 0
                    ? number.toBigInteger().toString() : value.asText();
        }
        return null;
    }

    /** Whether a decoded header stands for the body value: numbers numerically, everything else as text. */
    private static boolean matches(String decoded, JsonNode value, String expected) {
        if (value.isNumber()) {
            return DECIMAL.matcher(decoded).matches() && new BigDecimal(decoded).compareTo(value.decimalValue()) == 0;
        }
        return decoded.equals(expected);
    }
}
