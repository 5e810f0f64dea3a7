package dev.mcpgateway.internal.health;

import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.registry.Registry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Combines what the gateway's own health sources concluded about each instance (its connection, the active probes,
 * outlier detection of real traffic) into the one {@link Health} the registry keeps: an instance is unhealthy while
 * any source says it is down, healthy once a source has said it is up and none says down. Without it each source
 * would overwrite the others (a probe's "ping answered" lifting an ejection for hung calls, say).
 *
 * <p>Verdicts are idempotent: a source may repeat its verdict on every check, and only a change of the combined
 * health reaches the registry. A new session with the plugin (it connected again, e.g. after a restart) clears every
 * verdict: what was true of the old process says nothing about the new one, and a source still of its opinion says
 * so again on its next check. Thread-safe; reports go to the registry in the order they were decided.
 */
public final class HealthVerdicts implements GatewayListener {
    /** Who concluded something about an instance. */
    public enum Source {
        /** The connection to the plugin: up when a session is established, down when it broke or cannot connect. */
        CONNECTION,
        /** The active health checks. */
        PROBE,
        /** Outlier detection of real calls (ejection). */
        OUTLIER
    }

    private final Registry registry;
    private final ConcurrentHashMap<String, Verdicts> byInstance = new ConcurrentHashMap<>();

    public HealthVerdicts(Registry registry) {
        this.registry = registry;
    }

    /** The source finds the instance down, for the reason given (kept for events and logs). */
    public void down(String instanceId, Source source, String reason) {
        verdicts(instanceId).set(source, reason);
    }

    /** The source finds the instance fit to take traffic. */
    public void up(String instanceId, Source source, String reason) {
        verdicts(instanceId).set(source, null, reason);
    }

    /**
     * A new session with the instance began: every source's earlier verdict is dropped, and it counts as up.
     *
     * @return completes with the instance once the registry has applied what this changed
     */
    public CompletableFuture<PluginInstance> connected(String instanceId) {
        return verdicts(instanceId).reset("connected");
    }

    /** Whether the source currently finds the instance down. */
    public boolean isDown(String instanceId, Source source) {
        Verdicts verdicts = byInstance.get(instanceId);
        return verdicts != null && verdicts.isDown(source);
    }

    /**
     * How many sessions with the instance have begun (0 before its first): a source that keeps state across its
     * checks (the probes' streaks) sees from a change that the verdicts were cleared and starts afresh.
     */
    public long sessions(String instanceId) {
        Verdicts verdicts = byInstance.get(instanceId);
        return verdicts == null ? 0 : verdicts.sessions();
    }

    /** Forgets instances that left, so their verdicts cannot outlive them (an id may be registered again). */
    @Override
    public void onEvent(GatewayEvent event) {
        switch (event) {
            case GatewayEvent.InstanceDeregistered gone -> byInstance.remove(gone.instance().id());
            case GatewayEvent.LeaseExpired gone -> byInstance.remove(gone.instance().id());
            case GatewayEvent.InstanceRegistered registered when registered.replaced() != null ->
                    byInstance.remove(registered.instance().id()); // registered anew: its health starts UNKNOWN again
            default -> {
            }
        }
    }

    private Verdicts verdicts(String instanceId) {
        return byInstance.computeIfAbsent(instanceId, Verdicts::new);
    }

    /** One instance's verdicts; its lock orders the reports, so the registry ends with the last decision. */
    private final class Verdicts {
        private final String instanceId;
        /** The reason of each source that finds the instance down. */
        private final Map<Source, String> down = new EnumMap<>(Source.class);
        /** What was last reported to the registry: UNKNOWN until a source spoke (as the registry starts). */
        private Health reported = Health.UNKNOWN;
        private long sessions;

        Verdicts(String instanceId) {
            this.instanceId = instanceId;
        }

        synchronized long sessions() {
            return sessions;
        }

        synchronized boolean isDown(Source source) {
            return down.containsKey(source);
        }

        void set(Source source, String downReason) {
            set(source, downReason, downReason);
        }

        synchronized void set(Source source, String downReason, String reason) {
            if (downReason != null) {
                down.put(source, downReason);
            } else {
                down.remove(source);
            }
            report(reason).exceptionally(error -> null); // the instance may have left meanwhile
        }

        synchronized CompletableFuture<PluginInstance> reset(String reason) {
            down.clear();
            sessions++;
            return report(reason);
        }

        /**
         * Reports the combined health if it changed; called with the lock held, so reports keep their order.
         *
         * @return the registry's answer, or the instance as it stands when nothing changed (null if it left)
         */
        private CompletableFuture<PluginInstance> report(String reason) {
            Health combined = down.isEmpty() ? Health.HEALTHY : Health.UNHEALTHY;
            if (combined == reported) {
                return CompletableFuture.completedFuture(registry.instance(instanceId).orElse(null));
            }
            reported = combined;
            String why = combined == Health.UNHEALTHY ? down.values().iterator().next() : reason;
            return registry.reportHealth(instanceId, combined, why);
        }
    }
}
