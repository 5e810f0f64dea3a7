package dev.mcpgateway.internal.registry;

import dev.mcpgateway.internal.routing.RulesJson;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the instances a {@link RegistryStore} kept back into a starting gateway's registry, all of them or none:
 * a gateway that served only some would look ready while plugins it acknowledged are missing, so any entry that
 * cannot be read or served fails the start, saying which.
 */
public final class RegistryRestore {
    private static final Logger log = LoggerFactory.getLogger(RegistryRestore.class);

    private RegistryRestore() {
    }

    /**
     * Reads the store and registers every kept instance again (source {@code API}, same id, the kept lease expiry),
     * returning once all are in the routing table.
     *
     * @param transportTypes the transports installed; a kept instance needing another fails the start
     * @return how many instances were restored
     * @throws IllegalStateException naming what could not be restored; the registry may then hold some of them, and
     *                               the caller is to close it
     */
    public static int restore(InMemoryRegistry registry, RegistryStore store, Set<String> transportTypes) {
        List<RegistryStore.Stored> kept;
        try {
            kept = store.load();
        } catch (RuntimeException e) {
            // A store's own exception may name its connection, credentials included; ours say what failed without.
            String what = e instanceof RegistryStoreUnavailableException ? e.getMessage() : e.getClass().getName();
            throw new IllegalStateException("The registry store could not be read at start (" + what
                    + "); the gateway does not start without the instances registered over its API. Bring the store"
                    + " back, or build the gateway without it", e);
        }
        List<CompletableFuture<PluginInstance>> restored = new ArrayList<>(kept.size());
        for (RegistryStore.Stored stored : kept) {
            Registration registration;
            try {
                registration = registration(stored, transportTypes);
            } catch (IllegalArgumentException e) {
                throw unusable(stored, e.getMessage(), e);
            }
            restored.add(registry.restore(registration, stored.leaseExpiresAt()));
        }
        try {
            CompletableFuture.allOf(restored.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw new IllegalStateException("Restoring the instances kept in the registry store failed: "
                    + e.getCause().getMessage(), e.getCause());
        }
        if (!kept.isEmpty()) {
            log.info("Restored {} instance(s) registered over the API from the registry store", kept.size());
        }
        restoreRules(registry, store);
        return kept.size();
    }

    /**
     * Starts with the rules kept in the store, when there are: they were replaced at run time after the configuration
     * was written, so they win over the configuration's rules.
     */
    private static void restoreRules(InMemoryRegistry registry, RegistryStore store) {
        RegistryStore.StoredRules kept;
        try {
            kept = store.loadRules().orElse(null);
        } catch (RuntimeException e) {
            String what = e instanceof RegistryStoreUnavailableException ? e.getMessage() : e.getClass().getName();
            throw new IllegalStateException("The routing rules in the registry store could not be read at start ("
                    + what + "); the gateway does not start with rules other gateways have replaced", e);
        }
        if (kept == null) {
            return;
        }
        try {
            registry.adoptRules(kept.version(), RulesJson.readSet(kept.rules())).join();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The routing rules kept in the registry store (version " + kept.version()
                    + ") cannot be used by this gateway: " + e.getMessage() + "; the gateway does not start without"
                    + " them. Replace them through a gateway that can, or remove them from the store", e);
        }
    }

    /**
     * The registration a kept instance stands for, as this gateway serves it: source {@code API}, the kept id.
     *
     * @throws IllegalArgumentException saying why this gateway cannot serve it (never quoting the kept text)
     */
    static Registration registration(RegistryStore.Stored stored, Set<String> transportTypes) {
        Registration registration = RegistrationJson.read(stored.registration());
        String type = registration.manifest().transport().type();
        if (!transportTypes.contains(type)) {
            throw new IllegalArgumentException("it needs transport '" + type + "', which is not installed (installed: "
                    + transportTypes + ")");
        }
        // Drained through some gateway: it stays out of service until undrained or registered again.
        Registration served = stored.drained() ? registration.withStatus(InstanceStatus.OUT_OF_SERVICE) : registration;
        return served.withInstanceId(stored.id()).withSource(RegistrationSource.API);
    }

    private static IllegalStateException unusable(RegistryStore.Stored stored, String why, Throwable cause) {
        return new IllegalStateException("Instance '" + stored.id() + "' (plugin '" + stored.plugin() + "') kept in the"
                + " registry store cannot be restored: " + why + "; the gateway does not start without it. Remove it"
                + " from the store, or start a gateway that can serve it", cause);
    }
}
