package dev.mcpgateway.registry;

import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.ToolKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The source of truth for plugin instances: register, renew a lease, deregister, set status and health.
 * Changes are applied one at a time on the gateway's control loop; each returned future completes once the
 * change is applied and the routing table that reflects it is published, so a call made after
 * {@code register(...).join()} can already be routed to the new instance. Failures complete the future
 * exceptionally ({@link UnknownInstanceException} for an unknown id, {@link IllegalStateException} once closed).
 * Do not join these futures from a {@link GatewayListener}: listeners run on the control loop itself.
 */
public interface Registry {

    /**
     * Adds an instance, or replaces the one with the same id (keeping its load figures); fails with
     * {@link InstanceConflictException} when that id belongs to another plugin's instance.
     */
    CompletableFuture<PluginInstance> register(Registration registration);

    /** Extends the instance's lease by its lease duration from now; a no-op for instances without a lease. */
    CompletableFuture<PluginInstance> renew(String instanceId);

    /** Removes the instance; completes with the removed snapshot. */
    CompletableFuture<PluginInstance> deregister(String instanceId);

    /** Sets the administrative status (only {@code UP} instances take traffic). */
    CompletableFuture<PluginInstance> setStatus(String instanceId, InstanceStatus status);

    /**
     * Takes the instance out of service ({@code OUT_OF_SERVICE}: calls routed from now on go elsewhere) and completes
     * once the tool calls in flight on it have finished, with the instance as it then is. It stays registered; set it
     * {@code UP} again, or deregister it.
     */
    CompletableFuture<PluginInstance> drain(String instanceId);

    /**
     * Records what health checking concluded. A new health is kept with when it changed
     * ({@link PluginInstance#healthSince()}) and why ({@link PluginInstance#healthReason()}); the same health again
     * changes nothing, so {@code healthSince} says how long the instance has been in that state.
     *
     * @param reason a short explanation kept for events, logs and error messages, e.g. "3 probes timed out"
     */
    CompletableFuture<PluginInstance> reportHealth(String instanceId, Health health, String reason);

    /** Replaces the instance's manifest (new tool list after discovery, new weight or labels). */
    CompletableFuture<PluginInstance> updateManifest(String instanceId, PluginManifest manifest);

    /**
     * Changes the instance's manifest as {@code change} says, applied to the manifest the instance has when the
     * change is made: what discovery found (tools, catalog) lands on the registration in force then, so a
     * re-registration made meanwhile (new labels, a new version) is not undone by a manifest read before it.
     */
    CompletableFuture<PluginInstance> updateManifest(String instanceId, UnaryOperator<PluginManifest> change);

    /**
     * The periodic pass over what time changes, by the registry's clock. It removes instances whose lease ran out,
     * longest lapsed first, but passes together remove at most a share of the leased instances within any sliding
     * window ({@code GatewayConfig.leaseEvictionMaxShare} per {@code leaseEvictionWindow}, at least one): when many
     * leases lapse at once the network is more likely at fault than the plugins, so the rest wait until the window
     * has moved on, and one that renews meanwhile stays. (Routing does not wait for this: health checks keep
     * unreachable instances out of rotation; eviction tidies the registry.) It also withdraws from the
     * listing the tools whose grace period ran out ({@code GatewayConfig.toolGracePeriod}). A new routing table is
     * published only if something changed. The gateway calls this every {@code leaseCheckInterval}; tests call it
     * after moving a fake clock.
     *
     * @return the instances removed by this pass
     */
    CompletableFuture<List<PluginInstance>> evictExpired();

    /** The instance with this id as of the last applied change. Lock-free. */
    Optional<PluginInstance> instance(String instanceId);

    /** All instances, sorted by id. */
    List<PluginInstance> instances();

    /** The instances that offer the tool, in any status, sorted by id. */
    List<PluginInstance> findByTool(ToolKey tool);

    /** Adds a listener for every later change. */
    void addListener(GatewayListener listener);

    /** Removes a listener added before. */
    void removeListener(GatewayListener listener);
}
