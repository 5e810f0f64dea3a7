package dev.mcpgateway.transport;

import dev.mcpgateway.internal.upstream.SupervisedConnection;
import java.util.function.Supplier;

/**
 * The gateway's MCP client, for transport implementers: give it a way to open {@link MessageChannel}s and it
 * runs the session on top (handshake in either era, request ids, timeouts with upstream cancellation,
 * progress, server-to-client requests) and keeps it alive, restarting with backoff when a channel ends.
 */
public final class McpSessions {
    private McpSessions() {
    }

    /**
     * A supervised connection; it connects in the background and reports each successful handshake with
     * {@link UpstreamListener#onConnected()} and each break with {@link UpstreamListener#onDisconnected}.
     * Until it is connected, calls fail fast with {@code UPSTREAM_UNAVAILABLE}.
     *
     * @param channels opens a fresh channel for each attempt (for stdio: launches the process)
     * @param plugin   how logs and errors name the plugin, e.g. {@code plugin 'files' (files-1)}
     */
    public static PluginConnection supervised(Supplier<MessageChannel> channels, String plugin, ConnectionContext context) {
        return SupervisedConnection.start(channels, plugin, context);
    }
}
