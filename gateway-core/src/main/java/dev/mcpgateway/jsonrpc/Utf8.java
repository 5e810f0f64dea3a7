package dev.mcpgateway.jsonrpc;

/**
 * Strict UTF-8 well-formedness check (Unicode 15, table 3-7). Jackson's parser decodes overlong forms,
 * encoded surrogates and code points above U+10FFFF without complaint, so the codec checks input first.
 */
final class Utf8 {
    private Utf8() {
    }

    /**
     * The offset, counted from {@code offset}, of the first byte that starts an ill-formed sequence, or -1 when the
     * {@code length} bytes of {@code bytes} from {@code offset} are UTF-8. No byte outside them is read: a sequence
     * that they cut short is ill-formed.
     */
    static int firstInvalidOffset(byte[] bytes, int offset, int length) {
        int invalid = firstInvalidIndex(bytes, offset, offset + length);
        return invalid < 0 ? -1 : invalid - offset;
    }

    /** The index of the first byte in [{@code from}, {@code to}) that starts an ill-formed sequence, or -1. */
    private static int firstInvalidIndex(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xFF;
            int length;
            // The second byte's range is narrower after E0, ED, F0 and F4: that is what excludes overlong forms,
            // surrogates and code points beyond U+10FFFF.
            int low = 0x80;
            int high = 0xBF;
            if (b < 0xC2) {
                return i;
            } else if (b < 0xE0) {
                length = 2;
            } else if (b < 0xF0) {
                length = 3;
                if (b == 0xE0) {
                    low = 0xA0;
                } else if (b == 0xED) {
                    high = 0x9F;
                }
            } else if (b < 0xF5) {
                length = 4;
                if (b == 0xF0) {
                    low = 0x90;
                } else if (b == 0xF4) {
                    high = 0x8F;
                }
            } else {
                return i;
            }
            if (i + length > to) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < low || second > high) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
