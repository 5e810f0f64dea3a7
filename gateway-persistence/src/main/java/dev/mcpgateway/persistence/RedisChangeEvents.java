package dev.mcpgateway.persistence;

import dev.mcpgateway.persistence.internal.redis.ChangeChannel;
import dev.mcpgateway.persistence.internal.redis.NotifyingRegistryStore;
import dev.mcpgateway.registry.RegistryStore;
import java.util.Objects;

/**
 * Change events over Redis pub/sub between gateways sharing a PostgreSQL schema, so that a registration, renewal or
 * deregistration through one is followed by the others within milliseconds rather than at their next
 * {@code storeReconcileInterval}. Wrap the store the gateway is built with:
 *
 * <pre>{@code
 * RedisChangeEvents events = RedisChangeEvents.open(RedisOptions.fromEnvironment(System.getenv()).build());
 * McpGateway gateway = McpGateway.builder()
 *         .registryStore(PostgresRegistryStore.open(postgres).withChangeEvents(events))
 *         .build();
 * }</pre>
 *
 * <p>After each change the store kept, a message {@code {"gateway":<this gateway's id>,"instance":<instance id>}} is
 * published on {@link RedisOptions#channel()} (never the registration itself); a message from another gateway makes
 * this one reconcile with PostgreSQL, which stays the source of truth, so an old or repeated event cannot undo a newer
 * change. Redis being away never holds up or fails a registry change: events are dropped (logged once, and once again
 * when Redis is back), the listener reconnects with capped exponential back-off and reconciles once when it does, and
 * the periodic reconciliation covers the gap. Closing the wrapped store (the gateway does when it closes) closes this.
 */
public final class RedisChangeEvents implements AutoCloseable {
    private final ChangeChannel channel;

    private RedisChangeEvents(ChangeChannel channel) {
        this.channel = channel;
    }

    /**
     * Starts listening on the channel; returns at once, also when Redis cannot be reached (it is then retried).
     *
     * @param options where Redis is, and the channel
     */
    public static RedisChangeEvents open(RedisOptions options) {
        return new RedisChangeEvents(new ChangeChannel(Objects.requireNonNull(options, "options")));
    }

    /**
     * {@code store}, telling the other gateways of each change it keeps and having the gateway built with it reconcile
     * when they tell of theirs. Use one {@code RedisChangeEvents} per store; closing the returned store closes both.
     */
    public RegistryStore around(RegistryStore store) {
        return new NotifyingRegistryStore(store, channel);
    }

    /** This gateway's id in the events it publishes (random per {@link #open}); its own events are ignored. */
    public String gatewayId() {
        return channel.gatewayId();
    }

    /** Whether it is subscribed to the channel right now (false while Redis is away). */
    public boolean subscribed() {
        return channel.subscribed();
    }

    /** Stops listening and publishing; closing the store from {@link #around} does this too. */
    @Override
    public void close() {
        channel.close();
    }
}
