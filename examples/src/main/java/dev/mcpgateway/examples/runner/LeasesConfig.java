package dev.mcpgateway.examples.runner;

import dev.mcpgateway.GatewayConfig;
import java.time.Duration;

/**
 * The runner's {@code leases:} section: how the gateway treats instances registered with a lease (over the management
 * API), whose registration lapses unless renewed. The runner's own plugins hold no lease. Every key is optional and
 * takes {@link GatewayConfig}'s default.
 *
 * @param checkInterval    how often lapsed leases are looked for, 1 s by default
 * @param evictionMaxShare the largest share of leased instances removed per {@code evictionWindow} (at least one), 0.15
 *                         by default: many leases lapsing at once more likely means a network fault than dead plugins
 * @param evictionWindow   the sliding window {@code evictionMaxShare} applies to, 60 s by default
 */
public record LeasesConfig(Duration checkInterval, Double evictionMaxShare, Duration evictionWindow) {
    /** The defaults. */
    public static final LeasesConfig DEFAULT = new LeasesConfig(null, null, null);

    public LeasesConfig {
        try {
            applyTo(GatewayConfig.builder(), checkInterval, evictionMaxShare, evictionWindow).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("leases: " + e.getMessage(), e);
        }
    }

    /** Puts the section into a gateway configuration. */
    GatewayConfig.Builder applyTo(GatewayConfig.Builder builder) {
        return applyTo(builder, checkInterval, evictionMaxShare, evictionWindow);
    }

    private static GatewayConfig.Builder applyTo(GatewayConfig.Builder builder, Duration checkInterval,
                                                 Double evictionMaxShare, Duration evictionWindow) {
        if (checkInterval != null) {
            builder.leaseCheckInterval(checkInterval);
        }
        if (evictionMaxShare != null) {
            builder.leaseEvictionMaxShare(evictionMaxShare);
        }
        if (evictionWindow != null) {
            builder.leaseEvictionWindow(evictionWindow);
        }
        return builder;
    }
}
