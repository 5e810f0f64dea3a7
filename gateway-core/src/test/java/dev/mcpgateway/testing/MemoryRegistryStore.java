package dev.mcpgateway.testing;

import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link RegistryStore} held in memory, for tests: it keeps what it is given as a database would, outlives the
 * gateways that use it (so a second gateway built on it is a restart), records every call, and can be switched to
 * fail like a database that is down. Thread-safe.
 */
public final class MemoryRegistryStore implements RegistryStore {
    private final Map<String, Stored> kept = new TreeMap<>();
    /** Every call in order, e.g. {@code put files-1}, {@code renew files-1}, {@code remove files-1}. */
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private volatile boolean closed;
    private volatile Runnable changedElsewhere = () -> { };
    private volatile Consumer<String> unhealthyElsewhere = id -> { };
    private StoredRules rules;
    /** Every health transition recorded, in order. */
    private final List<HealthTransition> health = new CopyOnWriteArrayList<>();

    /** Tells the gateway, as a store hearing of another gateway's change would, to reconcile now. */
    public void changedElsewhere() {
        changedElsewhere.run();
    }

    @Override
    public void onChangedElsewhere(Runnable reconcile) {
        this.changedElsewhere = reconcile;
    }

    /** Tells the gateway, as a store hearing that another gateway saw {@code id} go unhealthy would. */
    public void unhealthyElsewhere(String id) {
        unhealthyElsewhere.accept(id);
    }

    @Override
    public void onUnhealthyElsewhere(Consumer<String> probe) {
        this.unhealthyElsewhere = probe;
    }

    /** The health transitions recorded so far, in order. */
    public List<HealthTransition> health() {
        return List.copyOf(health);
    }

    /** Makes every call fail (true) as a store that cannot be reached, or work again (false). */
    public void down(boolean isDown) {
        this.down = isDown;
    }

    /** What is kept now, by id. */
    public synchronized Map<String, Stored> kept() {
        return Map.copyOf(kept);
    }

    /** The calls made so far, failed ones included, in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized List<Stored> load() {
        calls.add("load");
        check();
        return new ArrayList<>(kept.values());
    }

    @Override
    public synchronized void put(Stored instance) {
        calls.add("put " + instance.id());
        check();
        kept.put(instance.id(), instance);
    }

    @Override
    public synchronized void renew(String id, Instant leaseExpiresAt) {
        calls.add("renew " + id);
        check();
        Stored stored = kept.get(id);
        if (stored != null) {
            kept.put(id, new Stored(id, stored.plugin(), leaseExpiresAt, stored.registration()));
        }
    }

    @Override
    public synchronized void remove(String id) {
        calls.add("remove " + id);
        check();
        kept.remove(id);
    }

    @Override
    public synchronized boolean removeIfLapsed(String id, Instant leaseExpiresAt) {
        calls.add("removeIfLapsed " + id);
        check();
        Stored stored = kept.get(id);
        if (stored != null && (stored.leaseExpiresAt() == null || stored.leaseExpiresAt().isAfter(leaseExpiresAt))) {
            return false; // renewed meanwhile, or kept without a lease: a live registration
        }
        kept.remove(id);
        return true;
    }

    @Override
    public synchronized void drain(String id, boolean drained) {
        calls.add((drained ? "drain " : "undrain ") + id);
        check();
        Stored stored = kept.get(id);
        if (stored != null) {
            kept.put(id, new Stored(id, stored.plugin(), stored.leaseExpiresAt(), stored.registration(), drained));
        }
    }

    @Override
    public synchronized Optional<StoredRules> loadRules() {
        check();
        return Optional.ofNullable(rules);
    }

    @Override
    public synchronized long putRules(String text) {
        calls.add("putRules");
        check();
        rules = new StoredRules(rules == null ? 1 : rules.version() + 1, text);
        return rules.version();
    }

    /** The rule set kept now, if any. */
    public synchronized Optional<StoredRules> rules() {
        return Optional.ofNullable(rules);
    }

    @Override
    public void recordHealth(HealthTransition transition) {
        check();
        health.add(transition);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void check() {
        if (down) {
            throw new RegistryStoreUnavailableException("the test store is down", null);
        }
    }
}
