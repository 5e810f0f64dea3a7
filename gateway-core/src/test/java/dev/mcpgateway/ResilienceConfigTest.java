package dev.mcpgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The tool grace period and lease self-preservation: defaults, and what is refused, with why. */
class ResilienceConfigTest {

    @Test
    void defaultsListADownPluginsToolsForAMinuteAndEvictAtMost15PercentOfLeasesPerMinute() {
        GatewayConfig defaults = GatewayConfig.defaults();
        assertEquals(Duration.ofSeconds(60), defaults.toolGracePeriod());
        assertEquals(0.15, defaults.leaseEvictionMaxShare());
        assertEquals(Duration.ofSeconds(60), defaults.leaseEvictionWindow());
    }

    @Test
    void aZeroGracePeriodAShareOfOneAndAWindowOfOneLeaseCheckAreAllowed() {
        GatewayConfig config = GatewayConfig.builder().toolGracePeriod(Duration.ZERO).leaseEvictionMaxShare(1)
                .leaseCheckInterval(Duration.ofSeconds(5)).leaseEvictionWindow(Duration.ofSeconds(5)).build();
        assertEquals(Duration.ZERO, config.toolGracePeriod());
        assertEquals(1.0, config.leaseEvictionMaxShare());
        assertEquals(Duration.ofSeconds(5), config.leaseEvictionWindow());
    }

    @Test
    void badValuesAreRefusedWithHelpfulMessages() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.builder().toolGracePeriod(Duration.ofSeconds(-1)).build());
        assertEquals("toolGracePeriod must not be negative (zero unlists a down plugin's tools at once), got PT-1S",
                negative.getMessage());
        NullPointerException missing = assertThrows(NullPointerException.class,
                () -> GatewayConfig.builder().toolGracePeriod(null).build());
        assertEquals("toolGracePeriod", missing.getMessage());

        for (double share : new double[] {0, -0.5, 1.5, Double.NaN}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> GatewayConfig.builder().leaseEvictionMaxShare(share).build());
            assertEquals("leaseEvictionMaxShare must be above 0 and at most 1 (0.15: lease checks remove at most"
                    + " 15 % of the leased instances per leaseEvictionWindow; 1: every lapsed one), got " + share,
                    error.getMessage());
        }

        IllegalArgumentException shortWindow = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.builder().leaseCheckInterval(Duration.ofSeconds(2))
                        .leaseEvictionWindow(Duration.ofSeconds(1)).build());
        assertEquals("leaseEvictionWindow must be at least leaseCheckInterval (PT2S), or every lease check would get a"
                + " fresh eviction budget; lengthen it (default 60 s) or, to evict every lapsed lease at once, set"
                + " leaseEvictionMaxShare to 1; got PT1S", shortWindow.getMessage());
        NullPointerException noWindow = assertThrows(NullPointerException.class,
                () -> GatewayConfig.builder().leaseEvictionWindow(null).build());
        assertEquals("leaseEvictionWindow: e.g. Duration.ofSeconds(60)", noWindow.getMessage());
    }
}
