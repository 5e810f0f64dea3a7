package dev.mcpgateway.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpClientOptionsTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        HttpClientOptions defaults = HttpClientOptions.defaults();

        assertEquals(Duration.ofSeconds(5), defaults.connectTimeout());
        assertEquals(Duration.ofSeconds(60), defaults.requestTimeout());
        assertEquals(Map.of(), defaults.headers());
        assertNull(defaults.bearerToken());
        assertNull(defaults.httpClient());
        assertEquals(Duration.ofSeconds(1), defaults.reconnectDelay());
        assertEquals(Duration.ofSeconds(30), defaults.maxReconnectDelay());
        assertEquals(3, defaults.maxResumeAttempts());
        assertEquals(Duration.ofSeconds(2), defaults.closeTimeout());
    }

    @Test
    void headersWithTheSameNameReplaceEachOtherWhateverTheCase() {
        HttpClientOptions options = HttpClientOptions.builder().header("X-Api-Key", "one").build()
                .withHeaders(Map.of("x-api-key", "two", "X-Other", "three"));

        assertEquals(Map.of("x-api-key", "two", "X-Other", "three"), options.headers());
    }

    @Test
    void toStringNamesHeadersButNeverTheirValuesOrTheToken() {
        String text = HttpClientOptions.builder().header("Authorization", "Bearer s3cr3t").bearerToken(() -> "t0k3n")
                .build().toString();

        assertTrue(text.contains("Authorization"), text);
        assertFalse(text.contains("s3cr3t"), text);
        assertFalse(text.contains("t0k3n"), text);
    }

    @Test
    void headersTheTransportManagesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpClientOptions.builder().header("mcp-session-id", "x").build());

        assertTrue(e.getMessage().contains("set by the HTTP transport itself"), e.getMessage());
    }

    @Test
    void headersTheJdkRefusesAreReportedWithoutTheirValue() {
        IllegalArgumentException restricted = assertThrows(IllegalArgumentException.class,
                () -> HttpClientOptions.builder().header("Host", "evil").build());
        IllegalArgumentException badValue = assertThrows(IllegalArgumentException.class,
                () -> HttpClientOptions.builder().header("X-Key", "sec\nret").build());

        assertTrue(restricted.getMessage().contains("'Host'"), restricted.getMessage());
        assertFalse(badValue.getMessage().contains("sec"), badValue.getMessage());
    }

    @Test
    void invalidDurationsAndCountsSayWhatIsWrong() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> HttpClientOptions.builder().requestTimeout(Duration.ZERO).build());
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> HttpClientOptions.builder().reconnectDelay(Duration.ofSeconds(5), Duration.ofSeconds(1)).build());
        IllegalArgumentException attempts = assertThrows(IllegalArgumentException.class,
                () -> HttpClientOptions.builder().maxResumeAttempts(-1).build());

        assertTrue(zero.getMessage().startsWith("requestTimeout must be positive"), zero.getMessage());
        assertTrue(order.getMessage().contains("maxReconnectDelay"), order.getMessage());
        assertTrue(attempts.getMessage().contains("maxResumeAttempts"), attempts.getMessage());
    }
}
