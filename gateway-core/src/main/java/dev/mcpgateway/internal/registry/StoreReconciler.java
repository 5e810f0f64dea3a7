package dev.mcpgateway.internal.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.internal.routing.RulesJson;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
import dev.mcpgateway.routing.RoutingRule;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a running registry in line with its {@link RegistryStore} when other gateways share the store: API instances
 * registered, renewed, replaced or deregistered through another gateway show up here within one pass. A pass loads
 * the store off the control loop, then applies the difference on the loop without writing the store back.
 *
 * <p>The race it must not lose: this gateway writes the store before it applies a change, so a load that began
 * before one of its own writes finished may not hold that write, and acting on it would forget an instance just
 * registered here (or bring back one just deregistered). Every write of this gateway therefore gets a sequence number
 * once it is done, and a pass leaves alone every instance written after the sequence number it read before loading.
 *
 * <p>The loop-owned state ({@link #wrote}, {@link #registered}, {@link #apply}) is touched only on the control loop.
 */
public final class StoreReconciler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreReconciler.class);

    /**
     * What one pass changed.
     *
     * @param drains instances taken out of service (drained) or brought back because of a drain kept elsewhere
     * @param rules  whether a newer rule set was adopted
     */
    public record Changes(int restored, int relet, int replaced, int forgotten, int drains, boolean rules) {
        static final Changes NONE = new Changes(0, 0, 0, 0, 0, false);
    }

    /**
     * What one load read: the kept instances, and the kept rule set (or null) with its rules (null when there is none
     * or this gateway cannot read it).
     */
    record Loaded(List<RegistryStore.Stored> instances, RegistryStore.StoredRules ruleSet, List<RoutingRule> rules) {
    }

    /** The registry's means to change it on the loop without writing the store. */
    interface Target {
        void register(Registration registration, Instant leaseExpiresAt);

        void relet(PluginInstance renewed);

        void forget(PluginInstance instance);

        /** Adopts the rules if their version is newer than the rules in force; whether it did. */
        boolean adoptRules(long version, List<RoutingRule> rules);

        /** Sets an instance's status, as a drain (or its end) kept elsewhere says. */
        void status(PluginInstance current, InstanceStatus status);
    }

    /** Store writes finished so far; read off the loop before a load. */
    private final AtomicLong writes = new AtomicLong();
    /** Loop-owned: instance id to the sequence number of this gateway's last store write of it. */
    private final Map<String, Long> writtenAt = new HashMap<>();
    /** Loop-owned: instance id to the registration last kept for it, as a JSON tree (jsonb keeps no spacing). */
    private final Map<String, JsonNode> seen = new HashMap<>();
    /** Loop-owned: kept instances this gateway cannot serve, warned of once. */
    private final Set<String> unusable = new HashSet<>();
    /** Loop-owned: instance id to whether the store last said it is drained. */
    private final Map<String, Boolean> drainSeen = new HashMap<>();
    /** The version of a kept rule set this gateway cannot read, warned of once. */
    private final AtomicLong unreadableRules = new AtomicLong();
    private final AtomicBoolean loading = new AtomicBoolean(true);
    // Loads block on the database: not on the control loop, and not on the scheduler that times calls out.
    private final ExecutorService loader = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("mcp-gateway-store-reconcile").factory());
    /** The pass last started; the next one starts after it ends, so passes never overlap. */
    private CompletableFuture<Changes> last = CompletableFuture.completedFuture(Changes.NONE);

    /** On the loop, after this gateway wrote (or tried to write) the store about {@code id}. */
    void wrote(String id) {
        writtenAt.put(id, writes.incrementAndGet());
    }

    /** On the loop, after this gateway kept {@code json} as the registration of {@code id}. */
    void registered(String id, String json) {
        JsonNode tree = tree(json);
        if (tree != null) {
            seen.put(id, tree);
        }
    }

    /** On the loop, after this gateway kept a drain (or its end): a later end of it elsewhere is then followed. */
    void drainKept(String id, boolean drained) {
        drainSeen.put(id, drained);
    }

    /**
     * Loads the store and has {@code apply} change the registry on its loop; after the previous pass. A store that
     * cannot be read changes nothing: the pass fails with its exception, logged once until a load succeeds again.
     */
    CompletableFuture<Changes> reconcile(RegistryStore store,
                                         BiFunction<Loaded, Long, CompletableFuture<Changes>> apply) {
        synchronized (this) {
            CompletableFuture<Changes> pass = last.handle((changes, error) -> null)
                    .thenComposeAsync(previous -> {
                        long loadedAfter = writes.get(); // before the load: see the class comment
                        Loaded kept;
                        try {
                            kept = load(store);
                        } catch (RuntimeException e) {
                            loadFailed(e);
                            return CompletableFuture.failedFuture(e);
                        }
                        if (loading.compareAndSet(false, true)) {
                            log.info("The registry store can be read again; this gateway follows its changes again");
                        }
                        return apply.apply(kept, loadedAfter);
                    }, loader);
            last = pass;
            return pass;
        }
    }

    /** Reads the store: its instances, then its rules (a newer rule set than the one in force is adopted). */
    private Loaded load(RegistryStore store) {
        List<RegistryStore.Stored> instances = store.load();
        RegistryStore.StoredRules ruleSet = store.loadRules().orElse(null);
        List<RoutingRule> rules = null;
        if (ruleSet != null) {
            try {
                rules = RulesJson.readSet(ruleSet.rules());
            } catch (IllegalArgumentException e) {
                if (unreadableRules.getAndSet(ruleSet.version()) != ruleSet.version()) {
                    log.warn("The routing rules kept in the registry store (version {}) cannot be read by this"
                            + " gateway: {}; it keeps the rules it has", ruleSet.version(), e.getMessage());
                }
            }
        }
        return new Loaded(instances, ruleSet, rules);
    }

    /** On the loop: the difference between {@code loaded} and the registry, made through {@code target}. */
    Changes apply(Loaded loaded, long loadedAfter, Set<String> transportTypes,
                  Map<String, PluginInstance> instances, Target target) {
        boolean rules = loaded.rules() != null && target.adoptRules(loaded.ruleSet().version(), loaded.rules());
        int restored = 0;
        int relet = 0;
        int replaced = 0;
        int forgotten = 0;
        int drains = 0;
        Set<String> keptIds = new HashSet<>();
        for (RegistryStore.Stored stored : loaded.instances()) {
            keptIds.add(stored.id());
            PluginInstance current = instances.get(stored.id());
            if (writtenSince(stored.id(), loadedAfter)
                    || (current != null && current.source() != RegistrationSource.API)) {
                continue; // the load may predate our write; or the host declares this id itself
            }
            JsonNode tree = tree(stored.registration());
            JsonNode known = current == null ? null : seen.putIfAbsent(stored.id(), tree);
            if (current == null || (known != null && tree != null && !known.equals(tree))) {
                Registration registration = servable(stored, transportTypes);
                if (registration != null) {
                    target.register(registration, stored.leaseExpiresAt());
                    seen.put(stored.id(), tree);
                    if (current == null) {
                        restored++;
                    } else {
                        replaced++;
                    }
                }
            } else if (current.lease() != null && stored.leaseExpiresAt() != null
                    && stored.leaseExpiresAt().isAfter(current.leaseExpiresAt())) {
                // Renewed through another gateway: the same renewal, dated to the kept expiry.
                target.relet(current.renewedAt(stored.leaseExpiresAt().minus(current.lease())));
                relet++;
            }
            if (drained(stored, instances.get(stored.id()), target)) {
                drains++;
            }
        }
        for (PluginInstance current : List.copyOf(instances.values())) {
            if (current.source() == RegistrationSource.API && !keptIds.contains(current.id())
                    && !writtenSince(current.id(), loadedAfter)) {
                target.forget(current); // deregistered, or evicted, through another gateway
                forgotten++;
            }
        }
        // Later passes load later, so writes this one saw done no longer matter to any pass.
        writtenAt.values().removeIf(at -> at <= loadedAfter);
        seen.keySet().retainAll(instances.keySet());
        unusable.retainAll(keptIds);
        drainSeen.keySet().retainAll(instances.keySet());
        Changes changes = new Changes(restored, relet, replaced, forgotten, drains, rules);
        if (restored + replaced + forgotten + drains > 0) {
            log.info("Following the registry store: {} instance(s) registered, {} replaced, {} deregistered and {}"
                    + " drained or back in service through other gateways", restored, replaced, forgotten, drains);
        }
        return changes;
    }

    /**
     * Follows a drain kept elsewhere: a drained instance goes out of service here too, at once (this gateway does not
     * wait for calls on other gateways; its own in flight finish), and one whose drain ended there (it was drained
     * when last seen) comes back {@code UP}. An instance just (re)registered from the store came in with its state.
     *
     * @return whether it changed the instance
     */
    private boolean drained(RegistryStore.Stored stored, PluginInstance current, Target target) {
        Boolean before = drainSeen.put(stored.id(), stored.drained());
        if (current == null) {
            return false; // left out here: it cannot be served
        }
        boolean out = current.status() == InstanceStatus.OUT_OF_SERVICE;
        if (stored.drained() && !out) {
            target.status(current, InstanceStatus.OUT_OF_SERVICE);
            return true;
        }
        if (!stored.drained() && out && Boolean.TRUE.equals(before)) {
            target.status(current, InstanceStatus.UP);
            return true;
        }
        return false;
    }

    /** Stops the loads in flight. */
    @Override
    public void close() {
        loader.shutdownNow();
    }

    private boolean writtenSince(String id, long loadedAfter) {
        Long at = writtenAt.get(id);
        return at != null && at > loadedAfter;
    }

    /** The registration to serve, or null (warned of once) when this gateway cannot serve it. */
    private Registration servable(RegistryStore.Stored stored, Set<String> transportTypes) {
        try {
            return RegistryRestore.registration(stored, transportTypes);
        } catch (IllegalArgumentException e) {
            if (unusable.add(stored.id())) {
                log.warn("Instance '{}' (plugin '{}') kept in the registry store cannot be served by this gateway: {};"
                        + " it is left out here", stored.id(), stored.plugin(), e.getMessage());
            }
            return null;
        }
    }

    private void loadFailed(RuntimeException e) {
        if (loading.compareAndSet(true, false)) {
            // A store's own message may name its connection, credentials included; ours do not.
            String what = e instanceof RegistryStoreUnavailableException ? e.getMessage() : e.getClass().getName();
            log.warn("The registry store could not be read ({}); this gateway does not follow changes made through"
                    + " other gateways until it can, and changes nothing meanwhile", what);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            return null; // not the parser's message: it quotes the text; reading it as a registration says why
        }
    }
}
