package dev.mcpgateway.internal.gateway;

import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.Transport;
import dev.mcpgateway.transport.UpstreamListener;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one connection per registered instance: opened when the instance registers, closed when it leaves.
 * Reacts to registry events on the control loop, so it only starts connects there (transports connect
 * asynchronously); calls look connections up without locking.
 */
public final class ConnectionManager implements GatewayListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionManager.class);

    private final Map<String, Transport> transports;
    private final BiConsumer<PluginInstance, Throwable> onConnectFailure;
    private final ConcurrentHashMap<String, CompletableFuture<PluginConnection>> connections = new ConcurrentHashMap<>();

    /**
     * @param transports       installed transports by type
     * @param onConnectFailure told when an instance cannot be reached, to take it out of rotation
     */
    public ConnectionManager(Map<String, Transport> transports, BiConsumer<PluginInstance, Throwable> onConnectFailure) {
        this.transports = Map.copyOf(transports);
        this.onConnectFailure = onConnectFailure;
    }

    /** The connection of an instance; fails with {@code UPSTREAM_UNAVAILABLE} if it has none or could not connect. */
    public CompletableFuture<PluginConnection> connection(String instanceId) {
        CompletableFuture<PluginConnection> connection = connections.get(instanceId);
        return connection != null ? connection : CompletableFuture.failedFuture(new JsonRpcException(
                ErrorCodes.UPSTREAM_UNAVAILABLE, "Plugin instance '" + instanceId + "' has no open connection"));
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
        String type = instance.manifest().transport().type();
        Transport transport = transports.get(type);
        CompletableFuture<PluginConnection> connecting = transport != null
                ? transport.connect(instance, UpstreamListener.NONE)
                : CompletableFuture.failedFuture(new IllegalStateException("no transport of type '" + type
                        + "' is installed; add it with McpGateway.builder().transport(...)"));
        CompletableFuture<PluginConnection> connection = connecting.handle((c, error) -> {
            if (error == null) {
                return c;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            log.warn("Cannot connect to plugin instance {}: {}", instance.describe(), cause.getMessage());
            onConnectFailure.accept(instance, cause);
            throw new JsonRpcException(ErrorCodes.UPSTREAM_UNAVAILABLE, "Plugin instance '" + instance.id()
                    + "' is unreachable: " + cause.getMessage(), null, null, cause);
        });
        CompletableFuture<PluginConnection> old = connections.put(instance.id(), connection);
        if (old != null) {
            closeQuietly(old);
        }
    }

    private void close(String instanceId) {
        CompletableFuture<PluginConnection> connection = connections.remove(instanceId);
        if (connection != null) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(CompletableFuture<PluginConnection> connection) {
        connection.thenAccept(c -> {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.warn("Closing a plugin connection failed", e);
            }
        });
    }

    /** Closes every connection. */
    @Override
    public void close() {
        for (String id : connections.keySet()) {
            close(id);
        }
    }
}
