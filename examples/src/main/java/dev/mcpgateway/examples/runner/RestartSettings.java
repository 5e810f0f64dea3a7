package dev.mcpgateway.examples.runner;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The settings a running gateway cannot change: where and how it listens, its limits, its health checking, its
 * default balancer and tool naming, and the settings it holds by plugin name (a plugin's {@code timeout},
 * {@code toolTimeouts}, {@code health}, {@code trustAnnotations}), all fixed when the gateway was built. A reload
 * names the ones an edit changed, so the operator knows they take effect on restart.
 */
final class RestartSettings {
    /** What a reload applies itself: the plugins (by {@link ConfigDiff}) and the routing rules. */
    private static final Set<String> LIVE = Set.of("plugins", "routing.rules");

    private RestartSettings() {
    }

    /**
     * The settings, as YAML paths such as {@code server.port} or {@code plugins.files.timeout}, whose value in
     * {@code next} differs from the one {@code inEffect}, the configuration the gateway was started with.
     */
    static List<String> changed(RunnerConfig inEffect, RunnerConfig next) {
        List<String> changed = new ArrayList<>();
        compare("", inEffect, next, changed);
        Map<String, RunnerConfig.Plugin> started = inEffect.plugins().stream()
                .collect(Collectors.toMap(RunnerConfig.Plugin::name, Function.identity()));
        for (RunnerConfig.Plugin plugin : next.plugins()) {
            // A plugin the gateway was not started with runs with the defaults, whatever its entry says.
            RunnerConfig.Plugin before = started.getOrDefault(plugin.name(), plugin.instanceSettings());
            String at = "plugins." + plugin.name() + ".";
            if (!Objects.equals(before.timeout(), plugin.timeout())) {
                changed.add(at + "timeout");
            }
            if (!before.toolTimeouts().equals(plugin.toolTimeouts())) {
                changed.add(at + "toolTimeouts");
            }
            if (!Objects.equals(before.health(), plugin.health())) {
                changed.add(at + "health");
            }
            if (!before.trustAnnotations().equals(plugin.trustAnnotations())) {
                changed.add(at + "trustAnnotations");
            }
        }
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
