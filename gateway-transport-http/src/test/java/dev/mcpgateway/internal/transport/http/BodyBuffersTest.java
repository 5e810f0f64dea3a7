package dev.mcpgateway.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BodyBuffersTest {
    @Test
    void makesNoMoreBuffersThanSlotsAndReusesTheOnesGivenBack() {
        BodyBuffers buffers = new BodyBuffers(2);
        byte[] first = buffers.take();
        byte[] second = buffers.take();

        assertNotNull(first);
        assertNotNull(second);
        assertNotSame(first, second);
        assertEquals(BodyBuffers.BYTES, first.length);
        assertNull(buffers.take(), "every buffer is in use");
        buffers.give(second);
        assertSame(second, buffers.take());
        buffers.give(first);
        buffers.give(second);
        byte[] again = buffers.take();
        assertSame(again == first ? second : first, buffers.take());
        assertNull(buffers.take());
    }

    @Test
    void readsABodyThatFitsIntoABufferAndALargerOneIntoItsOwnArray() throws IOException {
        BodyBuffers buffers = new BodyBuffers(1);
        byte[] small = "{\"jsonrpc\":\"2.0\"}".getBytes(StandardCharsets.UTF_8);

        BodyBuffers.Body pooled = buffers.read(new ByteArrayInputStream(small), small.length);
        assertSame(buffers, pooled.pool());
        assertEquals(BodyBuffers.BYTES, pooled.array().length);
        assertArrayEquals(small, pooled.bytes());
        BodyBuffers.Body meanwhile = buffers.read(new ByteArrayInputStream(small), small.length);
        assertNull(meanwhile.pool(), "the one buffer is in use: an array of its own");
        assertArrayEquals(small, meanwhile.array());
        pooled.release();

        byte[] large = new byte[BodyBuffers.BYTES + 1];
        BodyBuffers.Body own = buffers.read(new ByteArrayInputStream(large), large.length);
        assertNull(own.pool());
        assertSame(own.array(), own.bytes(), "an array of exactly its size is not copied");
        assertSame(pooled.array(), buffers.take(), "the buffer given back is reused");
    }

    @Test
    void aStreamEndingEarlyGivesFewerBytesAndAFailingOneGivesTheBufferBack() throws IOException {
        BodyBuffers buffers = new BodyBuffers(1);

        BodyBuffers.Body cut = buffers.read(new ByteArrayInputStream(new byte[] {'{', '}'}), 10);
        assertEquals(2, cut.length());
        cut.release();
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("the client left");
            }
        };
        assertThrows(IOException.class, () -> buffers.read(failing, 10));
        assertNotNull(buffers.take(), "the failed read's buffer came back");
    }

    @Test
    void aBufferIsWipedWhenGivenBackAndGivingItBackTwiceChangesNothing() throws IOException {
        BodyBuffers buffers = new BodyBuffers(2);
        byte[] secret = "{\"token\":\"s3cret\"}".getBytes(StandardCharsets.UTF_8);
        BodyBuffers.Body body = buffers.read(new ByteArrayInputStream(secret), secret.length);
        byte[] buffer = body.array();

        body.release();
        body.release();

        assertArrayEquals(new byte[secret.length], Arrays.copyOf(buffer, secret.length), "nothing left");
        assertSame(buffer, buffers.take());
        assertNotSame(buffer, buffers.take(), "given back once: it is in one slot, not two");
    }
}
