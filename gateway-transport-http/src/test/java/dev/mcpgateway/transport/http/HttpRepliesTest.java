package dev.mcpgateway.transport.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.internal.transport.http.BodyBuffers;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HttpRepliesTest {
    private static final byte[] MESSAGE = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"text\":\"h\\u00e9llo\"}}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aSmallBodyIsReadIntoASharedBufferAndDecodesAsItsOwnArrayWould() throws IOException {
        BodyBuffers.Body body = read(MESSAGE, MESSAGE.length);
        try {
            assertNotNull(body.pool());
            assertEquals(MESSAGE.length, body.length());
            assertArrayEquals(MESSAGE, body.bytes());
            JsonRpcMessage decoded = HttpReplies.decodeOrNull(body.array(), body.length());
            assertEquals(HttpReplies.CODEC.decode(MESSAGE), decoded);
        } finally {
            body.release();
        }
    }

    @Test
    void aBodyLargerThanTheBuffersOrOfUnknownLengthGetsAnArrayOfItsOwn() throws IOException {
        byte[] large = new byte[BodyBuffers.BYTES + 1];
        Arrays.fill(large, (byte) ' ');
        BodyBuffers.Body body = read(large, large.length);
        assertNull(body.pool());
        assertArrayEquals(large, body.bytes());

        BodyBuffers.Body unannounced = HttpReplies.readMessage(new ByteArrayInputStream(MESSAGE), OptionalLong.empty());
        assertNull(unannounced.pool());
        assertArrayEquals(MESSAGE, unannounced.bytes());
    }

    @Test
    void aBodyCutShortFailsAndGivesItsBufferBack() throws IOException {
        for (int i = 0; i < 100; i++) { // more than there are buffers: one kept by a failure would run them out
            IOException cut = assertThrows(IOException.class, () -> read(MESSAGE, MESSAGE.length + 1));
            assertTrue(cut.getMessage().contains("ended after " + MESSAGE.length + " of its"), cut.getMessage());
        }
        BodyBuffers.Body body = read(MESSAGE, MESSAGE.length);
        body.release();
        assertNotNull(body.pool());
    }

    private static BodyBuffers.Body read(byte[] bytes, int declared) throws IOException {
        return HttpReplies.readMessage(new ByteArrayInputStream(bytes), OptionalLong.of(declared));
    }
}
