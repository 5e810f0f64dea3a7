package dev.mcpgateway.internal.gateway;

import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayEventRecord;
import dev.mcpgateway.event.GatewayEventRecord.Kind;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.routing.RoutingRule;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@link #KEPT} control-plane events of the whole gateway, as plain records, for operators and the
 * dashboard. A ring of slots written on the control loop (it is a registry listener) and by rule replacements, read
 * by anyone without a lock: each slot holds its sequence number, so a reader skips a slot a writer has moved on.
 */
public final class RecentEvents implements GatewayListener {
    /** Events kept: a few minutes of a busy gateway's changes, bounded whatever happens. */
    public static final int KEPT = 200;

    private record Slot(long sequence, GatewayEventRecord event) {
    }

    private final Clock clock;
    private final int capacity;
    private final AtomicReferenceArray<Slot> slots;
    private final AtomicLong written = new AtomicLong();

    public RecentEvents(Clock clock) {
        this(clock, KEPT);
    }

    /** A ring of {@code capacity} events (tests use a small one). */
    public RecentEvents(Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.clock = clock;
        this.capacity = capacity;
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    /** The kept events, newest first. */
    public List<GatewayEventRecord> newestFirst() {
        long end = written.get();
        List<GatewayEventRecord> events = new ArrayList<>((int) Math.min(end, capacity));
        for (long sequence = end - 1; sequence >= Math.max(0, end - capacity); sequence--) {
            Slot slot = slots.get((int) (sequence % capacity));
            if (slot != null && slot.sequence() == sequence) {
                events.add(slot.event());
            }
        }
        return List.copyOf(events);
    }

    /** Records that the routing rules were replaced by these. */
    public void rulesReplaced(List<RoutingRule> rules) {
        add(new GatewayEventRecord(clock.instant(), Kind.RULES_REPLACED, null, null, null, null, rules.isEmpty()
                ? "no rules" : "rules " + String.join(", ", rules.stream().map(RoutingRule::name).toList())));
    }

    @Override
    public void onEvent(GatewayEvent event) {
        switch (event) {
            case GatewayEvent.InstanceRegistered e -> add(e.instance(),
                    e.replaced() == null ? Kind.REGISTERED : Kind.REPLACED, null, null,
                    manifest(e.instance().manifest()) + ", by " + e.instance().source());
            case GatewayEvent.InstanceDeregistered e -> add(e.instance(), Kind.DEREGISTERED, null, null, null);
            case GatewayEvent.LeaseExpired e -> add(e.instance(), Kind.LEASE_EXPIRED, null, null, null);
            case GatewayEvent.StatusChanged e -> add(e.instance(), Kind.STATUS, e.previous().name(),
                    e.instance().status().name(), null);
            case GatewayEvent.HealthChanged e -> add(e.instance(), Kind.HEALTH, e.previous().name(),
                    e.instance().health().name(), e.reason());
            case GatewayEvent.ManifestChanged e -> add(e.instance(), Kind.MANIFEST, manifest(e.previous()),
                    manifest(e.instance().manifest()), null);
            case GatewayEvent.RoutingTableUpdated e -> {
                // Follows every change above; rule replacements are recorded by rulesReplaced, with their names.
            }
        }
    }

    private static String manifest(PluginManifest manifest) {
        return manifest.version() + ", " + manifest.tools().size() + " tools";
    }

    private void add(PluginInstance instance, Kind kind, String from, String to, String reason) {
        add(new GatewayEventRecord(clock.instant(), kind, instance.id(), instance.pluginName(), from, to, reason));
    }

    private void add(GatewayEventRecord event) {
        long sequence = written.getAndIncrement();
        slots.set((int) (sequence % capacity), new Slot(sequence, event));
    }
}
