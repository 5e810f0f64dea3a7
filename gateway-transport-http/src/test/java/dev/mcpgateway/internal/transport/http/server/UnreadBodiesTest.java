package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

    @Test
    void anExchangeWhoseBodyCannotBeHadIsNotDropped() {
        HttpExchangeAdapter refusing = new HttpExchangeAdapter() {
            @Override
            public InputStream body() {
                throw new IllegalStateException("getReader() has already been called for this request");
            }

            @Override
            public String method() {
                return "POST";
            }

            @Override
            public String path() {
                return "/api/v1/plugins";
            }

            @Override
            public String query() {
                return null;
            }

            @Override
            public String header(String name) {
                return null;
            }

            @Override
            public String clientAddress() {
                return "127.0.0.1";
            }

            @Override
            public void setHeader(String name, String value) {
            }

            @Override
            public void send(int status, byte[] body) {
            }

            @Override
            public OutputStream stream(int status) {
                throw new UnsupportedOperationException("not streamed");
            }

            @Override
            public boolean isCommitted() {
                return false;
            }
        };

        assertFalse(UnreadBodies.discarded(refusing));
    }
}
