package dev.mcpgateway.registry;

import java.time.Instant;
import java.util.List;

/**
 * Where the registry keeps what must outlive the gateway process: the instances plugins registered over the
 * management API ({@link dev.mcpgateway.plugin.RegistrationSource#API}), with their leases. Instances the host or
 * the configuration declares are declared again at every start and are not kept.
 *
 * <p>The registry's control loop stays the one place changes are applied, one at a time, and the in-memory routing
 * table stays the only thing calls read: a store is written on the control loop, once per change, and a change is
 * acknowledged (its future completes) only once the store has it. A store that cannot take a change throws
 * {@link RegistryStoreUnavailableException}; the change is then not applied at all, and the caller (a registering
 * plugin, through the management API's {@code 503}) retries. So a store must answer fast or fail fast: it holds up
 * every registry change while it works.
 *
 * <p>Implementations: {@link #none()} (the default: nothing outlives the process), PostgreSQL in
 * {@code gateway-persistence}. Thread-safe; {@link #load()} is called before the gateway serves,
 * and then periodically when several gateways share the store (see {@code GatewayConfig#storeReconcileInterval}).
 */
public interface RegistryStore extends AutoCloseable {

    /**
     * One kept instance.
     *
     * @param id             the instance id
     * @param plugin         its plugin's name
     * @param leaseExpiresAt when its lease lapses, or null when it has none
     * @param registration   the registration as the gateway serialized it (opaque to the store; JSON text)
     */
    record Stored(String id, String plugin, Instant leaseExpiresAt, String registration) {
        public Stored {
            java.util.Objects.requireNonNull(id, "id");
            java.util.Objects.requireNonNull(plugin, "plugin");
            java.util.Objects.requireNonNull(registration, "registration");
        }
    }

    /**
     * Every kept instance, read when the gateway starts so that it serves them again before it says it is ready, and
     * then every reconciliation interval to follow what other gateways sharing the store changed.
     *
     * @throws RegistryStoreUnavailableException when the store cannot be read
     */
    List<Stored> load();

    /**
     * Keeps an instance, replacing the one with the same id, in one transaction.
     *
     * @throws RegistryStoreUnavailableException when it could not be kept; nothing of it is then kept
     */
    void put(Stored instance);

    /**
     * Records a renewed lease.
     *
     * @throws RegistryStoreUnavailableException when it could not be recorded
     */
    void renew(String id, Instant leaseExpiresAt);

    /**
     * Forgets an instance; forgetting one that is not kept does nothing.
     *
     * @throws RegistryStoreUnavailableException when it could not be forgotten
     */
    void remove(String id);

    /**
     * Forgets an instance whose lease lapsed, unless it was renewed meanwhile: it is deleted only while its kept lease
     * expiry is not later than {@code leaseExpiresAt}, the one the caller saw lapse. Gateways sharing a store each
     * evict by their own view of a lease, and another may have renewed it since; an unconditional {@link #remove}
     * would delete a live registration.
     *
     * @return true when it was forgotten or was not kept at all; false when it is kept with a later lease (or none),
     *         which stays
     * @throws RegistryStoreUnavailableException when it could not be forgotten
     */
    boolean removeIfLapsed(String id, Instant leaseExpiresAt);

    /**
     * Lets a store that hears of changes made through other gateways (a message bus, a database notification) have
     * this gateway reconcile at once rather than at its next {@code storeReconcileInterval}. The gateway calls it once,
     * when it starts; {@code reconcile} returns at once, and bursts of calls coalesce into at most one pass more than
     * the one running. The store stays the source of truth: a call only makes the gateway read it. Default: nothing.
     *
     * @param reconcile what to call when something changed elsewhere; from any thread
     */
    default void onChangedElsewhere(Runnable reconcile) {
    }

    /** Releases the store's connections. */
    @Override
    void close();

    /** The store that keeps nothing: every registration ends with the process (the default). */
    static RegistryStore none() {
        return NoStore.INSTANCE;
    }
}
