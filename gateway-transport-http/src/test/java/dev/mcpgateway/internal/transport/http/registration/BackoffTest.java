package dev.mcpgateway.internal.transport.http.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromTheInitialDelayUpToTheMaxWithTheLowestJitterHalvingEach() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.0);
        long[] expected = {250, 500, 1000, 2000, 4000, 8000, 15_000, 15_000};
        for (long millis : expected) {
            assertEquals(Duration.ofMillis(millis), backoff.next());
        }
        assertEquals(expected.length, backoff.failures());
    }

    @Test
    void theHighestJitterNearlyReachesTheFullDelayAndNeverPassesTheMax() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.999_999);
        for (int i = 0; i < 40; i++) {
            Duration next = backoff.next();
            assertEquals(true, next.compareTo(Duration.ofSeconds(30)) <= 0, "never above the max: " + next);
        }
        assertEquals(Duration.ofSeconds(30).minusNanos(15_000), backoff.next());
    }

    @Test
    void aResetStartsOverFromTheInitialDelay() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.5);
        backoff.next();
        backoff.next();
        backoff.reset();
        assertEquals(0, backoff.failures());
        assertEquals(Duration.ofMillis(75), backoff.next());
    }

    @Test
    void refusesAMaxBelowTheInitialDelay() {
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0.0));
    }
}
