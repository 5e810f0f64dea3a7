package dev.mcpgateway.internal.transport.stdio.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.RequestId;
import java.io.IOException;

/**
 * What the first bytes of a message that was too long to read tell about it: whether it is a request or a
 * response, and its id. A request can then be answered under its own id, so the client's call fails at once
 * instead of waiting for its timeout. Best effort: the id is found only when it comes before the bulk of the
 * message (most clients write {@code jsonrpc}, {@code id} and {@code method} before {@code params}).
 *
 * @param kind what the message is, as far as the head shows
 * @param id   its id, or null when the head does not show one (then the kind is {@link Kind#UNKNOWN})
 */
public record EnvelopeHead(Kind kind, RequestId id) {
    /** What a message is, as far as its head shows. */
    public enum Kind {
        /** It has a {@code method} and an {@code id}. */
        REQUEST,
        /** It has a {@code result} or an {@code error}, and an {@code id}. */
        RESPONSE,
        /** A notification, or a message whose id lies beyond the head. */
        UNKNOWN
    }

    private static final JsonFactory FACTORY = Json.mapper().getFactory();
    private static final EnvelopeHead UNREADABLE = new EnvelopeHead(Kind.UNKNOWN, null);

    /** Checks that a known kind comes with an id. */
    public EnvelopeHead {
        if (kind != Kind.UNKNOWN && id == null) {
            throw new IllegalArgumentException("a " + kind + " head needs the id it was recognised by");
        }
    }

    /** Reads the top-level members of a JSON object cut off after {@code length} bytes. */
    public static EnvelopeHead read(byte[] head, int length) {
        RequestId id = null;
        boolean call = false;
        boolean answer = false;
        try (JsonParser parser = FACTORY.createParser(head, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return UNREADABLE;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                // Only the envelope matters: params are what made the line too long, and are skipped.
                if (name.equals("id")) {
                    id = id(parser, value);
                } else if (name.equals("method")) {
                    call = true;
                } else if (name.equals("result") || name.equals("error")) {
                    answer = true;
                }
                if (id != null && (call || answer)) {
                    break;
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            // The cut, or the line was not JSON to begin with: keep what was read before it.
        }
        if (id == null || call == answer) {
            return UNREADABLE;
        }
        return new EnvelopeHead(call ? Kind.REQUEST : Kind.RESPONSE, id);
    }

    private static RequestId id(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return RequestId.of(parser.getText());
        }
        if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return RequestId.of(parser.getLongValue());
        }
        return null;
    }
}
