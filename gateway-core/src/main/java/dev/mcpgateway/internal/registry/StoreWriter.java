package dev.mcpgateway.internal.registry;

import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.internal.audit.Actors;
import dev.mcpgateway.internal.audit.AuditLines;
import dev.mcpgateway.internal.routing.RulesJson;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.Registration;
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
 * The registry's record of the changes made through this gateway, on the control loop before each is applied: the
 * writes to its {@link RegistryStore}, attributed to who made the change ({@link Actors}), and then the change's
 * audit line ({@link AuditLines}). Whatever a store throws becomes {@link RegistryStoreUnavailableException} ("not
 * kept, retry"; nor audited, as it is not made), and every write, failed ones too, is told to the
 * {@link StoreReconciler}, which must not act on a load older than it. Changes followed from other gateways through
 * the store are neither written nor audited again: the gateway that made them did both.
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
     * Records that {@code instance} was registered in place of {@code previous} (null when new): the store keeps an
     * instance registered over the API, and forgets one of the API whose id the host took over.
     */
    void registered(Registration registration, PluginInstance instance, PluginInstance previous) {
        String id = instance.id();
        RegistryStore as = store.attributedTo(Actors.of(instance));
        if (isStored(instance)) {
            // Serialized before the store is asked: a registration that cannot be kept at all is refused as invalid.
            String text = RegistrationJson.write(registration.withInstanceId(id));
            keep(id, () -> as.put(new RegistryStore.Stored(id, instance.pluginName(), instance.leaseExpiresAt(),
                    text)));
            reconciler.registered(id, text);
        } else if (previous != null && isStored(previous)) {
            // The host took the id over: a restart must not bring the API's one back.
            keep(id, () -> as.remove(id));
        }
        AuditLines.instance(previous == null ? "registered" : "replaced", Actors.of(instance), instance);
    }

    /** Records that {@code instance} was deregistered. */
    void deregistered(PluginInstance instance) {
        if (isStored(instance)) {
            keep(instance.id(), () -> store.attributedTo(Actors.of(instance)).remove(instance.id()));
        }
        AuditLines.instance("deregistered", Actors.of(instance), instance);
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
        if (drained == (current.status() == InstanceStatus.OUT_OF_SERVICE)) {
            return;
        }
        if (isStored(current)) {
            keep(current.id(), () -> store.attributedTo(Actors.of(current)).drain(current.id(), drained));
            reconciler.drainKept(current.id(), drained);
        }
        AuditLines.instance(drained ? "drained" : "undrained", Actors.of(current), changed);
    }

    /**
     * Keeps a replaced rule set; the version kept, 0 when the store keeps no rules. Rules that would not read back
     * the same (a balancer of the host's own making) are refused, as the other gateways could not adopt them.
     */
    long putRules(List<RoutingRule> rules) {
        long version = store == RegistryStore.none() ? 0 : keepRules(rules);
        AuditLines.rulesReplaced(Actors.orHost(), rules.stream().map(RoutingRule::name).toList());
        return version;
    }

    private long keepRules(List<RoutingRule> rules) {
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
        return write(() -> store.attributedTo(Actors.orHost()).putRules(text));
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
                    keep(instance.id(), () -> lapsedInStore[0] = store.attributedTo(Actors.GATEWAY)
                            .removeIfLapsed(instance.id(), instance.leaseExpiresAt()));
                }
                if (lapsedInStore[0]) {
                    forgotten.add(instance);
                    AuditLines.instance("evicted", Actors.GATEWAY, instance);
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
