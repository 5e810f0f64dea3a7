package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class UnreadBodiesTest {
    @Test
    void aBodyUpToTheLimitIsReadToItsEndAndOneByteMoreIsNot() {
        ByteArrayInputStream atLimit = new ByteArrayInputStream(new byte[UnreadBodies.DISCARD_MAX_BYTES]);
        assertTrue(UnreadBodies.discarded(atLimit));
        assertEquals(0, atLimit.available(), "read to its end");

        ByteArrayInputStream beyond = new ByteArrayInputStream(new byte[UnreadBodies.DISCARD_MAX_BYTES + 100]);
        assertFalse(UnreadBodies.discarded(beyond));
        assertEquals(99, beyond.available(), "no further than one byte past the limit");

        assertTrue(UnreadBodies.discarded(InputStream.nullInputStream()));
    }

    @Test
    void aBodyThatCannotBeReadIsNotDropped() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("the client left");
            }
        };
        assertFalse(UnreadBodies.discarded(broken));
    }
}
