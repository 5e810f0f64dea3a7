package dev.mcpgateway.persistence.internal.redis;

import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.registry.RegistryStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A registry store that tells the other gateways, over a {@link ChangeChannel}, of each change it kept, and has this
 * gateway reconcile when they tell of theirs. Only the instance id travels; the store stays the source of truth.
 *
 * <p>Lease renewals are not told: they are heartbeats, one per instance every few seconds, and each would make every
 * other gateway reload the store. The others learn them at their periodic reconciliation, which is soon enough as long
 * as {@code storeReconcileInterval} is shorter than the leases (a lease renewed elsewhere is never evicted here anyway:
 * eviction checks the kept lease first). Health transitions to {@code UNHEALTHY} are told, for the others to probe.
 */
public final class NotifyingRegistryStore implements RegistryStore {
    private final RegistryStore store;
    private final ChangeChannel channel;

    public NotifyingRegistryStore(RegistryStore store, ChangeChannel channel) {
        this.store = Objects.requireNonNull(store, "store");
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    @Override
    public List<Stored> load() {
        return store.load();
    }

    // Each write publishes only once the store has it: a change the store refused is no news.
    @Override
    public void put(Stored instance) {
        store.put(instance);
        channel.publish(ChangeChannel.Kind.CHANGE, instance.id());
    }

    @Override
    public void renew(String id, Instant leaseExpiresAt) {
        store.renew(id, leaseExpiresAt); // not told: see the class comment
    }

    @Override
    public void remove(String id) {
        store.remove(id);
        channel.publish(ChangeChannel.Kind.CHANGE, id);
    }

    @Override
    public void drain(String id, boolean drained) {
        store.drain(id, drained);
        channel.publish(ChangeChannel.Kind.CHANGE, id);
    }

    @Override
    public Optional<StoredRules> loadRules() {
        return store.loadRules();
    }

    @Override
    public long putRules(String rules) {
        long version = store.putRules(rules);
        channel.publish(ChangeChannel.Kind.RULES, null);
        return version;
    }

    @Override
    public void recordHealth(HealthTransition transition) {
        // Told even when the audit failed: the others' probes matter more than the record.
        try {
            store.recordHealth(transition);
        } finally {
            if (transition.to() == Health.UNHEALTHY) {
                channel.publish(ChangeChannel.Kind.HEALTH, transition.instanceId());
            }
        }
    }

    @Override
    public void recordAuthFailure(AuthFailure failure, int count) {
        store.recordAuthFailure(failure, count); // not told: nothing for the other gateways to do
    }

    /** The store's view for {@code actor}, telling as this does; not closed on its own (see the SPI). */
    @Override
    public RegistryStore attributedTo(String actor) {
        return new NotifyingRegistryStore(store.attributedTo(actor), channel);
    }

    @Override
    public void onUnhealthyElsewhere(Consumer<String> probe) {
        store.onUnhealthyElsewhere(probe);
        channel.onUnhealthy(probe);
    }

    @Override
    public boolean removeIfLapsed(String id, Instant leaseExpiresAt) {
        boolean removed = store.removeIfLapsed(id, leaseExpiresAt);
        if (removed) {
            channel.publish(ChangeChannel.Kind.CHANGE, id);
        }
        return removed;
    }

    @Override
    public void onChangedElsewhere(Runnable reconcile) {
        store.onChangedElsewhere(reconcile);
        channel.onChange(reconcile);
    }

    /** Closes the channel, then the store. */
    @Override
    public void close() {
        try {
            channel.close();
        } finally {
            store.close();
        }
    }

    @Override
    public String toString() {
        return store + " with change events";
    }
}
