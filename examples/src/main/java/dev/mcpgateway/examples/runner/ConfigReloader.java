package dev.mcpgateway.examples.runner;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.plugin.PluginInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a new configuration to a running gateway as a diff ({@link ConfigDiff}): new plugins are started, removed
 * ones drained and deregistered, changed ones replaced new-before-old so their tools never vanish, and the routing
 * rules swapped at once. Unchanged plugins keep their processes and connections, clients keep their sessions, and
 * instances the configuration did not declare (registered over the API, say) are never touched. Settings only a
 * restart applies are named in one warning ({@link RestartSettings}). Not thread-safe by design: one reload at a
 * time, which {@link LiveReload} ensures.
 */
final class ConfigReloader {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    private final McpGateway gateway;
    private final RunnerConfig started;
    private final Duration startTimeout;
    private final Duration drainTimeout;
    private volatile RunnerConfig applied;
    private volatile List<PluginStatus> statuses;

    /**
     * @param started      the configuration the gateway was started with
     * @param statuses     how its plugins came up
     * @param startTimeout how long to wait for new instances before going on without them
     * @param drainTimeout how long a retired instance's calls in flight may take before it is removed anyway
     */
    ConfigReloader(McpGateway gateway, RunnerConfig started, List<PluginStatus> statuses, Duration startTimeout,
                   Duration drainTimeout) {
        this.gateway = gateway;
        this.started = started;
        this.applied = started;
        this.statuses = List.copyOf(statuses);
        this.startTimeout = startTimeout;
        this.drainTimeout = drainTimeout;
    }

    /** The configuration in force: the start's, with the plugins and rules of every reload since. */
    RunnerConfig applied() {
        return applied;
    }

    /** How each configured plugin came up, in configuration order; a reload updates those it started. */
    List<PluginStatus> statuses() {
        return statuses;
    }

    /**
     * Applies {@code next} and logs one INFO line summarising what changed.
     *
     * @return what was applied
     */
    ConfigDiff apply(RunnerConfig next) {
        ConfigDiff diff = ConfigDiff.between(applied, next);
        List<String> restart = RestartSettings.changed(started, next);
        // Timeouts, annotation trust and health checks first, so instances started below run with them; the rules
        // stay as they are until those instances are up, as the new rules may send calls to them.
        List<String> notLive = gateway.reconfigure(next.withRouting(applied.routing()).gatewayConfig()).join();
        if (notLive.contains("healthChecks")) {
            restart = new ArrayList<>(restart);
            restart.add("health (the gateway started with no health checks enabled)");
        }
        if (!restart.isEmpty()) {
            log.warn("reload: {} cannot change while the gateway runs; {} on restart", String.join(", ", restart),
                    restart.size() == 1 ? "it takes effect" : "they take effect");
        }
        // Retired only once their successors are started, so a changed plugin's tools stay listed throughout.
        Map<String, List<PluginInstance>> replaced = new LinkedHashMap<>();
        for (RunnerConfig.Plugin plugin : diff.changed()) {
            replaced.put(plugin.name(), PluginStarter.configInstances(gateway, plugin.name()));
        }
        Set<String> oldIds = new HashSet<>();
        replaced.values().forEach(instances -> instances.forEach(instance -> oldIds.add(instance.id())));
        List<RunnerConfig.Plugin> starting = new ArrayList<>(diff.added());
        starting.addAll(diff.changed());
        Map<String, PluginStatus> newStatuses = new LinkedHashMap<>();
        for (PluginStatus status : PluginStarter.start(gateway, starting, startTimeout, oldIds)) {
            newStatuses.put(status.name(), status);
        }
        if (diff.rulesChanged()) {
            gateway.replaceRoutingRules(diff.rules().stream().map(RoutingConfig.Rule::routingRule).toList()).join();
        }
        List<PluginInstance> retiring = new ArrayList<>();
        Map<String, RunnerConfig.Plugin> kept = new LinkedHashMap<>();
        for (RunnerConfig.Plugin plugin : diff.changed()) {
            PluginStatus status = newStatuses.get(plugin.name());
            if (status.up() == 0 && !replaced.get(plugin.name()).isEmpty()) {
                // None of the new instances serves: keep the old ones rather than lose the tools, and retire the
                // new ones; the entry stays as it was, so the next reload tries the change again.
                log.warn("reload: plugin '{}' keeps its running instances: the changed ones did not come up ({})",
                        plugin.name(), status.problem());
                PluginStarter.configInstances(gateway, plugin.name()).stream()
                        .filter(instance -> !oldIds.contains(instance.id()))
                        .forEach(retiring::add);
                kept.put(plugin.name(), applied.plugins().stream()
                        .filter(old -> old.name().equals(plugin.name())).findFirst().orElseThrow());
                newStatuses.remove(plugin.name());
            } else {
                retiring.addAll(replaced.get(plugin.name()));
            }
        }
        for (RunnerConfig.Plugin plugin : diff.removed()) {
            retiring.addAll(PluginStarter.configInstances(gateway, plugin.name()));
        }
        retire(retiring);
        applied = next.withPlugins(next.plugins().stream()
                .map(plugin -> kept.getOrDefault(plugin.name(), plugin)).toList());
        statuses = next.plugins().stream().map(plugin -> newStatuses.containsKey(plugin.name())
                ? newStatuses.get(plugin.name()) : previousStatus(plugin.name())).toList();
        log.info("reload: {}{}", diff.summary(), kept.isEmpty() ? "" : " (kept running: " + kept.keySet() + ")");
        return diff;
    }

    private PluginStatus previousStatus(String name) {
        return statuses.stream().filter(status -> status.name().equals(name)).findFirst().orElseThrow();
    }

    /** Drains all at once, each within the bound; one still busy after it is removed anyway and said so. */
    private void retire(List<PluginInstance> instances) {
        List<CompletableFuture<?>> retired = new ArrayList<>();
        for (PluginInstance instance : instances) {
            retired.add(gateway.drainAndDeregister(instance.id(), drainTimeout).handle((gone, error) -> {
                if (error == null) {
                    return CompletableFuture.completedFuture(gone);
                }
                if (error.getCause() instanceof TimeoutException || error instanceof TimeoutException) {
                    log.warn("reload: instance '{}' still had calls in flight after {}; removed anyway",
                            instance.id(), Durations.format(drainTimeout));
                } else {
                    log.warn("reload: retiring instance '{}' failed: {}; removing it", instance.id(),
                            PluginStarter.rootMessage(error));
                }
                return gateway.registry().deregister(instance.id()).exceptionally(ignored -> null);
            }).thenCompose(next -> next));
        }
        CompletableFuture.allOf(retired.toArray(CompletableFuture[]::new)).join();
    }
}
