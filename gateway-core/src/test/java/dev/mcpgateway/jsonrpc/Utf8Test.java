package dev.mcpgateway.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {
    @ParameterizedTest
    @ValueSource(strings = {"", "41", "7F", "C280", "C3A9", "DFBF", "E0A080", "E4B8AD", "ED9FBF", "EE8080", "EFBFBF",
            "F0908080", "F09F9880", "F48FBFBF", "EFBBBF7B7D", "00"})
    void wellFormed(String hex) {
        assertEquals(-1, firstInvalidOffset(HexFormat.of().parseHex(hex)));
    }

    @ParameterizedTest
    @CsvSource({
            "80, 0", "BF, 0", "C0AF, 0", "C180, 0", "C328, 0", "41C3, 1", "E08080, 0", "E09FBF, 0", "EDA080, 0",
            "EDBFBF, 0", "E282, 0", "E28228, 0", "F08F8080, 0", "F4908080, 0", "F5808080, 0", "F8, 0", "FE, 0",
            "FF, 0", "F09F98, 0", "4142F09F988041FF, 7", "C3A9C3, 2"})
    void illFormed(String hex, int offset) {
        assertEquals(offset, firstInvalidOffset(HexFormat.of().parseHex(hex)));
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(0x5EED_0F_07F8L);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(13)];
            for (int i = 0; i < bytes.length; i++) {
                // Pick ASCII, continuation and lead bytes equally often so multi-byte sequences are common.
                bytes[i] = (byte) switch (random.nextInt(3)) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> 0x80 + random.nextInt(0x40);
                    default -> 0xC0 + random.nextInt(0x40);
                };
            }
            assertEquals(jdkFirstInvalidOffset(bytes), firstInvalidOffset(bytes), HexFormat.of().formatHex(bytes));
        }
    }

    /**
     * The offset for {@code bytes} at the start of a longer array and in its middle, which agree. Around them are
     * bytes not to be checked: a lead byte before that lacks one continuation, which the first of {@code bytes} may
     * give it, and ill-formed or continuing bytes after.
     */
    private static int firstInvalidOffset(byte[] bytes) {
        byte[] before = {(byte) 0xE2, (byte) 0x82};
        int atStart = Utf8.firstInvalidOffset(padded(new byte[0], bytes, (byte) 0xFF), 0, bytes.length);
        int inMiddle = Utf8.firstInvalidOffset(padded(before, bytes, (byte) 0x80), before.length, bytes.length);
        assertEquals(atStart, inMiddle, "in the middle of an array");
        return atStart;
    }

    private static byte[] padded(byte[] before, byte[] bytes, byte after) {
        byte[] padded = Arrays.copyOf(before, before.length + bytes.length + 1);
        System.arraycopy(bytes, 0, padded, before.length, bytes.length);
        padded[padded.length - 1] = after;
        return padded;
    }

    private static int jdkFirstInvalidOffset(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = decoder.decode(in, CharBuffer.allocate(bytes.length * 2 + 2), true);
        return result.isError() ? in.position() : -1;
    }
}
