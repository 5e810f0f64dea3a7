package dev.mcpgateway.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Feeds random and mutated input to the decoder: whatever arrives, the only failure is a JSON-RPC parse error or
 * invalid request, and whatever decodes encodes back to an equal message.
 */
class JsonRpcCodecPropertyTest {
    private static final JsonRpcCodec CODEC = JsonRpcCodec.INSTANCE;

    private static final List<String> VALID = List.of(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"hi\\n\",\"n\":[1,2.5,-3e2,null,true,false]}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"tools/list\",\"params\":{\"cursor\":\"c1\"}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":7,\"progress\":0.5,\"total\":1}}",
            "{\"jsonrpc\":\"2.0\",\"id\":9223372036854775807,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"caf\u00e9 \uD83D\uDE00\"}],\"isError\":false}}",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\",\"data\":{\"at\":[1,2]}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":-4,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}",
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}]");

    private static final byte[] JSON_BYTES = "{}[]\",:0123456789.eE-+ntrufalse\\ u\t\n".getBytes(StandardCharsets.UTF_8);

    private static final List<byte[]> SNIPPETS = List.of(
            bytes("["), bytes("]"), bytes("{"), bytes("}"), bytes("\""), bytes("\\"), bytes(","), bytes(":"),
            bytes("null"), bytes("true"), bytes("1e9999999999"), bytes("9223372036854775808"), bytes("1.5"),
            bytes("-0"), bytes("\"2.0\""), bytes("\"1.0\""), bytes("\"id\":"), bytes("\"method\":"),
            bytes("\"result\":"), bytes("\"error\":"), bytes("\"params\":"), bytes("\\ud800"), bytes("\\u0000"),
            new byte[] {0}, new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80},
            bytes("[".repeat(600)), bytes("7".repeat(1_001)));

    private final Random random = new Random(20_250_326L);
    private int decoded;
    private int parseErrors;
    private int invalidRequests;

    @Test
    void randomBytesOnlyEverYieldParseErrorOrInvalidRequest() {
        for (int round = 0; round < 3_000; round++) {
            byte[] input = new byte[random.nextInt(40)];
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextBoolean() ? (byte) random.nextInt(256) : JSON_BYTES[random.nextInt(JSON_BYTES.length)];
            }
            check(input);
        }
        assertTrue(parseErrors > 1_000, "most random input is not JSON: " + parseErrors);
    }

    @Test
    void mutatedMessagesOnlyEverYieldParseErrorOrInvalidRequest() {
        for (int round = 0; round < 5_000; round++) {
            byte[] input = bytes(VALID.get(random.nextInt(VALID.size())));
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                input = mutate(input);
            }
            check(input);
        }
        // The mutations must reach every outcome, or the test proves little.
        assertTrue(decoded > 200, "decoded: " + decoded);
        assertTrue(parseErrors > 200, "parse errors: " + parseErrors);
        assertTrue(invalidRequests > 200, "invalid requests: " + invalidRequests);
    }

    @Test
    void unmutatedSeedsDecode() {
        for (String json : VALID) {
            check(bytes(json));
            for (JsonRpcCodec.Entry entry : CODEC.decodeBatch(bytes(json)).entries()) {
                assertNull(entry.error(), json);
            }
        }
    }

    private byte[] mutate(byte[] input) {
        if (input.length == 0) {
            return SNIPPETS.get(random.nextInt(SNIPPETS.size()));
        }
        int at = random.nextInt(input.length);
        return switch (random.nextInt(6)) {
            case 0 -> replace(input, at, 1, new byte[] {(byte) random.nextInt(256)});
            case 1 -> replace(input, at, 1, new byte[] {JSON_BYTES[random.nextInt(JSON_BYTES.length)]});
            case 2 -> replace(input, at, 0, SNIPPETS.get(random.nextInt(SNIPPETS.size())));
            case 3 -> replace(input, at, Math.min(input.length - at, 1 + random.nextInt(8)), new byte[0]);
            case 4 -> java.util.Arrays.copyOf(input, at);
            default -> {
                int length = Math.min(input.length - at, 1 + random.nextInt(16));
                byte[] slice = java.util.Arrays.copyOfRange(input, at, at + length);
                yield replace(input, random.nextInt(input.length + 1), 0, slice);
            }
        };
    }

    private static byte[] replace(byte[] input, int at, int removed, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + inserted.length);
        out.write(input, 0, at);
        out.write(inserted, 0, inserted.length);
        out.write(input, at + removed, input.length - at - removed);
        return out.toByteArray();
    }

    private void check(byte[] input) {
        String hex = HexFormat.of().formatHex(input);
        JsonRpcMessage message = outcome(hex, () -> CODEC.decode(input));
        if (message != null) {
            decoded++;
            JsonRpcMessage again = outcome(hex, () -> CODEC.decode(CODEC.encode(message)));
            assertEquals(message, again, "decode(encode(m)) differs for input " + hex);
        }
        outcome(hex, () -> CODEC.decode(new String(input, StandardCharsets.UTF_8)));
        JsonRpcCodec.Batch batch = outcome(hex, () -> CODEC.decodeBatch(input));
        if (batch != null) {
            for (JsonRpcCodec.Entry entry : batch.entries()) {
                if (entry.error() != null) {
                    assertEquals(ErrorCodes.INVALID_REQUEST, entry.error().code(), "entry error for input " + hex);
                }
            }
        }
    }

    /** Runs the call; returns its value, or null after checking that it failed with a JSON-RPC decoding error. */
    private <T> T outcome(String hex, Supplier<T> call) {
        try {
            return call.get();
        } catch (JsonRpcException e) {
            if (e.code() == ErrorCodes.PARSE_ERROR) {
                parseErrors++;
                String message = e.getMessage();
                assertTrue(message.startsWith("Parse error: ") && !message.contains("Feature")
                        && !message.contains("Constraints") && !message.contains("REDACTED")
                        && !message.contains("com.fasterxml"), "input " + hex + " gave " + message);
            } else if (e.code() == ErrorCodes.INVALID_REQUEST) {
                invalidRequests++;
            } else {
                fail("unexpected code " + e.code() + " for input " + hex, e);
            }
            return null;
        } catch (Throwable t) {
            return fail("input " + hex + " threw " + t, t);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
