package dev.mcpgateway.internal.transport.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads the members of one JSON object of a request body while collecting errors, so that a codec reports every bad
 * member of a body at once, each at its JSON Pointer, instead of stopping at the first.
 *
 * <p>A strict reader knows its members and reports any other as an unknown field, so a typo is never silently
 * ignored; a lenient one ignores members it does not read (for formats that grow, such as {@code server.json}).
 * Every read returns null when the member is absent, JSON {@code null}, or of the wrong type (an error recorded):
 * the caller carries on with the rest of the body and throws once at the end. An explicit {@code null} counts as
 * absent, as clients that serialize every field of their objects send it for the ones they leave out.
 */
final class JsonFields {
    private final ObjectNode object;
    private final String pointer;
    private final List<FieldError> errors;
    private final Set<String> known;

    private JsonFields(ObjectNode object, String pointer, List<FieldError> errors, Set<String> known) {
        this.object = object;
        this.pointer = pointer;
        this.errors = errors;
        this.known = known;
    }

    /**
     * A reader of {@code node} that reports members other than {@code known} as unknown fields.
     *
     * @param node    the object, or null when absent (then every read returns null and nothing is reported)
     * @param pointer the JSON Pointer of {@code node}
     * @param errors  where errors are collected
     */
    static JsonFields strict(JsonNode node, String pointer, List<FieldError> errors, String... known) {
        return strict(node, pointer, errors, List.of(known), Map.of());
    }

    /**
     * A strict reader where some members that do not belong here get a message of their own (such as where they
     * belong instead) rather than the list of known fields.
     */
    static JsonFields strict(JsonNode node, String pointer, List<FieldError> errors, List<String> known,
                             Map<String, String> misplaced) {
        ObjectNode object = objectOrReport(node, pointer, errors);
        if (object != null) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (misplaced.containsKey(name)) {
                    errors.add(new FieldError(child(pointer, name), misplaced.get(name)));
                } else if (!known.contains(name)) {
                    errors.add(new FieldError(child(pointer, name), "unknown field; the known ones are "
                            + String.join(", ", known)));
                }
            }
        }
        return new JsonFields(object, pointer, errors, Set.copyOf(known));
    }

    /**
     * Checks that a whole request body is a JSON object, the one error that stops reading at once.
     *
     * @throws InvalidRequestException with one error at {@code ""} when it is not
     */
    static void requireObjectBody(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException(List.of(new FieldError("", "must be a JSON object, got " + kind(body))));
        }
    }

    /** Throws the errors collected, if any. */
    static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    /** A reader of {@code node} that ignores members it is not asked for. */
    static JsonFields lenient(JsonNode node, String pointer, List<FieldError> errors) {
        return new JsonFields(objectOrReport(node, pointer, errors), pointer, errors, null);
    }

    /** Whether the object is there (present and an object) to be read. */
    boolean present() {
        return object != null;
    }

    /** Whether the member is present and not null. */
    boolean has(String name) {
        return get(name) != null;
    }

    /** The member as it is, or null when absent or JSON {@code null}. */
    JsonNode get(String name) {
        if (known != null && !known.contains(name)) {
            throw new IllegalStateException("'" + name + "' is not among the known fields " + known);
        }
        JsonNode node = object == null ? null : object.get(name);
        return node == null || node.isNull() ? null : node;
    }

    /** The JSON Pointer of a member of this object. */
    String pointer(String name) {
        return child(pointer, name);
    }

    /** Records an error at a member of this object. */
    void error(String name, String message) {
        errors.add(new FieldError(pointer(name), message));
    }

    /** A string member, or null. */
    String string(String name) {
        JsonNode node = get(name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            error(name, "must be a string, got " + kind(node));
            return null;
        }
        return node.textValue();
    }

    /** A string member that must be present; null with "required" recorded when it is not. */
    String requiredString(String name) {
        requirePresent(name);
        return string(name);
    }

    /** A boolean member, or null. */
    Boolean bool(String name) {
        JsonNode node = get(name);
        if (node == null) {
            return null;
        }
        if (!node.isBoolean()) {
            error(name, "must be true or false, got " + kind(node));
            return null;
        }
        return node.booleanValue();
    }

    /** An integer member within {@code min..max}, or null. */
    Integer integer(String name, int min, int max) {
        JsonNode node = get(name);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            error(name, "must be an integer, got " + (node.isNumber() ? node.asText() : kind(node)));
            return null;
        }
        if (!node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            error(name, "must be between " + min + " and " + max + ", got " + node.asText());
            return null;
        }
        return node.intValue();
    }

    /** An integer member of any 32-bit value, or null; for values whose range a library constructor checks. */
    Integer integer(String name) {
        return integer(name, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** An array member's elements, or null. */
    List<JsonNode> array(String name) {
        JsonNode node = get(name);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            error(name, "must be an array, got " + kind(node));
            return null;
        }
        List<JsonNode> elements = new ArrayList<>(node.size());
        node.forEach(elements::add);
        return elements;
    }

    /** An array member that must be present; null with "required" recorded when it is not. */
    List<JsonNode> requiredArray(String name) {
        requirePresent(name);
        return array(name);
    }

    /** An array of strings, or null; each element that is not a string is reported at its index. */
    List<String> stringList(String name) {
        List<JsonNode> elements = array(name);
        if (elements == null) {
            return null;
        }
        List<String> strings = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            if (element.isTextual()) {
                strings.add(element.textValue());
            } else {
                errors.add(new FieldError(index(pointer(name), i), "must be a string, got " + kind(element)));
            }
        }
        return strings;
    }

    /** An object of string values (labels, headers, environment), in the body's order, or null. */
    Map<String, String> stringMap(String name) {
        JsonNode node = get(name);
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            error(name, "must be an object of strings, got " + kind(node));
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        node.properties().forEach(entry -> {
            if (entry.getValue().isTextual()) {
                map.put(entry.getKey(), entry.getValue().textValue());
            } else {
                errors.add(new FieldError(child(pointer(name), entry.getKey()),
                        "must be a string, got " + kind(entry.getValue())));
            }
        });
        return map;
    }

    /** A strict reader of an object member (absent: a reader with nothing in it). */
    JsonFields object(String name, String... knownFields) {
        return strict(get(name), pointer(name), errors, knownFields);
    }

    /** A lenient reader of an object member (absent: a reader with nothing in it). */
    JsonFields lenientObject(String name) {
        return lenient(get(name), pointer(name), errors);
    }

    /**
     * Runs a library parser or constructor on a member's value and returns what it made, or null with its
     * {@link IllegalArgumentException}'s message recorded at the member: the API then says what the Java API and the
     * configuration file say of the same value.
     */
    <T> T check(String name, Supplier<T> parse) {
        return attempt(errors, pointer(name), parse);
    }

    /** {@link #check} at any pointer. */
    static <T> T attempt(List<FieldError> errors, String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
            return null;
        }
    }

    /** The pointer of a member of the object at {@code pointer} (RFC 6901 escapes {@code ~} and {@code /}). */
    static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    /** The pointer of an element of the array at {@code pointer}. */
    static String index(String pointer, int index) {
        return pointer + "/" + index;
    }

    /** What a node is, for messages: "a string", "a number", "an object", "null", ... */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private void requirePresent(String name) {
        if (object != null && !has(name)) {
            error(name, "required");
        }
    }

    private static ObjectNode objectOrReport(JsonNode node, String pointer, List<FieldError> errors) {
        // A member that is null never gets here (get() gives Java null); a null array element does, and is wrong.
        if (node == null || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(pointer, "must be a JSON object, got " + kind(node)));
            return null;
        }
        return (ObjectNode) node;
    }
}
