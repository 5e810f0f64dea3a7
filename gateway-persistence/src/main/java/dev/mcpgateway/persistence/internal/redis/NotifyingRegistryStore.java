package dev.mcpgateway.persistence.internal.redis;

import dev.mcpgateway.registry.RegistryStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A registry store that tells the other gateways, over a {@link ChangeChannel}, of each change it kept, and has this
 * gateway reconcile when they tell of theirs. Only the instance id travels; the store stays the source of truth.
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
        channel.publish(instance.id());
    }

    @Override
    public void renew(String id, Instant leaseExpiresAt) {
        store.renew(id, leaseExpiresAt);
        channel.publish(id);
    }

    @Override
    public void remove(String id) {
        store.remove(id);
        channel.publish(id);
    }

    @Override
    public boolean removeIfLapsed(String id, Instant leaseExpiresAt) {
        boolean removed = store.removeIfLapsed(id, leaseExpiresAt);
        if (removed) {
            channel.publish(id);
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
