package dev.mcpgateway.internal.gateway;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.routing.RoutingRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which settings of a {@link GatewayConfig} a running gateway cannot change: those its parts were built from (the
 * balancer and naming inside the routing table builder, the lease and store reconciliation schedules, the sessions, the limits, outlier
 * detection, the grace period, lease eviction), and health checks when none were enabled at the start (no prober
 * runs to take them). Everything else is read where it is used, per call or per instance, so it can change.
 */
public final class RestartOnly {
    private RestartOnly() {
    }

    /** The names of the settings that differ between the two but that a running gateway keeps. */
    public static List<String> differences(GatewayConfig current, GatewayConfig next, boolean probing) {
        List<String> kept = new ArrayList<>();
        differs(kept, "loadBalancer", current.loadBalancer().name(), next.loadBalancer().name());
        differs(kept, "toolNaming", current.toolNaming(), next.toolNaming());
        differs(kept, "leaseCheckInterval", current.leaseCheckInterval(), next.leaseCheckInterval());
        differs(kept, "sessionOptions", current.sessionOptions(), next.sessionOptions());
        differs(kept, "callLimits", current.callLimits(), next.callLimits());
        differs(kept, "rateLimits", current.rateLimits(), next.rateLimits());
        differs(kept, "outlierDetection", current.outlierDetection(), next.outlierDetection());
        differs(kept, "toolGracePeriod", current.toolGracePeriod(), next.toolGracePeriod());
        differs(kept, "leaseEvictionMaxShare", current.leaseEvictionMaxShare(), next.leaseEvictionMaxShare());
        differs(kept, "leaseEvictionWindow", current.leaseEvictionWindow(), next.leaseEvictionWindow());
        differs(kept, "storeReconcileInterval", current.storeReconcileInterval(), next.storeReconcileInterval());
        if (!probing && anyHealthChecks(next)) {
            kept.add("healthChecks");
        }
        return kept;
    }

    /** {@code next}, with the settings a running gateway keeps carried over from {@code current}. */
    public static GatewayConfig carriedOver(GatewayConfig current, GatewayConfig next, boolean probing) {
        return new GatewayConfig(current.loadBalancer(), next.routingRules(), current.toolNaming(),
                next.callTimeout(), current.leaseCheckInterval(),
                probing ? next.healthChecks() : current.healthChecks(),
                probing ? next.pluginHealthChecks() : current.pluginHealthChecks(), next.pluginCallTimeouts(),
                current.sessionOptions(), current.callLimits(), current.outlierDetection(), current.toolGracePeriod(),
                current.leaseEvictionMaxShare(), current.leaseEvictionWindow(), next.untrustedAnnotations(),
                current.rateLimits(), current.storeReconcileInterval());
    }

    /** {@code current} with other routing rules. */
    public static GatewayConfig withRules(GatewayConfig current, List<RoutingRule> rules) {
        return new GatewayConfig(current.loadBalancer(), rules, current.toolNaming(), current.callTimeout(),
                current.leaseCheckInterval(), current.healthChecks(), current.pluginHealthChecks(),
                current.pluginCallTimeouts(), current.sessionOptions(), current.callLimits(),
                current.outlierDetection(), current.toolGracePeriod(), current.leaseEvictionMaxShare(),
                current.leaseEvictionWindow(), current.untrustedAnnotations(), current.rateLimits(),
                current.storeReconcileInterval());
    }

    private static boolean anyHealthChecks(GatewayConfig config) {
        return config.healthChecks().enabled()
                || config.pluginHealthChecks().values().stream().anyMatch(HealthCheckOptions::enabled);
    }

    private static void differs(List<String> kept, String name, Object current, Object next) {
        if (!Objects.equals(current, next)) {
            kept.add(name);
        }
    }
}
