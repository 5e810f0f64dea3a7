package dev.mcpgateway.examples.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a reload changes among the runner's own plugins and its routing rules: plugins added, removed or changed (by
 * name), and whether the rules are replaced. Only what the instances are started from counts as a change of a plugin
 * ({@link RunnerConfig.Plugin#instanceSettings()}); settings that need a restart are {@link RestartSettings}' to find.
 *
 * @param added        plugins in the new configuration only, as configured there
 * @param removed      plugins in the old configuration only, as configured there
 * @param changed      plugins in both whose instances must be replaced, as configured in the new one
 * @param rulesChanged whether the routing rules differ
 * @param rules        the new configuration's routing rules
 */
public record ConfigDiff(List<RunnerConfig.Plugin> added, List<RunnerConfig.Plugin> removed,
                         List<RunnerConfig.Plugin> changed, boolean rulesChanged, List<RoutingConfig.Rule> rules) {
    public ConfigDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        rules = List.copyOf(rules);
    }

    /** What turns {@code current} into {@code next}. */
    public static ConfigDiff between(RunnerConfig current, RunnerConfig next) {
        Map<String, RunnerConfig.Plugin> before = byName(current.plugins());
        Map<String, RunnerConfig.Plugin> after = byName(next.plugins());
        List<RunnerConfig.Plugin> added = new ArrayList<>();
        List<RunnerConfig.Plugin> changed = new ArrayList<>();
        for (RunnerConfig.Plugin plugin : next.plugins()) {
            RunnerConfig.Plugin old = before.get(plugin.name());
            if (old == null) {
                added.add(plugin);
            } else if (!old.instanceSettings().equals(plugin.instanceSettings())) {
                changed.add(plugin);
            }
        }
        List<RunnerConfig.Plugin> removed = current.plugins().stream()
                .filter(plugin -> !after.containsKey(plugin.name()))
                .toList();
        List<RoutingConfig.Rule> rules = next.routing().rules();
        return new ConfigDiff(added, removed, changed, !current.routing().rules().equals(rules), rules);
    }

    /** Whether nothing the reload can apply changes. */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && !rulesChanged;
    }

    /** One line for the log, e.g. {@code +notes, -weather, ~files, rules replaced (3)}, or {@code no changes}. */
    public String summary() {
        StringJoiner line = new StringJoiner(", ");
        added.forEach(plugin -> line.add("+" + plugin.name()));
        removed.forEach(plugin -> line.add("-" + plugin.name()));
        changed.forEach(plugin -> line.add("~" + plugin.name()));
        if (rulesChanged) {
            line.add("rules replaced (" + rules.size() + ")");
        }
        return line.length() == 0 ? "no changes" : line.toString();
    }

    private static Map<String, RunnerConfig.Plugin> byName(List<RunnerConfig.Plugin> plugins) {
        return plugins.stream().collect(Collectors.toMap(RunnerConfig.Plugin::name, Function.identity(),
                (a, b) -> a, LinkedHashMap::new));
    }
}
