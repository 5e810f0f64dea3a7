package dev.mcpgateway.jsonrpc;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads and writes JSON-RPC 2.0 messages. Decoding validates the envelope strictly and reports every
 * problem as a {@link JsonRpcException} ({@link ErrorCodes#PARSE_ERROR} or {@link ErrorCodes#INVALID_REQUEST});
 * encoding writes compact one-line UTF-8 JSON with the members in the order jsonrpc, id, method, params /
 * result / error. Parameters, results and error data stay Jackson trees and are written back unchanged.
 * Stateless and thread-safe.
 */
public final class JsonRpcCodec {
    /** The shared codec; every instance behaves the same. */
    public static final JsonRpcCodec INSTANCE = new JsonRpcCodec();

    private static final JsonFactory FACTORY = Json.mapper().getFactory();
    // Without this, the mapper flushes after every tree it writes, which would push half a message to a stream.
    private static final ObjectWriter TREE_WRITER =
            Json.mapper().writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private static final String VERSION_TEXT = "2.0";
    private static final SerializableString JSONRPC = new SerializedString("jsonrpc");
    private static final SerializableString VERSION = new SerializedString(VERSION_TEXT);
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString METHOD = new SerializedString("method");
    private static final SerializableString PARAMS = new SerializedString("params");
    private static final SerializableString RESULT = new SerializedString("result");
    private static final SerializableString ERROR = new SerializedString("error");
    private static final SerializableString CODE = new SerializedString("code");
    private static final SerializableString MESSAGE = new SerializedString("message");
    private static final SerializableString DATA = new SerializedString("data");

    /** A codec; {@link #INSTANCE} is the usual way to get one. */
    public JsonRpcCodec() {
    }

    /**
     * The decoded elements of a JSON-RPC batch (protocol version 2025-03-26 only).
     *
     * @param entries the elements in input order, never empty
     * @param array   whether the input was a JSON array; a single message must be answered with a single
     *                response, an array with an array
     */
    public record Batch(List<Entry> entries, boolean array) {
        /** Copies the entries; a batch is never empty. */
        public Batch {
            entries = List.copyOf(entries);
            if (entries.isEmpty()) {
                throw new IllegalArgumentException(
                        "a batch needs at least one entry; an empty array is an invalid request");
            }
        }
    }

    /**
     * One element of a {@link Batch}: exactly one of a decoded message or the error that answers the element.
     *
     * @param message the decoded message, or null when the element was invalid
     * @param error   why the element is invalid, or null when it decoded
     */
    public record Entry(JsonRpcMessage message, JsonRpcException error) {
        /** Checks that exactly one of message and error is set. */
        public Entry {
            if ((message == null) == (error == null)) {
                throw new IllegalArgumentException("a batch entry holds exactly one of message or error");
            }
        }
    }

    /** Decodes exactly one message from UTF-8 bytes; batch arrays are rejected. */
    public JsonRpcMessage decode(byte[] utf8) {
        return decode(utf8, utf8.length);
    }

    /**
     * Decodes exactly one message from the first {@code length} UTF-8 bytes of {@code utf8}, ignoring the rest of
     * the array: for a reused buffer, which spares a transport an array of each message's size. Nothing decoded
     * refers to the array, which may be reused as soon as this returns. Batch arrays are rejected.
     *
     * @throws IndexOutOfBoundsException when {@code length} is negative or beyond the array
     */
    public JsonRpcMessage decode(byte[] utf8, int length) {
        return decode(utf8, 0, length);
    }

    /**
     * Decodes exactly one message from the {@code length} UTF-8 bytes of {@code utf8} from {@code offset}, reading
     * nothing outside them: for a line in a transport's read buffer, which spares it a copy of each line. Errors
     * report the same positions as for a copy of those bytes, counted from the message's start. Nothing decoded
     * refers to the array, which may be reused as soon as this returns. Batch arrays are rejected.
     *
     * @throws IndexOutOfBoundsException when {@code offset} or {@code length} is negative, or the range goes beyond
     *                                   the array
     */
    public JsonRpcMessage decode(byte[] utf8, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, utf8.length);
        return fromTree(parse(utf8, offset, length));
    }

    /** Decodes exactly one message from JSON text; batch arrays are rejected. */
    public JsonRpcMessage decode(String text) {
        ByteBuffer utf8;
        try {
            utf8 = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
        } catch (CharacterCodingException e) {
            throw new JsonRpcException(ErrorCodes.PARSE_ERROR, "Parse error: the text holds an unpaired surrogate "
                    + "character, which has no UTF-8 form", null, null, e);
        }
        return decode(utf8.array(), utf8.limit()); // the encoder's own buffer, from its start: no copy needed
    }

    /** Validates an already parsed tree as exactly one message; batch arrays are rejected. */
    public JsonRpcMessage fromTree(JsonNode node) {
        if (node.isArray()) {
            throw new JsonRpcException(ErrorCodes.INVALID_REQUEST,
                    "Batch arrays are not supported: send one JSON-RPC message at a time "
                            + "(only protocol version 2025-03-26 allows batches)");
        }
        return decodeObject(node);
    }

    /**
     * Decodes input that may be a batch array (protocol version 2025-03-26). Each element is decoded on its
     * own and an invalid element becomes an error entry; input that is not an array yields a batch of one.
     *
     * @throws JsonRpcException {@link ErrorCodes#PARSE_ERROR} when the input is not JSON,
     *                          {@link ErrorCodes#INVALID_REQUEST} when it is an empty array
     */
    public Batch decodeBatch(byte[] utf8) {
        return decodeBatch(utf8, utf8.length);
    }

    /**
     * {@link #decodeBatch(byte[])} of the first {@code length} bytes of {@code utf8}, ignoring the rest of the array:
     * for a reused buffer, which may be reused as soon as this returns (see {@link #decode(byte[], int)}).
     *
     * @throws IndexOutOfBoundsException when {@code length} is negative or beyond the array
     */
    public Batch decodeBatch(byte[] utf8, int length) {
        Objects.checkFromIndexSize(0, length, utf8.length);
        JsonNode root = parse(utf8, 0, length);
        if (!root.isArray()) {
            return new Batch(List.of(entry(root)), false);
        }
        if (root.isEmpty()) {
            throw invalid("an empty batch array is not a valid request; send at least one message", null);
        }
        List<Entry> entries = new ArrayList<>(root.size());
        for (JsonNode element : root) {
            entries.add(entry(element));
        }
        return new Batch(entries, true);
    }

    /** Encodes one message as compact UTF-8 JSON without a trailing newline. */
    public byte[] encode(JsonRpcMessage message) {
        byte[] written = MessageWriter.encode(message);
        return written != null ? written : withJackson(message);
    }

    /**
     * The message as Jackson's generator writes it: for trees holding node kinds {@link MessageWriter} leaves to
     * Jackson (POJO, binary and missing nodes), and the reference the writer's output is tested against.
     */
    static byte[] withJackson(JsonRpcMessage message) {
        return encoded(g -> writeMessage(g, message));
    }

    /** Encodes one message as compact JSON text without a trailing newline. */
    public String encodeToString(JsonRpcMessage message) {
        return new String(encode(message), StandardCharsets.UTF_8);
    }

    /**
     * Writes one message as compact UTF-8 JSON to {@code out}. Adds no newline and neither flushes nor closes
     * the stream: framing belongs to the transport.
     */
    public void write(JsonRpcMessage message, OutputStream out) throws IOException {
        out.write(encode(message));
    }

    /** Encodes messages as one JSON array (protocol version 2025-03-26 batches). */
    public byte[] encodeBatch(List<? extends JsonRpcMessage> messages) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException(
                    "cannot encode an empty batch: when nothing needs an answer, send no response at all");
        }
        byte[] written = MessageWriter.encodeBatch(messages);
        return written != null ? written : batchWithJackson(messages);
    }

    /** The batch as Jackson's generator writes it; see {@link #withJackson}. */
    static byte[] batchWithJackson(List<? extends JsonRpcMessage> messages) {
        return encoded(g -> {
            g.writeStartArray();
            for (JsonRpcMessage message : messages) {
                writeMessage(g, message);
            }
            g.writeEndArray();
        });
    }

    /**
     * What {@code writing} writes, as bytes. The output buffer comes from Jackson's shared pool and goes back to it,
     * so a message allocates its exact-size result and no buffer of its own (a fresh one per message was 4 % of
     * what a call through the front door allocated).
     */
    private static byte[] encoded(Writing writing) {
        BufferRecycler recycler = Json.recycler();
        try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) {
            try (JsonGenerator g = generator(out)) {
                writing.write(g);
            }
            return out.getClearAndRelease();
        } catch (IOException e) {
            throw cannotEncode(e);
        } finally {
            recycler.releaseToPool();
        }
    }

    /** Writes JSON to a generator. */
    private interface Writing {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * The message as a tree with the same members, in the same order, as {@link #encode}. The tree is a copy:
     * changing it does not change the message.
     */
    public ObjectNode toTree(JsonRpcMessage message) {
        try (TokenBuffer buffer = new TokenBuffer(Json.mapper(), false)) {
            writeMessage(buffer, message);
            try (JsonParser parser = buffer.asParser()) {
                return Json.mapper().readTree(parser);
            }
        } catch (IOException e) {
            throw cannotEncode(e);
        }
    }

    /** The one JSON value of the range, checked to be UTF-8 first; offsets in errors count from its start. */
    private static JsonNode parse(byte[] utf8, int offset, int length) {
        requireUtf8(utf8, offset, length);
        JsonNode root;
        try {
            root = TreeReader.readAll(utf8, offset, length);
        } catch (NumberFormatException e) {
            throw numberOutOfRange(e);
        }
        return requireContent(root);
    }

    private static void requireUtf8(byte[] bytes, int offset, int length) {
        // Jackson guesses UTF-16/32 from NUL bytes at the start; a NUL byte is never valid in JSON text, and
        // MCP messages are UTF-8 only.
        for (int i = 0, n = Math.min(4, length); i < n; i++) {
            if (bytes[offset + i] == 0) {
                throw new JsonRpcException(ErrorCodes.PARSE_ERROR, "Parse error: NUL byte at offset " + i
                        + "; send the message as UTF-8 (UTF-16 and UTF-32 are not accepted)");
            }
        }
        int invalid = Utf8.firstInvalidOffset(bytes, offset, length);
        if (invalid >= 0) {
            throw new JsonRpcException(ErrorCodes.PARSE_ERROR, "Parse error: invalid UTF-8 at byte offset " + invalid
                    + "; send the message as UTF-8");
        }
    }

    private static JsonNode requireContent(JsonNode root) {
        if (root == null) {
            throw new JsonRpcException(ErrorCodes.PARSE_ERROR, "Parse error: the input is empty; send one JSON object");
        }
        return root;
    }

    private static JsonRpcException numberOutOfRange(NumberFormatException e) {
        // Jackson lets this escape for exponents beyond BigDecimal's range, such as 1e9999999999.
        return new JsonRpcException(ErrorCodes.PARSE_ERROR,
                "Parse error: a number literal is out of range (its exponent is too large)", null, null, e);
    }

    private static Entry entry(JsonNode element) {
        try {
            return new Entry(decodeObject(element), null);
        } catch (JsonRpcException e) {
            return new Entry(null, e);
        }
    }

    private static JsonRpcMessage decodeObject(JsonNode node) {
        if (!node.isObject()) {
            throw invalid("a JSON-RPC message must be a JSON object, not " + describe(node), null);
        }
        JsonNode idNode = node.get("id");
        RequestId id = readableId(idNode);
        JsonNode version = node.get("jsonrpc");
        if (version == null) {
            throw invalid("the \"jsonrpc\" member is missing; it must be the string \"2.0\"", id);
        }
        if (!version.isTextual() || !VERSION_TEXT.equals(version.textValue())) {
            throw invalid("\"jsonrpc\" must be the string \"2.0\", not "
                    + (version.isTextual() ? "another string" : describe(version)), id);
        }
        JsonNode method = node.get("method");
        JsonNode result = node.get("result");
        JsonNode error = node.get("error");
        if (method != null) {
            if (result != null || error != null) {
                throw invalid("a message cannot have both \"method\" and \"result\" or \"error\"", id);
            }
            return decodeCall(idNode, id, method, node.get("params"));
        }
        if (result == null && error == null) {
            throw invalid("a message needs \"method\" (request or notification) "
                    + "or \"result\" or \"error\" (response)", id);
        }
        if (result != null && error != null) {
            throw invalid("a response has exactly one of \"result\" and \"error\", not both", id);
        }
        return decodeResponse(idNode, id, result, error);
    }

    private static JsonRpcMessage decodeCall(JsonNode idNode, RequestId id, JsonNode method, JsonNode params) {
        if (!method.isTextual() || method.textValue().isEmpty()) {
            throw invalid("\"method\" must be a non-empty string, not " + describe(method), id);
        }
        if (params != null && params.isNull()) {
            params = null;
        }
        if (params != null && !params.isObject() && !params.isArray()) {
            throw invalid("\"params\" must be an object or an array, not " + describe(params), id);
        }
        if (idNode == null) {
            return new JsonRpcNotification(method.textValue(), params);
        }
        if (id == null) {
            throw invalid(idProblem(idNode), null);
        }
        return new JsonRpcRequest(id, method.textValue(), params);
    }

    private static JsonRpcResponse decodeResponse(JsonNode idNode, RequestId id, JsonNode result, JsonNode error) {
        if (idNode == null) {
            throw invalid("a response needs an \"id\" (null only for an error answering an unreadable id)", null);
        }
        if (id == null && !(idNode.isNull() && error != null)) {
            throw invalid(idNode.isNull() ? "a successful response needs the id of its request, not null"
                    : idProblem(idNode), null);
        }
        if (result != null) {
            return JsonRpcResponse.success(id, result);
        }
        return JsonRpcResponse.failure(id, readError(error, id));
    }

    private static JsonRpcError readError(JsonNode error, RequestId id) {
        if (!error.isObject()) {
            throw invalid("\"error\" must be an object with \"code\" and \"message\", not " + describe(error), id);
        }
        JsonNode code = error.get("code");
        if (code == null) {
            throw invalid("\"error\" needs an integer \"code\"", id);
        }
        if (!code.isIntegralNumber() || !code.canConvertToInt()) {
            throw invalid("\"error.code\" must be an integer in the 32-bit range, not "
                    + (code.isIntegralNumber() ? "an integer outside it" : describe(code)), id);
        }
        JsonNode message = error.get("message");
        if (message == null) {
            throw invalid("\"error\" needs a string \"message\"", id);
        }
        if (!message.isTextual()) {
            throw invalid("\"error.message\" must be a string, not " + describe(message), id);
        }
        JsonNode data = error.get("data");
        return new JsonRpcError(code.intValue(), message.textValue(), data == null || data.isNull() ? null : data);
    }

    /** The id when it is a valid one, so errors can be answered under it; otherwise null. */
    private static RequestId readableId(JsonNode idNode) {
        if (idNode == null) {
            return null;
        }
        if (idNode.isTextual()) {
            return RequestId.of(idNode.textValue());
        }
        if (idNode.isIntegralNumber() && idNode.canConvertToLong()) {
            return RequestId.of(idNode.longValue());
        }
        return null;
    }

    private static String idProblem(JsonNode idNode) {
        if (idNode.isNull()) {
            return "\"id\" must not be null (MCP forbids null request ids); use a string or an integer";
        }
        if (idNode.isIntegralNumber()) {
            return "\"id\" is an integer outside the 64-bit range; use a smaller integer or a string";
        }
        return "\"id\" must be a string or an integer, not " + describe(idNode);
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            case STRING -> node.textValue().isEmpty() ? "an empty string" : "a string";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a fractional number";
            case MISSING -> "a missing node";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static JsonRpcException invalid(String detail, RequestId id) {
        return new JsonRpcException(ErrorCodes.INVALID_REQUEST, "Invalid Request: " + detail, id);
    }

    private static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        return g;
    }

    private static void writeMessage(JsonGenerator g, JsonRpcMessage message) throws IOException {
        g.writeStartObject();
        g.writeFieldName(JSONRPC);
        g.writeString(VERSION);
        switch (message) {
            case JsonRpcRequest request -> {
                writeId(g, request.id());
                writeCall(g, request.method(), request.params());
            }
            case JsonRpcNotification notification -> writeCall(g, notification.method(), notification.params());
            case JsonRpcResponse response -> {
                writeId(g, response.id());
                if (response.error() == null) {
                    g.writeFieldName(RESULT);
                    TREE_WRITER.writeValue(g, response.result());
                } else {
                    writeError(g, response.error());
                }
            }
        }
        g.writeEndObject();
    }

    private static void writeId(JsonGenerator g, RequestId id) throws IOException {
        g.writeFieldName(ID);
        switch (id) {
            case null -> g.writeNull();
            case RequestId.Text text -> g.writeString(text.value());
            case RequestId.Number number -> {
                // Same bytes either way; the int form makes toTree() build the IntNode that parsing would build.
                long value = number.value();
                if (value == (int) value) {
                    g.writeNumber((int) value);
                } else {
                    g.writeNumber(value);
                }
            }
        }
    }

    private static void writeCall(JsonGenerator g, String method, JsonNode params) throws IOException {
        g.writeFieldName(METHOD);
        g.writeString(method);
        if (params != null && !params.isNull()) {
            g.writeFieldName(PARAMS);
            TREE_WRITER.writeValue(g, params);
        }
    }

    private static void writeError(JsonGenerator g, JsonRpcError error) throws IOException {
        g.writeFieldName(ERROR);
        g.writeStartObject();
        g.writeFieldName(CODE);
        g.writeNumber(error.code());
        g.writeFieldName(MESSAGE);
        g.writeString(error.message());
        if (error.data() != null) {
            g.writeFieldName(DATA);
            TREE_WRITER.writeValue(g, error.data());
        }
        g.writeEndObject();
    }

    private static IllegalArgumentException cannotEncode(IOException e) {
        String detail = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
        return new IllegalArgumentException("cannot encode the message as JSON: " + detail
                + "; check that params, result and error data are plain JSON trees", e);
    }
}
