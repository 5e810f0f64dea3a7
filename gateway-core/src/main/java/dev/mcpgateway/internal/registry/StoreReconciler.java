package dev.mcpgateway.internal.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
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

    /** What one pass changed. */
    public record Changes(int restored, int relet, int replaced, int forgotten) {
        static final Changes NONE = new Changes(0, 0, 0, 0);
    }

    /** The registry's means to change an instance on the loop without writing the store. */
    interface Target {
        void register(Registration registration, Instant leaseExpiresAt);

        void relet(PluginInstance renewed);

        void forget(PluginInstance instance);
    }

    /** Store writes finished so far; read off the loop before a load. */
    private final AtomicLong writes = new AtomicLong();
    /** Loop-owned: instance id to the sequence number of this gateway's last store write of it. */
    private final Map<String, Long> writtenAt = new HashMap<>();
    /** Loop-owned: instance id to the registration last kept for it, as a JSON tree (jsonb keeps no spacing). */
    private final Map<String, JsonNode> seen = new HashMap<>();
    /** Loop-owned: kept instances this gateway cannot serve, warned of once. */
    private final Set<String> unusable = new HashSet<>();
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

    /**
     * Loads the store and has {@code apply} change the registry on its loop; after the previous pass. A store that
     * cannot be read changes nothing: the pass fails with its exception, logged once until a load succeeds again.
     */
    CompletableFuture<Changes> reconcile(RegistryStore store,
                                         BiFunction<List<RegistryStore.Stored>, Long, CompletableFuture<Changes>> apply) {
        synchronized (this) {
            CompletableFuture<Changes> pass = last.handle((changes, error) -> null)
                    .thenComposeAsync(previous -> {
                        long loadedAfter = writes.get(); // before the load: see the class comment
                        List<RegistryStore.Stored> kept;
                        try {
                            kept = store.load();
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

    /** On the loop: the difference between {@code kept} and {@code instances}, made through {@code target}. */
    Changes apply(List<RegistryStore.Stored> kept, long loadedAfter, Set<String> transportTypes,
                  Map<String, PluginInstance> instances, Target target) {
        int restored = 0;
        int relet = 0;
        int replaced = 0;
        int forgotten = 0;
        Set<String> keptIds = new HashSet<>();
        for (RegistryStore.Stored stored : kept) {
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
        Changes changes = new Changes(restored, relet, replaced, forgotten);
        if (restored + replaced + forgotten > 0) {
            log.info("Following the registry store: {} instance(s) registered, {} replaced and {} deregistered"
                    + " through other gateways", restored, replaced, forgotten);
        }
        return changes;
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
