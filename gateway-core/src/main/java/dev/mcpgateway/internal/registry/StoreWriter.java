package dev.mcpgateway.internal.registry;

import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.internal.routing.RulesJson;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import dev.mcpgateway.routing.RoutingRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's writes to its {@link RegistryStore}, made on the control loop before the change they keep is
 * applied: whatever a store throws becomes {@link RegistryStoreUnavailableException} ("not kept, retry"), and every
 * write, failed ones too, is told to the {@link StoreReconciler}, which must not act on a load older than it.
 */
final class StoreWriter {
    private static final Logger log = LoggerFactory.getLogger(InMemoryRegistry.class);

    private final RegistryStore store;
    private final StoreReconciler reconciler;

    StoreWriter(RegistryStore store, StoreReconciler reconciler) {
        this.store = store;
        this.reconciler = reconciler;
    }

    /** Whether the store holds the instance: those registered over the API, and only those. */
    static boolean isStored(PluginInstance instance) {
        return instance.source() == RegistrationSource.API;
    }

    /**
     * Writes to the store about instance {@code id}; any failure becomes {@link RegistryStoreUnavailableException}, so
     * the change is refused as "not kept, retry" whatever the store's own exceptions are. Every write, failed ones
     * too (one may have landed before it failed), is told to the reconciler, which must not act on an older load.
     */
    void keep(String id, Runnable write) {
        try {
            write(() -> {
                write.run();
                return null;
            });
        } finally {
            reconciler.wrote(id);
        }
    }

    /**
     * Records that {@code current} became {@code changed}, if that drained it (took it out of service) or brought it
     * back: other gateways sharing the store then follow (see {@link StoreReconciler}).
     */
    void statusChanged(PluginInstance current, PluginInstance changed) {
        boolean drained = changed.status() == InstanceStatus.OUT_OF_SERVICE;
        if (isStored(current) && drained != (current.status() == InstanceStatus.OUT_OF_SERVICE)) {
            keep(current.id(), () -> store.drain(current.id(), drained));
            reconciler.drainKept(current.id(), drained);
        }
    }

    /**
     * Keeps a replaced rule set; the version kept, 0 when the store keeps no rules. Rules that would not read back
     * the same (a balancer of the host's own making) are refused, as the other gateways could not adopt them.
     */
    long putRules(List<RoutingRule> rules) {
        if (store == RegistryStore.none()) {
            return 0;
        }
        String text = RulesJson.writeSet(rules);
        boolean readsBack;
        try {
            readsBack = RulesJson.readSet(text).equals(rules);
        } catch (IllegalArgumentException e) {
            readsBack = false;
        }
        if (!readsBack) {
            throw new IllegalArgumentException("these routing rules cannot be kept in the registry store as they are"
                    + " (a load balancer of the host's own making is kept by name only; use one of "
                    + LoadBalancer.NAMES + ")");
        }
        return write(() -> store.putRules(text));
    }

    private static <T> T write(Supplier<T> write) {
        try {
            return write.get();
        } catch (RegistryStoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // Its class only: a store's own message may name its connection, credentials included.
            throw new RegistryStoreUnavailableException("the registry store failed (" + e.getClass().getName()
                    + "); the change was not made", e);
        }
    }

    /**
     * The lapsed instances the store forgot (those it never kept included); one it could not forget stays, in
     * memory and in the store alike, and goes at a later pass once the store is back. One the store holds with a
     * later lease was renewed through another gateway sharing it: it stays, and the next store reconciliation
     * brings its lease here.
     */
    List<PluginInstance> forgetLapsed(List<PluginInstance> lapsed) {
        List<PluginInstance> forgotten = new ArrayList<>(lapsed.size());
        int failed = 0;
        RegistryStoreUnavailableException failure = null;
        for (PluginInstance instance : lapsed) {
            try {
                boolean[] lapsedInStore = {true};
                if (isStored(instance)) {
                    keep(instance.id(), () -> lapsedInStore[0] =
                            store.removeIfLapsed(instance.id(), instance.leaseExpiresAt()));
                }
                if (lapsedInStore[0]) {
                    forgotten.add(instance);
                } else {
                    log.debug("The lease of {} lapsed here but was renewed through another gateway; keeping it",
                            instance.describe());
                }
            } catch (RegistryStoreUnavailableException e) {
                failed++;
                failure = e;
            }
        }
        if (failure != null) {
            // No stack trace: it repeats every pass while the store is down, and the cause says what failed.
            log.warn("The registry store could not forget {} lapsed lease(s) ({}); they stay until a later pass",
                    failed, failure.getMessage());
        }
        return forgotten;
    }
}
