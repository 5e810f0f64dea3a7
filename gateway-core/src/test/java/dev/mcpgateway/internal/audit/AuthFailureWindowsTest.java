package dev.mcpgateway.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.internal.audit.AuthFailureWindows.Coalesced;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Authentication failures coalesced: one record per kind and window, a cap per second, bounded kinds, none lost. */
class AuthFailureWindowsTest {
    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private static AuthFailure from(String remote) {
        return new AuthFailure(AuthFailure.Surface.MCP, "signature invalid", remote, null);
    }

    private static int total(List<Coalesced> records) {
        return records.stream().mapToInt(Coalesced::count).sum();
    }

    @Test
    void theFirstOfAKindIsToldAtOnceTheRestOnceTheWindowPassed() {
        AuthFailureWindows windows = new AuthFailureWindows(WINDOW, 20, 100);
        assertEquals(List.of(new Coalesced(from("a"), 1)), windows.failed(from("a"), T0));
        for (int i = 0; i < 999; i++) {
            assertEquals(List.of(), windows.failed(from("a"), T0.plusMillis(i)));
        }
        assertEquals(List.of(), windows.expired(T0.plusSeconds(9)));
        assertEquals(List.of(new Coalesced(from("a"), 999)), windows.expired(T0.plusSeconds(10)));
        // Nothing counted since: the kind is forgotten at the next pass, and its next failure is told at once.
        assertEquals(List.of(), windows.expired(T0.plusSeconds(20)));
        assertEquals(List.of(new Coalesced(from("a"), 1)), windows.failed(from("a"), T0.plusSeconds(21)));
    }

    @Test
    void aFailureAfterItsWindowCarriesWhatTheWindowCounted() {
        AuthFailureWindows windows = new AuthFailureWindows(WINDOW, 20, 100);
        windows.failed(from("a"), T0);
        windows.failed(from("a"), T0.plusSeconds(1));
        assertEquals(List.of(new Coalesced(from("a"), 2)), windows.failed(from("a"), T0.plusSeconds(10)));
    }

    @Test
    void manyAddressesAreCappedPerSecondAndNothingIsLost() {
        AuthFailureWindows windows = new AuthFailureWindows(WINDOW, 20, 10_000);
        List<Coalesced> told = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            told.addAll(windows.failed(from("10.0." + i / 256 + "." + i % 256), T0));
        }
        assertEquals(20, told.size());
        for (int second = 10; second < 100; second++) {
            List<Coalesced> passed = windows.expired(T0.plusSeconds(second));
            assertEquals(true, passed.size() <= 20, "at most 20 a second");
            told.addAll(passed);
        }
        assertEquals(1000, total(told));
    }

    @Test
    void pastTheMostKindsNewAddressesCountAsOne() {
        AuthFailureWindows windows = new AuthFailureWindows(WINDOW, 1000, 3);
        List<Coalesced> told = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            told.addAll(windows.failed(from("10.0.0." + i), T0));
        }
        assertEquals(List.of("10.0.0.0", "10.0.0.1", "10.0.0.2", "*"),
                told.stream().map(record -> record.latest().remote()).toList());
        told.addAll(windows.drain());
        assertEquals(10, total(told));
        assertEquals(List.of(), windows.drain());
    }
}
