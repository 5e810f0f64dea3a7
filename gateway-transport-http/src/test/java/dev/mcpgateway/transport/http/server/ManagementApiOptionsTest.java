package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The management API's options: their defaults, the builder, and the refusals that say what to set instead. */
class ManagementApiOptionsTest {
    @Test
    void theDefaultsServeTheApiWithoutStdioRegistration() {
        ManagementApiOptions options = ManagementApiOptions.defaults();
        assertTrue(options.enabled());
        assertFalse(options.allowStdioRegistration(), "registering a stdio plugin runs a command: off by default");
        assertEquals(Duration.ofSeconds(30), options.defaultLease());
        assertEquals(Duration.ofHours(24), options.maxLease());
        assertEquals(1024 * 1024, options.maxBodyBytes());
        assertEquals(Duration.ofMinutes(5), options.maxDrainTimeout());
        assertEquals(Duration.ofSeconds(30), options.defaultDrainTimeout());
        assertFalse(ManagementApiOptions.disabled().enabled());
    }

    @Test
    void theBuilderSetsEveryOptionAndStartsOverFromExistingOptions() {
        ManagementApiOptions options = ManagementApiOptions.builder().enabled(false).allowStdioRegistration(true)
                .defaultLease(Duration.ofSeconds(10)).maxLease(Duration.ofMinutes(10)).maxBodyBytes(4096)
                .maxDrainTimeout(Duration.ofSeconds(20)).build();
        assertEquals(new ManagementApiOptions(false, true, Duration.ofSeconds(10), Duration.ofMinutes(10), 4096,
                Duration.ofSeconds(20)), options);
        assertEquals(options, options.toBuilder().build());
        assertEquals(Duration.ofSeconds(20), options.defaultDrainTimeout(), "capped by the longest drain");
    }

    @Test
    void invalidValuesAreRefusedWithWhatToDo() {
        assertMessage("defaultLease (60 s) must not exceed maxLease (30 s)", () -> ManagementApiOptions.builder()
                .defaultLease(Duration.ofSeconds(60)).maxLease(Duration.ofSeconds(30)).build());
        assertMessage("maxLease must be a positive whole number of seconds", () -> ManagementApiOptions.builder()
                .maxLease(Duration.ofMillis(1500)).build());
        assertMessage("defaultLease must be a positive whole number of seconds", () -> ManagementApiOptions.builder()
                .defaultLease(Duration.ZERO).build());
        assertMessage("maxBodyBytes must be between 1024 and", () -> ManagementApiOptions.builder()
                .maxBodyBytes(10).build());
        assertMessage("maxDrainTimeout must be a positive whole number of seconds", () -> ManagementApiOptions
                .builder().maxDrainTimeout(Duration.ofSeconds(-1)).build());
        assertThrows(NullPointerException.class, () -> ManagementApiOptions.builder().maxLease(null).build());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
