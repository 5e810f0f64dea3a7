package dev.mcpgateway.transport;

import dev.mcpgateway.plugin.PluginInstance;
import java.util.concurrent.CompletableFuture;

/**
 * Opens connections to plugin instances of one transport type (stdio, http, in-process). Implemented by the
 * transport modules and installed on the gateway's builder; the gateway picks the one whose {@link #type()}
 * equals the instance's {@code TransportSpec.type()}.
 */
public interface Transport extends AutoCloseable {

    /** The {@code TransportSpec} type this transport serves, e.g. {@code stdio}. */
    String type();

    /**
     * Connects to an instance and completes the MCP handshake.
     *
     * @param instance the instance to reach; its manifest's transport spec has this transport's type
     * @param context  where to report what the plugin sends, the gateway's scheduler and session options
     */
    CompletableFuture<PluginConnection> connect(PluginInstance instance, ConnectionContext context);

    /** Releases what the transport holds (threads, HTTP clients); connections are closed by their owners. */
    @Override
    default void close() {
    }
}
