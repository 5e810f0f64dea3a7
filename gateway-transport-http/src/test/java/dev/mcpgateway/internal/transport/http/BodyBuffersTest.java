package dev.mcpgateway.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

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
}
