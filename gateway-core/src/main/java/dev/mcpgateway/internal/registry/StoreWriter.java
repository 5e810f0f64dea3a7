package dev.mcpgateway.internal.registry;

import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
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
            write.run();
        } catch (RegistryStoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // Its class only: a store's own message may name its connection, credentials included.
            throw new RegistryStoreUnavailableException("the registry store failed (" + e.getClass().getName()
                    + "); the change was not made", e);
        } finally {
            reconciler.wrote(id);
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
