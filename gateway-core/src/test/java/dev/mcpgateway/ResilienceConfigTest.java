package dev.mcpgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The tool grace period and the lease eviction share: defaults, and what is refused, with why. */
class ResilienceConfigTest {

    @Test
    void defaultsListADownPluginsToolsForAMinuteAndEvictAtMost15PercentOfLeasesPerPass() {
        GatewayConfig defaults = GatewayConfig.defaults();
        assertEquals(Duration.ofSeconds(60), defaults.toolGracePeriod());
        assertEquals(0.15, defaults.leaseEvictionMaxShare());
    }

    @Test
    void aZeroGracePeriodAndAShareOfOneAreAllowed() {
        GatewayConfig config = GatewayConfig.builder().toolGracePeriod(Duration.ZERO).leaseEvictionMaxShare(1).build();
        assertEquals(Duration.ZERO, config.toolGracePeriod());
        assertEquals(1.0, config.leaseEvictionMaxShare());
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
            assertEquals("leaseEvictionMaxShare must be above 0 and at most 1 (0.15: a lease check removes at most"
                    + " 15 % of the leased instances; 1: every lapsed one), got " + share, error.getMessage());
        }
    }
}
