package dev.mcpgateway.examples.runner;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The settings a running gateway cannot change: where and how it listens, its limits, its default balancer and tool
 * naming, leases and plugin sessions, outlier detection and the grace period, fixed when the gateway was built. What
 * {@code McpGateway.reconfigure} applies live (call timeouts, per plugin and per tool; annotation trust; health
 * checks) and what a reload applies itself (plugins, routing rules) are not among them. A reload names the ones an
 * edit changed, so the operator knows they take effect on restart.
 */
final class RestartSettings {
    /**
     * What a reload applies: the plugins (by {@link ConfigDiff}), the routing rules, and what the gateway takes live,
     * the call timeout and the active health checks (the plugins' own timeouts, health and trust are part of
     * {@code plugins}). The grace period and outlier detection under {@code health} are not among them.
     */
    private static final Set<String> LIVE = Set.of("plugins", "routing.rules", "limits.callTimeout",
            "health.enabled", "health.interval", "health.timeout", "health.unhealthyThreshold",
            "health.healthyThreshold", "health.probe", "health.tool", "health.arguments", "health.recheckInterval",
            "health.jitter");

    private RestartSettings() {
    }

    /**
     * The settings, as YAML paths such as {@code server.port} or {@code plugins.files.timeout}, whose value in
     * {@code next} differs from the one {@code inEffect}, the configuration the gateway was started with.
     */
    static List<String> changed(RunnerConfig inEffect, RunnerConfig next) {
        List<String> changed = new ArrayList<>();
        compare("", inEffect, next, changed);
        return changed;
    }

    /** Names each differing leaf of two records of one type, descending into nested records. */
    private static void compare(String prefix, Record before, Record after, List<String> changed) {
        for (RecordComponent component : before.getClass().getRecordComponents()) {
            String path = prefix + component.getName();
            if (LIVE.contains(path)) {
                continue;
            }
            Object was = value(component, before);
            Object is = value(component, after);
            if (was instanceof Record wasRecord && is instanceof Record isRecord) {
                compare(path + ".", wasRecord, isRecord, changed);
            } else if (!Objects.equals(was, is)) {
                changed.add(path);
            }
        }
    }

    private static Object value(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + record.getClass(), e);
        }
    }
}
