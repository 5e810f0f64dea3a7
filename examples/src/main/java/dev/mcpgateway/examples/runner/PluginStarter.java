package dev.mcpgateway.examples.runner;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the plugins of a configuration as {@link RegistrationSource#CONFIG} instances, at start and on reload, and
 * reports how each came up. A plugin that does not come up in time is reported, not thrown: it is retried in the
 * background while the others serve.
 */
final class PluginStarter {
    private static final Logger log = LoggerFactory.getLogger(PluginStarter.class);

    private PluginStarter() {
    }

    /**
     * Starts every plugin at once, then waits for all within one deadline.
     *
     * @param ignoredIds instances not to count as the plugins' own (those of an older version being replaced)
     */
    static List<PluginStatus> start(McpGateway gateway, List<RunnerConfig.Plugin> plugins, Duration timeout,
                                    Set<String> ignoredIds) {
        List<CompletableFuture<?>> started = new ArrayList<>();
        for (RunnerConfig.Plugin plugin : plugins) {
            List<CompletableFuture<PluginInstance>> instances = new ArrayList<>();
            Registration registration = Registration.of(plugin.manifest()).withSource(RegistrationSource.CONFIG);
            for (int i = 0; i < plugin.instances(); i++) {
                try {
                    instances.add(gateway.addPlugin(registration));
                } catch (RuntimeException e) {
                    instances.add(CompletableFuture.failedFuture(e));
                }
            }
            started.add(CompletableFuture.allOf(instances.toArray(CompletableFuture[]::new)));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<PluginStatus> statuses = new ArrayList<>();
        for (int i = 0; i < plugins.size(); i++) {
            RunnerConfig.Plugin plugin = plugins.get(i);
            String problem = awaitStart(started.get(i), deadline);
            int up = (int) configInstances(gateway, plugin.name()).stream()
                    .filter(instance -> !ignoredIds.contains(instance.id()))
                    .filter(instance -> instance.status() == InstanceStatus.UP)
                    .count();
            if (problem != null) {
                log.warn("plugin '{}' ({} {}) is not serving: {}; the other plugins serve, it is retried in the "
                        + "background", plugin.name(), plugin.transport(), target(plugin), problem);
            }
            statuses.add(new PluginStatus(plugin.name(), plugin.transport(), plugin.instances(), up, problem));
        }
        return statuses;
    }

    /** The instances of a plugin that the configuration declared; those registered otherwise are not the runner's. */
    static List<PluginInstance> configInstances(McpGateway gateway, String pluginName) {
        return gateway.registry().instances().stream()
                .filter(instance -> instance.source() == RegistrationSource.CONFIG)
                .filter(instance -> instance.pluginName().equals(pluginName))
                .toList();
    }

    private static String awaitStart(CompletableFuture<?> future, long deadline) {
        try {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (TimeoutException e) {
            return "did not come up in time";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while starting";
        } catch (ExecutionException | CompletionException e) {
            return rootMessage(e.getCause() == null ? e : e.getCause());
        }
    }

    /** The innermost message on one line, for logs and the banner. */
    static String rootMessage(Throwable error) {
        Throwable root = error;
        while ((root instanceof CompletionException || root instanceof ExecutionException) && root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName()
                : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String target(RunnerConfig.Plugin plugin) {
        return "http".equals(plugin.transport()) ? plugin.url() : plugin.command();
    }
}
