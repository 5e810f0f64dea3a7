package dev.mcpgateway.jsonrpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads one JSON value into a tree of {@link Json#nodes()}, building the same nodes as {@link Json#mapper()}'s
 * {@code readTree} with the gateway's settings: integers as int, long or big-integer nodes by size, every fraction as
 * an exact decimal node (trailing zeroes kept), a repeated member's last value in the first one's place, content
 * after the value refused. It skips what {@code readTree} builds around the tree for each message (a deserialization
 * context and a container stack, about 7 % of what a parse allocated), since every message the gateway reads is
 * parsed here. Nesting is recursive: the parser bounds it at {@link Json#MAX_NESTING_DEPTH}.
 */
final class TreeReader {
    private static final JsonNodeFactory NODES = Json.nodes();

    private TreeReader() {
    }

    /**
     * The one value {@code parser} holds, read to the end of the input; null when the input holds no value.
     *
     * @throws MismatchedInputException when content follows the value
     * @throws IOException              when the input is not JSON or exceeds the parser's constraints
     */
    static JsonNode readAll(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return null;
        }
        JsonNode value = value(parser, first);
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw MismatchedInputException.from(parser, JsonNode.class,
                    "Trailing token (of type " + trailing + ") found after value");
        }
        return value;
    }

    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            // Text input yields none of the others (embedded objects, property names out of place).
            default -> throw MismatchedInputException.from(parser, JsonNode.class, "Unexpected token " + token);
        };
    }

    private static ObjectNode object(JsonParser parser) throws IOException {
        ObjectNode object = NODES.objectNode();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            object.replace(name, value(parser, next(parser)));
        }
        return object;
    }

    private static ArrayNode array(JsonParser parser) throws IOException {
        ArrayNode array = NODES.arrayNode();
        for (JsonToken token = next(parser); token != JsonToken.END_ARRAY; token = next(parser)) {
            array.add(value(parser, token));
        }
        return array;
    }

    /** The next token inside a container, where the input must not end. */
    private static JsonToken next(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new JsonEOFException(parser, null, "Unexpected end-of-input within a container");
        }
        return token;
    }
}
