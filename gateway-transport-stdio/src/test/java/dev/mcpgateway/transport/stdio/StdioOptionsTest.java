package dev.mcpgateway.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StdioOptionsTest {

    @Test
    void defaultsAreSixteenMebibyteLinesAndTwoSecondGraces() {
        StdioOptions defaults = StdioOptions.defaults();
        assertEquals(16 * 1024 * 1024, defaults.maxLineBytes());
        assertEquals(Duration.ofSeconds(2), defaults.shutdownGrace());
        assertEquals(Duration.ofSeconds(2), defaults.killGrace());
    }

    @Test
    void withersChangeOneValueOnly() {
        StdioOptions options = StdioOptions.defaults()
                .withMaxLineBytes(1024)
                .withShutdownGrace(Duration.ofMillis(50))
                .withKillGrace(Duration.ZERO);
        assertEquals(new StdioOptions(1024, Duration.ofMillis(50), Duration.ZERO), options);
    }

    @Test
    void invalidValuesAreRejectedWithAHint() {
        IllegalArgumentException lines =
                assertThrows(IllegalArgumentException.class, () -> StdioOptions.defaults().withMaxLineBytes(0));
        assertEquals("maxLineBytes must be positive, got 0; it bounds one JSON-RPC message, the default is "
                + "16777216 (16 MiB)", lines.getMessage());
        IllegalArgumentException grace = assertThrows(IllegalArgumentException.class,
                () -> StdioOptions.defaults().withKillGrace(Duration.ofSeconds(-1)));
        assertEquals("killGrace must not be negative, got PT-1S; use Duration.ZERO to skip the wait",
                grace.getMessage());
        NullPointerException missing = assertThrows(NullPointerException.class,
                () -> StdioOptions.defaults().withShutdownGrace(null));
        assertEquals("shutdownGrace", missing.getMessage());
    }
}
