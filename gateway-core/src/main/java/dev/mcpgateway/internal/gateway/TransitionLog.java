package dev.mcpgateway.internal.gateway;

import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.plugin.InstanceTransition;
import dev.mcpgateway.plugin.PluginInstance;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last {@link #KEPT} status and health transitions of every registered instance, forgotten when it leaves.
 * Written on the control loop (it is a registry listener), read by anyone: each instance's list is replaced whole,
 * never edited in place.
 */
public final class TransitionLog implements GatewayListener {
    /** Transitions kept per instance: enough to see a flapping instance's pattern, bounded for thousands of them. */
    public static final int KEPT = 20;

    private final Clock clock;
    private final Map<String, List<InstanceTransition>> byInstance = new ConcurrentHashMap<>();

    public TransitionLog(Clock clock) {
        this.clock = clock;
    }

    /** The instance's transitions, oldest first; empty for an unknown instance. */
    public List<InstanceTransition> of(String instanceId) {
        return byInstance.getOrDefault(instanceId, List.of());
    }

    @Override
    public void onEvent(GatewayEvent event) {
        switch (event) {
            case GatewayEvent.InstanceRegistered e -> {
                byInstance.remove(e.instance().id()); // registered anew: its history starts over
                record(e.instance(), e.replaced() == null ? "registered" : "registered again");
            }
            case GatewayEvent.StatusChanged e -> record(e.instance(), "status " + e.previous() + " -> "
                    + e.instance().status());
            case GatewayEvent.HealthChanged e -> record(e.instance(), e.reason() != null ? e.reason()
                    : "health " + e.previous() + " -> " + e.instance().health());
            case GatewayEvent.InstanceDeregistered e -> byInstance.remove(e.instance().id());
            case GatewayEvent.LeaseExpired e -> byInstance.remove(e.instance().id());
            default -> {
            }
        }
    }

    private void record(PluginInstance instance, String reason) {
        InstanceTransition transition = new InstanceTransition(clock.instant(), instance.status(), instance.health(),
                reason);
        byInstance.compute(instance.id(), (id, old) -> {
            ArrayDeque<InstanceTransition> kept = new ArrayDeque<>(old == null ? List.of() : old);
            kept.addLast(transition);
            while (kept.size() > KEPT) {
                kept.removeFirst();
            }
            return List.copyOf(kept);
        });
    }
}
