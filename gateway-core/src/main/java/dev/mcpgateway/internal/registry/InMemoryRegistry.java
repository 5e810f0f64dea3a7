package dev.mcpgateway.internal.registry;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.EndpointStats;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.audit.Actors;
import dev.mcpgateway.internal.audit.AuditLines;
import dev.mcpgateway.internal.routing.RoutingTableBuilder;
import dev.mcpgateway.internal.routing.RoutingTableImpl;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.registry.InstanceConflictException;
import dev.mcpgateway.registry.Registry;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
import dev.mcpgateway.registry.UnknownInstanceException;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.ToolRoute;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory registry and the gateway's control loop. Every change runs on one thread, one at a time;
 * changes that queue up while a rebuild runs are applied together and followed by a single rebuild, so a
 * burst of registrations costs one table build. The routing table is published with one volatile write,
 * before futures complete and listeners hear of the change. Time passing is a change too: the periodic
 * {@link #evictExpired()} pass removes lapsed leases and withdraws the tools whose grace period ran out, each
 * decided by the registry's clock, and publishes a table only if that changed something.
 *
 * <p>Instances registered over the management API ({@link RegistrationSource#API}) are kept in a
 * {@link RegistryStore}, written on the loop before their change is applied: a registration, renewal, deregistration
 * or eviction the store could not keep is not applied at all and fails with {@link RegistryStoreUnavailableException},
 * while the batch's other changes go on. Status, health and manifest updates are not kept: health is this gateway's
 * own observation, and tools are listed anew on connect.
 */
public final class InMemoryRegistry implements Registry, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InMemoryRegistry.class);
    /** Most changes applied between two rebuilds; bounds how long one batch holds the loop. */
    private static final int MAX_BATCH = 1024;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Clock clock;
    private final RoutingTableBuilder builder;
    /** Loop-owned: how many lapsed leases may still go within the eviction window. */
    private final LeaseEvictionBudget evictionBudget;
    private final RegistryStore store;
    private final StoreReconciler reconciler = new StoreReconciler();
    private final StoreWriter writer;
    private final LinkedBlockingQueue<Change<?>> queue = new LinkedBlockingQueue<>();
    private final CopyOnWriteArrayList<GatewayListener> listeners = new CopyOnWriteArrayList<>();
    /** Written only by the loop; read by anyone without locking. */
    private final ConcurrentHashMap<String, PluginInstance> instances = new ConcurrentHashMap<>();
    /** Loop-owned: the routing view of each instance, replaced only when routing could see a difference. */
    private final Map<String, Endpoint> endpoints = new HashMap<>();
    private final Map<String, Integer> nextOrdinal = new HashMap<>();
    private final Thread loop;
    private volatile RoutingTableImpl table;
    private volatile List<RoutingRule> rules;
    /** Loop-owned: the version of the rule set kept in the store that {@link #rules} are, 0 for none. */
    private long rulesVersion;
    private volatile boolean closed;

    /**
     * @param leaseEvictionMaxShare the largest share of leased instances {@link #evictExpired()} removes within one
     *                              {@code leaseEvictionWindow} (above 0, at most 1; at least one goes)
     * @param leaseEvictionWindow   the sliding window that share applies to (positive); both see {@code GatewayConfig}
     */
    public InMemoryRegistry(Clock clock, RoutingTableBuilder builder, double leaseEvictionMaxShare,
                            Duration leaseEvictionWindow, String threadName) {
        this(clock, builder, leaseEvictionMaxShare, leaseEvictionWindow, RegistryStore.none(), threadName);
    }

    /**
     * A registry keeping its API-registered instances in {@code store}; it does not read the store (see
     * {@link #restore}) nor close it.
     */
    public InMemoryRegistry(Clock clock, RoutingTableBuilder builder, double leaseEvictionMaxShare,
                            Duration leaseEvictionWindow, RegistryStore store, String threadName) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = Objects.requireNonNull(store, "store");
        this.writer = new StoreWriter(store, reconciler);
        this.builder = Objects.requireNonNull(builder, "builder");
        this.evictionBudget = new LeaseEvictionBudget(leaseEvictionMaxShare, leaseEvictionWindow);
        this.table = builder.table();
        this.rules = builder.rules();
        listeners.add(AuditLines::health);
        this.loop = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
        loop.start();
    }

    /** The routing table in force: a volatile read. */
    public RoutingTableImpl table() {
        return table;
    }

    @Override
    public CompletableFuture<PluginInstance> register(Registration registration) {
        Objects.requireNonNull(registration, "registration");
        return submit(batch -> add(batch, registration, null, true));
    }

    /**
     * Registers an instance read back from the store, as it was kept: same id, its lease lapsing when the store says
     * (one that lapsed already goes at the next {@link #evictExpired()}). Not written to the store again.
     *
     * @param leaseExpiresAt when its lease lapses, or null to give it a whole lease from now
     */
    public CompletableFuture<PluginInstance> restore(Registration registration, Instant leaseExpiresAt) {
        Objects.requireNonNull(registration.instanceId(), "a restored registration has its id");
        return submit(batch -> add(batch, registration, leaseExpiresAt, false));
    }

    /**
     * Registers on the loop; with {@code write}, the store first takes what it must (a put, or the removal of an API
     * instance the host now registers), and a store failure leaves the registry as it was.
     */
    private PluginInstance add(Batch batch, Registration registration, Instant leaseExpiresAt, boolean write) {
        String id = registration.instanceId() != null ? registration.instanceId()
                : newId(registration.manifest().name());
        Instant now = clock.instant();
        PluginInstance previous = instances.get(id);
        if (previous != null && !previous.pluginName().equals(registration.manifest().name())) {
            throw new InstanceConflictException(id, previous.pluginName(), registration.manifest().name());
        }
        Instant expiry = registration.lease() == null ? null
                : leaseExpiresAt != null ? leaseExpiresAt : now.plus(registration.lease());
        // Registered anew, its health starts over: UNKNOWN since now.
        PluginInstance instance = new PluginInstance(id, registration.manifest(), registration.initialStatus(),
                Health.UNKNOWN, now, null, previous != null ? previous.registeredAt() : now, registration.lease(),
                expiry, registration.source());
        if (write) {
            writer.registered(registration, instance, previous);
        }
        put(batch, instance);
        batch.events.add(new GatewayEvent.InstanceRegistered(instance, previous));
        return instance;
    }

    /** The routing rules in force, in the order they are tried. */
    public List<RoutingRule> rules() {
        return rules;
    }

    /**
     * Replaces the routing rules on the control loop: one new table routes every tool by them, published at once,
     * so no call finds a tool unroutable in between. The store keeps them first, as the set every gateway sharing it
     * adopts; rules it could not keep are not applied.
     *
     * @return the table that applies them; fails with {@link IllegalArgumentException} if two rules share a name, and
     *         with {@link RegistryStoreUnavailableException} when the store could not keep them
     */
    public CompletableFuture<RoutingTableImpl> replaceRules(List<RoutingRule> newRules) {
        List<RoutingRule> copy = List.copyOf(newRules);
        RoutingRule.requireDistinctNames(copy);
        return submit(batch -> {
            long version = writer.putRules(copy);
            useRules(batch, copy, Math.max(version, rulesVersion));
            return null;
        }).thenApply(done -> table);
    }

    /**
     * Adopts a rule set kept in the store (read at start, or by a reconciliation) if it is newer than the rules in
     * force: an older one, read before this gateway kept a newer set, never undoes it. Not written to the store again.
     *
     * @return whether it was adopted
     */
    public CompletableFuture<Boolean> adoptRules(long version, List<RoutingRule> kept) {
        return submit(batch -> adopt(batch, version, kept));
    }

    private boolean adopt(Batch batch, long version, List<RoutingRule> kept) {
        if (version <= rulesVersion) {
            return false;
        }
        useRules(batch, List.copyOf(kept), version);
        log.info("Routing rules version {} adopted from the registry store: {}", version,
                kept.stream().map(RoutingRule::name).toList());
        return true;
    }

    private void useRules(Batch batch, List<RoutingRule> newRules, long version) {
        builder.replaceRules(newRules);
        rules = newRules;
        rulesVersion = version;
        batch.rulesReplaced = true;
    }

    @Override
    public CompletableFuture<PluginInstance> renew(String instanceId) {
        return update(instanceId, (batch, current) -> {
            PluginInstance renewed = current.renewedAt(clock.instant());
            if (StoreWriter.isStored(current) && renewed.leaseExpiresAt() != null) {
                writer.keep(instanceId, () -> store.renew(instanceId, renewed.leaseExpiresAt()));
            }
            // A lease is not routing state: keep the endpoint so no rebuild happens for a heartbeat.
            instances.put(instanceId, renewed);
            return renewed;
        });
    }

    @Override
    public CompletableFuture<PluginInstance> deregister(String instanceId) {
        return update(instanceId, (batch, current) -> {
            writer.deregistered(current);
            remove(batch, current);
            batch.events.add(new GatewayEvent.InstanceDeregistered(current));
            return current;
        });
    }

    @Override
    public CompletableFuture<PluginInstance> setStatus(String instanceId, InstanceStatus status) {
        Objects.requireNonNull(status, "status");
        return replace(instanceId, current -> {
            PluginInstance changed = current.withStatus(status);
            writer.statusChanged(current, changed); // a drain (or its end) is shared: kept before it is applied
            return changed;
        }, InMemoryRegistry::statusChanged);
    }

    private static GatewayEvent statusChanged(PluginInstance changed, PluginInstance current) {
        return new GatewayEvent.StatusChanged(changed, current.status());
    }

    @Override
    public CompletableFuture<PluginInstance> reportHealth(String instanceId, Health health, String reason) {
        Objects.requireNonNull(health, "health");
        return replace(instanceId, current -> current.withHealth(health, reason, clock.instant()),
                (changed, current) -> new GatewayEvent.HealthChanged(changed, current.health(), reason));
    }

    @Override
    public CompletableFuture<PluginInstance> updateManifest(String instanceId, PluginManifest manifest) {
        Objects.requireNonNull(manifest, "manifest");
        return updateManifest(instanceId, current -> manifest);
    }

    @Override
    public CompletableFuture<PluginInstance> updateManifest(String instanceId, UnaryOperator<PluginManifest> change) {
        Objects.requireNonNull(change, "change");
        return replace(instanceId, current -> {
            PluginManifest manifest = change.apply(current.manifest());
            if (!manifest.name().equals(current.manifest().name())) {
                throw new IllegalArgumentException("instance '" + instanceId + "' belongs to plugin '"
                        + current.manifest().name() + "'; a manifest update cannot rename it to '" + manifest.name()
                        + "' (deregister it and register the new plugin instead)");
            }
            return current.withManifest(manifest);
        }, (changed, current) -> new GatewayEvent.ManifestChanged(changed, current.manifest()));
    }

    @Override
    public CompletableFuture<PluginInstance> drain(String instanceId) {
        return setStatus(instanceId, InstanceStatus.OUT_OF_SERVICE).thenCompose(out -> {
            // Published before the future completed: no call routed from now on picks the instance.
            Endpoint endpoint = table.endpoint(instanceId);
            if (endpoint == null) {
                return CompletableFuture.completedFuture(out); // it left meanwhile, and its calls with it
            }
            return endpoint.stats().whenIdle().thenApply(idle -> instance(instanceId).orElse(out));
        });
    }

    @Override
    public CompletableFuture<List<PluginInstance>> evictExpired() {
        return submit(batch -> {
            batch.timePassed = true;
            Instant now = clock.instant();
            int leased = 0;
            List<PluginInstance> lapsed = new ArrayList<>();
            for (PluginInstance instance : instances.values()) {
                if (instance.lease() != null) {
                    leased++;
                    if (instance.isLeaseExpired(now)) {
                        lapsed.add(instance);
                    }
                }
            }
            // Longest lapsed first, so an instance held back by self-preservation is not overtaken forever.
            lapsed.sort(Comparator.comparing(PluginInstance::leaseExpiresAt).thenComparing(PluginInstance::id));
            int evicting = Math.min(lapsed.size(), evictionBudget.available(leased, now));
            List<PluginInstance> evicted = writer.forgetLapsed(lapsed.subList(0, evicting));
            evictionBudget.spend(evicted.size(), now);
            int kept = lapsed.size() - evicting;
            if (kept > 0 && evictionBudget.shouldWarn(now)) {
                log.warn("Self-preservation: {} of {} leases lapsed, more likely a network fault than failed plugins;"
                                + " {} removed within the last {} (at most {} per window: leaseEvictionMaxShare {}),"
                                + " keeping {} for now (a renewal meanwhile keeps one); the next may go at {}",
                        lapsed.size(), leased, evictionBudget.spentInWindow(), evictionBudget.window(),
                        evictionBudget.limit(leased), evictionBudget.maxShare(), kept,
                        evictionBudget.nextEvictionAt(leased));
            }
            for (PluginInstance instance : evicted) {
                log.warn("Lease of {} expired at {} without a renewal; removing it", instance.describe(),
                        instance.leaseExpiresAt());
                remove(batch, instance);
                batch.events.add(new GatewayEvent.LeaseExpired(instance));
            }
            return evicted;
        });
    }

    @Override
    public Optional<PluginInstance> instance(String instanceId) {
        return Optional.ofNullable(instances.get(instanceId));
    }

    @Override
    public List<PluginInstance> instances() {
        List<PluginInstance> all = new ArrayList<>(instances.values());
        all.sort((a, b) -> a.id().compareTo(b.id()));
        return all;
    }

    @Override
    public List<PluginInstance> findByTool(ToolKey tool) {
        ToolRoute route = table.route(tool);
        if (route == null) {
            return List.of();
        }
        List<PluginInstance> found = new ArrayList<>(route.endpoints().size());
        for (Endpoint endpoint : route.endpoints()) {
            PluginInstance current = instances.get(endpoint.id());
            if (current != null) {
                found.add(current);
            }
        }
        return found;
    }

    @Override
    public void addListener(GatewayListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(GatewayListener listener) {
        listeners.remove(listener);
    }

    /**
     * Follows the changes other gateways sharing the store made (see {@link StoreReconciler}): loads the store and
     * applies the difference on the loop, without writing the store. Does nothing without a store.
     *
     * @param transportTypes the transports installed; a kept instance needing another is left out, with a warning
     */
    public CompletableFuture<StoreReconciler.Changes> reconcileStore(java.util.Set<String> transportTypes) {
        if (store == RegistryStore.none()) {
            return CompletableFuture.completedFuture(StoreReconciler.Changes.NONE); // nothing kept: nothing to follow
        }
        return reconciler.reconcile(store, (kept, loadedAfter) -> submit(batch -> reconciler.apply(kept, loadedAfter,
                transportTypes, instances, new StoreReconciler.Target() {
                    @Override
                    public void register(Registration registration, Instant leaseExpiresAt) {
                        add(batch, registration, leaseExpiresAt, false);
                    }

                    @Override
                    public boolean adoptRules(long version, List<RoutingRule> rules) {
                        return adopt(batch, version, rules);
                    }

                    @Override
                    public void status(PluginInstance current, InstanceStatus status) {
                        change(batch, current, current.withStatus(status), InMemoryRegistry::statusChanged);
                    }

                    @Override
                    public void relet(PluginInstance renewed) {
                        instances.put(renewed.id(), renewed); // as a renewal: no routing change
                    }

                    @Override
                    public void forget(PluginInstance instance) {
                        remove(batch, instance);
                        batch.events.add(new GatewayEvent.InstanceDeregistered(instance));
                    }
                })));
    }

    /** Stops the control loop; changes still queued fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        reconciler.close();
        loop.interrupt();
        if (Thread.currentThread() == loop) {
            return; // closed from a listener: the loop ends after this batch
        }
        try {
            loop.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued();
    }

    private String newId(String plugin) {
        int n = nextOrdinal.getOrDefault(plugin, 1);
        while (instances.containsKey(plugin + '-' + n)) {
            n++;
        }
        nextOrdinal.put(plugin, n + 1);
        return plugin + '-' + n;
    }

    private void put(Batch batch, PluginInstance instance) {
        instances.put(instance.id(), instance);
        Endpoint old = endpoints.get(instance.id());
        Endpoint endpoint = new Endpoint(instance, old != null ? old.stats() : new EndpointStats());
        endpoints.put(instance.id(), endpoint);
        batch.routingChanges.put(instance.id(), endpoint);
    }

    private void remove(Batch batch, PluginInstance instance) {
        instances.remove(instance.id());
        endpoints.remove(instance.id());
        batch.routingChanges.put(instance.id(), null);
    }

    /**
     * Replaces an instance's snapshot with {@code change(current)}; a change to an equal snapshot is no change
     * at all (no event, no rebuild).
     */
    private CompletableFuture<PluginInstance> replace(String instanceId, UnaryOperator<PluginInstance> change,
                                                      BiFunction<PluginInstance, PluginInstance, GatewayEvent> event) {
        return update(instanceId, (batch, current) -> change(batch, current, change.apply(current), event));
    }

    /** On the loop: {@link #replace}'s work, once the changed snapshot is known. */
    private PluginInstance change(Batch batch, PluginInstance current, PluginInstance changed,
                                  BiFunction<PluginInstance, PluginInstance, GatewayEvent> event) {
        if (changed.equals(current)) {
            return current;
        }
        put(batch, changed);
        batch.events.add(event.apply(changed, current));
        return changed;
    }

    private <R> CompletableFuture<R> update(String instanceId, Mutation<R> mutation) {
        Objects.requireNonNull(instanceId, "instanceId");
        return submit(batch -> {
            PluginInstance current = instances.get(instanceId);
            if (current == null) {
                throw new UnknownInstanceException(instanceId);
            }
            return mutation.apply(batch, current);
        });
    }

    private <R> CompletableFuture<R> submit(Function<Batch, R> action) {
        Change<R> change = new Change<>(action, new CompletableFuture<>(), Actors.current());
        if (closed) {
            change.future.completeExceptionally(closedError());
        } else {
            queue.add(change);
            if (closed) {
                // close() may have drained the queue just before our add: make sure nobody waits forever.
                failQueued();
            }
        }
        return change.future;
    }

    private void run() {
        List<Change<?>> changes = new ArrayList<>();
        while (!closed) {
            try {
                changes.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(changes, MAX_BATCH - 1);
            applyBatch(changes);
            changes.clear();
        }
    }

    private void applyBatch(List<Change<?>> changes) {
        Batch batch = new Batch();
        Object[] results = new Object[changes.size()];
        Throwable[] failures = new Throwable[changes.size()];
        for (int i = 0; i < changes.size(); i++) {
            try {
                results[i] = changes.get(i).apply(batch);
            } catch (RuntimeException e) {
                failures[i] = e;
            }
        }
        if (!batch.routingChanges.isEmpty() || batch.timePassed || batch.rulesReplaced) {
            RoutingTableImpl previous = table;
            try {
                RoutingTableImpl next = builder.apply(batch.routingChanges, clock.instant());
                if (next != previous) {
                    table = next;
                    batch.events.add(new GatewayEvent.RoutingTableUpdated(next, previous));
                }
            } catch (RuntimeException e) {
                log.error("Rebuilding the routing table failed; calls keep using version {}", previous.version(), e);
                for (int i = 0; i < failures.length; i++) {
                    failures[i] = failures[i] != null ? failures[i] : e;
                }
            }
        }
        for (GatewayEvent event : batch.events) {
            for (GatewayListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    log.warn("Listener {} failed on {}", listener, event.getClass().getSimpleName(), e);
                }
            }
        }
        for (int i = 0; i < changes.size(); i++) {
            changes.get(i).complete(results[i], failures[i]);
        }
    }

    private void failQueued() {
        Change<?> change;
        while ((change = queue.poll()) != null) {
            change.future.completeExceptionally(closedError());
        }
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("the gateway registry is closed");
    }

    /** What one batch of changes did: whether routing must be rebuilt, and the events to announce. */
    private static final class Batch {
        final List<GatewayEvent> events = new ArrayList<>();
        /** Set by the periodic pass: routing must look whether a tool's grace period ran out. */
        boolean timePassed;
        /** Set when the routing rules were replaced: every tool must be routed anew. */
        boolean rulesReplaced;
        /** Instance id to its new endpoint, or to null when it left; in the order changes were applied. */
        final Map<String, Endpoint> routingChanges = new LinkedHashMap<>();
    }

    @FunctionalInterface
    private interface Mutation<R> {
        R apply(Batch batch, PluginInstance current);
    }

    /** A change, with who made it ({@link Actors}), null for the host. */
    private record Change<R>(Function<Batch, R> action, CompletableFuture<R> future, String actor) {
        R apply(Batch batch) {
            return actor == null ? action.apply(batch) : Actors.as(actor, () -> action.apply(batch));
        }

        @SuppressWarnings("unchecked")
        void complete(Object result, Throwable failure) {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete((R) result);
            }
        }
    }
}
