package dev.mcpgateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import java.util.Objects;

/**
 * An MCP tool definition as a plugin reports it in {@code tools/list}. The typed accessors cover what
 * the gateway reasons about; {@link #json()} is the whole definition, so members the gateway does not
 * know (icons, execution, future fields) reach clients untouched.
 */
public final class Tool {
    private final String name;
    private final ObjectNode json;
    private final ToolAnnotations annotations;

    private Tool(String name, ObjectNode json) {
        this.name = name;
        this.json = json;
        this.annotations = ToolAnnotations.fromJson(json.get("annotations"));
    }

    /**
     * Reads a tool definition. The name must be a non-empty string; {@code inputSchema} must be a JSON
     * object when present and defaults to {@code {"type":"object"}} when absent, as MCP never allows null.
     *
     * @throws IllegalArgumentException with what is wrong when the definition is unusable
     */
    public static Tool fromJson(JsonNode definition) {
        if (definition == null || !definition.isObject()) {
            throw new IllegalArgumentException("a tool definition must be a JSON object, got " + kind(definition));
        }
        JsonNode name = definition.get("name");
        if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
            throw new IllegalArgumentException("a tool definition needs a non-empty string 'name', got " + kind(name));
        }
        ObjectNode copy = ((ObjectNode) definition).deepCopy();
        JsonNode schema = copy.get("inputSchema");
        if (schema == null || schema.isNull()) {
            copy.set("inputSchema", defaultSchema());
        } else if (!schema.isObject()) {
            throw new IllegalArgumentException("tool '" + name.textValue() + "': 'inputSchema' must be a JSON object, got "
                    + kind(schema));
        }
        JsonNode outputSchema = copy.get("outputSchema");
        if (outputSchema != null && !outputSchema.isNull() && !outputSchema.isObject()) {
            throw new IllegalArgumentException("tool '" + name.textValue() + "': 'outputSchema' must be a JSON object, got "
                    + kind(outputSchema));
        }
        return new Tool(name.textValue(), copy);
    }

    /** Starts a tool definition for Java code that declares tools (in-process plugins, tests). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The tool's name as its server knows it. */
    public String name() {
        return name;
    }

    /** A human-readable title, or null. */
    public String title() {
        return textOrNull("title");
    }

    /** A description for the model, or null. */
    public String description() {
        return textOrNull("description");
    }

    /** The JSON Schema of the arguments (always an object). */
    public ObjectNode inputSchema() {
        return (ObjectNode) json.get("inputSchema");
    }

    /** The JSON Schema of {@code structuredContent}, or null. */
    public ObjectNode outputSchema() {
        JsonNode node = json.get("outputSchema");
        return node != null && node.isObject() ? (ObjectNode) node : null;
    }

    /** The behaviour hints (never null). */
    public ToolAnnotations annotations() {
        return annotations;
    }

    /** The {@code _meta} object, or null. */
    public ObjectNode meta() {
        JsonNode node = json.get("_meta");
        return node != null && node.isObject() ? (ObjectNode) node : null;
    }

    /** A copy of the whole definition. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The definition as clients see it under another name (the gateway's exposed name). */
    public ObjectNode toJsonNamed(String exposedName) {
        ObjectNode copy = json.deepCopy();
        copy.put("name", exposedName);
        return copy;
    }

    private String textOrNull(String field) {
        JsonNode node = json.get(field);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static ObjectNode defaultSchema() {
        ObjectNode schema = Json.object();
        schema.put("type", "object");
        return schema;
    }

    private static String kind(JsonNode node) {
        return node == null || node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tool other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "Tool[" + name + "]";
    }

    /** Builds a {@link Tool} from Java code. */
    public static final class Builder {
        private final ObjectNode json = Json.object();

        private Builder(String name) {
            json.put("name", Objects.requireNonNull(name, "name"));
        }

        /** A human-readable title. */
        public Builder title(String title) {
            json.put("title", title);
            return this;
        }

        /** The description the model reads. */
        public Builder description(String description) {
            json.put("description", description);
            return this;
        }

        /** The JSON Schema of the arguments; must be an object schema. */
        public Builder inputSchema(ObjectNode schema) {
            json.set("inputSchema", schema);
            return this;
        }

        /** The JSON Schema of {@code structuredContent}. */
        public Builder outputSchema(ObjectNode schema) {
            json.set("outputSchema", schema);
            return this;
        }

        /** Behaviour hints. */
        public Builder annotations(ToolAnnotations annotations) {
            json.set("annotations", annotations.toJson());
            return this;
        }

        /** The {@code _meta} object. */
        public Builder meta(ObjectNode meta) {
            json.set("_meta", meta);
            return this;
        }

        /** The tool; fails with what is wrong if the definition is unusable. */
        public Tool build() {
            return fromJson(json);
        }
    }
}
