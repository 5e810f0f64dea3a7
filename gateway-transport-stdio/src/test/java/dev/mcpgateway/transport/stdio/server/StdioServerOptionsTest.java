package dev.mcpgateway.transport.stdio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StdioServerOptionsTest {

    @Test
    void defaultsAreSixteenMebibyteLinesAndATwoSecondDrain() {
        StdioServerOptions defaults = StdioServerOptions.defaults();
        assertEquals(16 * 1024 * 1024, defaults.maxLineBytes());
        assertEquals(Duration.ofSeconds(2), defaults.drainTimeout());
    }

    @Test
    void withersChangeOneValueOnly() {
        StdioServerOptions options = StdioServerOptions.defaults().withMaxLineBytes(1024);
        assertEquals(new StdioServerOptions(1024, Duration.ofSeconds(2)), options);
        assertEquals(new StdioServerOptions(1024, Duration.ZERO), options.withDrainTimeout(Duration.ZERO));
    }

    @Test
    void invalidValuesAreRejectedWithAHint() {
        IllegalArgumentException lines = assertThrows(IllegalArgumentException.class,
                () -> StdioServerOptions.defaults().withMaxLineBytes(-1));
        assertEquals("maxLineBytes must be positive, got -1; it bounds one JSON-RPC message, the default is "
                + "16777216 (16 MiB)", lines.getMessage());
        IllegalArgumentException drain = assertThrows(IllegalArgumentException.class,
                () -> StdioServerOptions.defaults().withDrainTimeout(Duration.ofMillis(-1)));
        assertEquals("drainTimeout must not be negative, got PT-0.001S; use Duration.ZERO to cancel calls in flight "
                + "as soon as stdin ends", drain.getMessage());
        NullPointerException missing = assertThrows(NullPointerException.class,
                () -> StdioServerOptions.defaults().withDrainTimeout(null));
        assertEquals("drainTimeout", missing.getMessage());
    }
}
