package dev.mcpgateway.internal.gateway;

import static dev.mcpgateway.internal.Futures.unwrap;

import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.internal.health.HealthVerdicts;
import dev.mcpgateway.internal.metrics.RestartMeters;
import dev.mcpgateway.internal.upstream.Discovery;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.registry.Registry;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.NotSentException;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.SessionOptions;
import dev.mcpgateway.transport.Transport;
import dev.mcpgateway.transport.UpstreamListener;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one connection per registered instance: opened when the instance registers, closed when it leaves.
 * Each time a connection comes up the plugin's tools, resources, templates and prompts are listed and the
 * instance's manifest updated (and a {@code STARTING} instance set {@code UP}); a broken connection takes the
 * instance out of rotation until it is back; a {@code list_changed} notification lists everything again. Registry events arrive on the
 * control loop, so only connects start there; calls look connections up without locking.
 */
public final class ConnectionManager implements GatewayListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionManager.class);

    private final Map<String, Transport> transports;
    private final Registry registry;
    private final ScheduledExecutorService scheduler;
    private final SessionOptions options;
    private final Duration discoveryTimeout;
    private final HealthVerdicts verdicts;
    /** Counts connection restarts; null when the gateway records no metrics. */
    private final RestartMeters restarts;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    /** Answers plugins' requests when no MCP server is on the gateway: nobody can be asked. */
    private static final PluginListener NOBODY = new PluginListener() {
    };
    /** Who hears plugins' notifications and requests: each MCP server on the gateway. */
    private final List<PluginListener> pluginListeners = new CopyOnWriteArrayList<>();

    public ConnectionManager(Map<String, Transport> transports, Registry registry, ScheduledExecutorService scheduler,
                             SessionOptions options, Duration discoveryTimeout, HealthVerdicts verdicts,
                             RestartMeters restarts) {
        this.transports = Map.copyOf(transports);
        this.registry = registry;
        this.scheduler = scheduler;
        this.options = options;
        this.discoveryTimeout = discoveryTimeout;
        this.verdicts = verdicts;
        this.restarts = restarts;
    }

    /** The gateway's timer, which plugin connections arm their timeouts on. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The connection of an instance; fails with {@code UPSTREAM_UNAVAILABLE} if it has none or could not connect. */
    public CompletableFuture<PluginConnection> connection(String instanceId) {
        Slot slot = slots.get(instanceId);
        return slot != null ? slot.connection : CompletableFuture.failedFuture(new NotSentException(
                "Plugin instance '" + instanceId + "' has no open connection", null));
    }

    /** Adds a listener of plugins' notifications and requests (an MCP server on the gateway). */
    public void addPluginListener(PluginListener listener) {
        pluginListeners.add(listener);
    }

    /** Removes a listener added before (a closing MCP server). */
    public void removePluginListener(PluginListener listener) {
        pluginListeners.remove(listener);
    }

    /**
     * Hands a plugin's request to the listener whose client has a call in flight on the instance, or, when none
     * has, to the first (which says why it cannot be relayed).
     */
    private CompletableFuture<JsonNode> request(String instanceId, JsonRpcRequest request) {
        PluginListener first = null;
        for (PluginListener listener : pluginListeners) {
            if (listener.serves(instanceId)) {
                return listener.onRequest(instanceId, request);
            }
            first = first == null ? listener : first;
        }
        return (first == null ? NOBODY : first).onRequest(instanceId, request);
    }

    /** Completes when the instance's first connection is up and its tools are registered. */
    public CompletableFuture<PluginInstance> ready(String instanceId) {
        Slot slot = slots.get(instanceId);
        return slot != null ? slot.ready : CompletableFuture.failedFuture(new IllegalStateException(
                "instance '" + instanceId + "' is not registered"));
    }

    @Override
    public void onEvent(GatewayEvent event) {
        switch (event) {
            case GatewayEvent.InstanceRegistered registered -> {
                PluginInstance replaced = registered.replaced();
                if (replaced == null || !replaced.manifest().transport().equals(registered.instance().manifest().transport())) {
                    open(registered.instance());
                }
            }
            case GatewayEvent.InstanceDeregistered gone -> close(gone.instance().id());
            case GatewayEvent.LeaseExpired gone -> close(gone.instance().id());
            default -> {
            }
        }
    }

    private void open(PluginInstance instance) {
        Slot slot = new Slot(instance, "plugin '" + instance.pluginName() + "' (" + instance.id() + ")");
        Slot old = slots.put(instance.id(), slot);
        if (old != null) {
            old.close();
        }
        String type = instance.manifest().transport().type();
        Transport transport = transports.get(type);
        CompletableFuture<PluginConnection> connecting = transport != null
                ? transport.connect(instance, new ConnectionContext(instance.id(), slot, scheduler, options))
                : CompletableFuture.failedFuture(new IllegalStateException("no transport of type '" + type
                        + "' is installed; add it with McpGateway.builder().transport(...)"));
        connecting.whenComplete((connection, error) -> {
            if (error == null) {
                slot.connection.complete(connection);
                if (slot.closed.get()) {
                    connection.close();
                }
                return;
            }
            Throwable cause = unwrap(error);
            log.warn("Cannot connect to {}: {}", slot.name, cause.getMessage());
            slot.connection.completeExceptionally(new NotSentException(
                    "Plugin instance '" + instance.id() + "' is unreachable: " + cause.getMessage(), cause));
            slot.ready.completeExceptionally(cause);
            down(slot, "cannot connect: " + cause.getMessage());
        });
    }

    private void close(String instanceId) {
        Slot slot = slots.remove(instanceId);
        if (slot != null) {
            slot.close();
        }
    }

    /** Lists the plugin's tools and puts them into the registry; marks a starting instance up. */
    private void discover(Slot slot, PluginConnection connection) {
        if (slot.closed.get()) {
            return;
        }
        Discovery.everything(connection, slot.name, discoveryTimeout)
                .thenCompose(found -> update(slot, found))
                .thenCompose(instance -> verdicts.connected(slot.instanceId))
                .whenComplete((instance, error) -> {
                    if (error == null) {
                        slot.ready.complete(instance);
                        return;
                    }
                    Throwable cause = unwrap(error);
                    log.warn("Listing the tools of {} failed: {}", slot.name, cause.getMessage());
                    down(slot, "listing tools failed: " + cause.getMessage());
                });
    }

    private CompletableFuture<PluginInstance> update(Slot slot, Discovery.Found found) {
        PluginInstance current = registry.instance(slot.instanceId).orElse(null);
        if (current == null || slot.closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException(slot.name + " left while its tools were listed"));
        }
        // Applied to the manifest in force when the loop gets to it: the instance may be registered again meanwhile.
        CompletableFuture<PluginInstance> updated = registry.updateManifest(slot.instanceId,
                manifest -> manifest.withTools(found.tools()).withCatalog(found.catalog()));
        if (current.status() == InstanceStatus.STARTING) {
            updated = updated.thenCompose(i -> registry.setStatus(slot.instanceId, InstanceStatus.UP));
        }
        return updated;
    }

    private void down(Slot slot, String reason) {
        if (!slot.closed.get()) {
            verdicts.down(slot.instanceId, HealthVerdicts.Source.CONNECTION, reason);
        }
    }

    /** Closes every connection, in parallel (stdio plugins may each take a few seconds to stop), and waits. */
    @Override
    public void close() {
        List<Thread> closing = new java.util.ArrayList<>();
        for (String id : slots.keySet()) {
            Slot slot = slots.remove(id);
            if (slot != null) {
                closing.add(Thread.ofVirtual().name("mcp-gateway-close-" + id).start(() -> {
                    slot.close();
                    slot.connection.thenAccept(c -> { }).exceptionally(e -> null).join();
                }));
            }
        }
        for (Thread thread : closing) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One instance's connection and what it reports. */
    private final class Slot implements UpstreamListener {
        final String instanceId;
        final String name;
        /** Counts the connection's restarts; null when the gateway records no metrics. */
        final Counter restarted;
        final CompletableFuture<PluginConnection> connection = new CompletableFuture<>();
        final CompletableFuture<PluginInstance> ready = new CompletableFuture<>();
        final AtomicBoolean closed = new AtomicBoolean();
        /** Coalesces list_changed bursts: one listing runs at a time, and one more follows if asked meanwhile. */
        final AtomicBoolean relistRunning = new AtomicBoolean();
        final AtomicBoolean relistAgain = new AtomicBoolean();

        Slot(PluginInstance instance, String name) {
            this.instanceId = instance.id();
            this.restarted = restarts == null ? null
                    : restarts.of(instance.pluginName(), instance.manifest().transport().type());
            this.name = name;
        }

        @Override
        public void onConnected() {
            connection.thenAccept(c -> discover(this, c));
        }

        @Override
        public void onDisconnected(Throwable cause) {
            ready.completeExceptionally(cause); // the first connect failed: addPlugin says so (retries go on)
            down(this, cause.getMessage());
            if (restarted != null && !closed.get()) {
                restarted.increment(); // the supervisor connects again after its backoff
            }
        }

        @Override
        public void onNotification(JsonRpcNotification notification) {
            switch (notification.method()) {
                case "notifications/tools/list_changed", "notifications/resources/list_changed",
                     "notifications/prompts/list_changed" -> relist();
                default -> pluginListeners.forEach(listener -> listener.onNotification(instanceId, notification));
            }
        }

        @Override
        public CompletableFuture<JsonNode> onRequest(JsonRpcRequest request) {
            return request(instanceId, request);
        }

        private void relist() {
            relistAgain.set(true);
            if (!relistRunning.compareAndSet(false, true)) {
                return;
            }
            relistAgain.set(false);
            connection.thenCompose(c -> Discovery.everything(c, name, discoveryTimeout))
                    .thenCompose(found -> update(this, found))
                    .whenComplete((instance, error) -> {
                        if (error != null) {
                            log.warn("Listing the tools of {} again failed: {}", name, error.getMessage());
                        }
                        relistRunning.set(false);
                        if (relistAgain.get()) {
                            relist();
                        }
                    });
        }

        /** Closes the connection: at once if it is open, or as soon as a connect in progress completes. */
        void close() {
            if (closed.compareAndSet(false, true)) {
                ready.completeExceptionally(new IllegalStateException(name + " was deregistered"));
                if (connection.isDone() && !connection.isCompletedExceptionally()) {
                    closeQuietly(connection.join());
                } else {
                    connection.thenAccept(this::closeQuietly);
                }
            }
        }

        private void closeQuietly(PluginConnection c) {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.warn("Closing {} failed", name, e);
            }
        }
    }
}
