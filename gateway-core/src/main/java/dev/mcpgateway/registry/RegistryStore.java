package dev.mcpgateway.registry;

import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.health.Health;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

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
     * @param drained        whether it was drained ({@link #drain}) since it was last registered
     */
    record Stored(String id, String plugin, Instant leaseExpiresAt, String registration, boolean drained) {
        public Stored {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(plugin, "plugin");
            Objects.requireNonNull(registration, "registration");
        }

        /** An instance as registered: not drained. */
        public Stored(String id, String plugin, Instant leaseExpiresAt, String registration) {
            this(id, plugin, leaseExpiresAt, registration, false);
        }
    }

    /**
     * The routing rules replaced at run time, as one versioned set.
     *
     * @param version the set's version: every {@link #putRules} keeps a higher one than the set before, so a gateway
     *                that adopted one never goes back to an older
     * @param rules   the rules as the gateway serialized them (opaque to the store; JSON text)
     */
    record StoredRules(long version, String rules) {
        public StoredRules {
            Objects.requireNonNull(rules, "rules");
        }
    }

    /**
     * A health transition a gateway saw, for the audit trail and for the gateways sharing the store.
     *
     * @param instanceId the instance
     * @param plugin     its plugin's name
     * @param from       its health before
     * @param to         its health now
     * @param reason     why, as health checking concluded (may be null)
     * @param gateway    the gateway that saw it
     */
    record HealthTransition(String instanceId, String plugin, Health from, Health to, String reason,
                            String gateway) {
        public HealthTransition {
            Objects.requireNonNull(instanceId, "instanceId");
            Objects.requireNonNull(plugin, "plugin");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(gateway, "gateway");
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
     * Records whether an instance is drained (taken out of service: {@code drained}) or back in service, so that
     * every gateway sharing the store takes it out of service too, and a restarted one starts with it drained. A
     * {@link #put} of the instance (it registered again) clears it. Nothing happens for an instance that is not kept
     * or already so. Default: nothing (the drain ends with the process).
     *
     * @throws RegistryStoreUnavailableException when it could not be recorded; the drain is then not applied
     */
    default void drain(String id, boolean drained) {
    }

    /**
     * The routing rules last kept with {@link #putRules}, read before the gateway serves (a kept set wins over the
     * configuration's rules) and at every reconciliation (a newer version is adopted). Default: none kept.
     *
     * @throws RegistryStoreUnavailableException when the store cannot be read
     */
    default Optional<StoredRules> loadRules() {
        return Optional.empty();
    }

    /**
     * Keeps {@code rules} as the routing rules of every gateway sharing the store, under a version higher than any
     * kept before, in one transaction.
     *
     * @return the version kept; 0 when the store does not keep rules (the default)
     * @throws RegistryStoreUnavailableException when they could not be kept; the replacement is then not applied
     */
    default long putRules(String rules) {
        return 0;
    }

    /**
     * Appends a health transition to the audit trail and, where the store can, tells the other gateways of it. Called
     * off the control loop, and never on the call path; a failure is logged by the caller, never retried. Default:
     * nothing.
     */
    default void recordHealth(HealthTransition transition) {
    }

    /**
     * Appends {@code count} failures of clients to authenticate at a front door, alike and coalesced into one (the
     * latest is {@code failure}), to the audit trail. Called off the request threads and the control loop, at most
     * once per surface, reason and client address every ten seconds and twenty times a second in all, however many
     * failures clients cause; a failure is logged by the caller, never retried. Default: nothing.
     */
    default void recordAuthFailure(AuthFailure failure, int count) {
    }

    /**
     * This store with the changes written through it ({@link #put}, {@link #remove}, {@link #removeIfLapsed},
     * {@link #drain}, {@link #putRules}) attributed to {@code actor} in its audit trail: the subject of the principal
     * that made them over the management API, or {@code host}, {@code config}, {@code gateway}, {@code -} (see
     * {@code docs/AUDIT.md}). The view shares this store's connections and is not closed on its own. Default: this
     * store, which keeps no actor.
     */
    default RegistryStore attributedTo(String actor) {
        return this;
    }

    /**
     * Lets a store that hears of another gateway seeing an instance go {@link Health#UNHEALTHY} have this gateway
     * probe that instance at once. The gateway calls it once, when it starts, if it probes instances itself. Default:
     * nothing.
     *
     * @param probe what to call with the instance id; from any thread, returns at once
     */
    default void onUnhealthyElsewhere(Consumer<String> probe) {
    }

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
