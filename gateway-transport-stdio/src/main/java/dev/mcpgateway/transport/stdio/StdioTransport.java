package dev.mcpgateway.transport.stdio;

import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.McpSessions;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.Transport;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Runs stdio plugins: each instance is a child process speaking newline-delimited JSON-RPC, supervised so a
 * process that exits is restarted with backoff (its calls in flight fail at once, naming the exit code).
 * Install it with {@code McpGateway.builder().transport(new StdioTransport())}.
 */
public final class StdioTransport implements Transport {
    private final StdioOptions options;

    /** A transport with the default line limit and shutdown grace periods. */
    public StdioTransport() {
        this(StdioOptions.defaults());
    }

    /** A transport with its own line limit and shutdown grace periods. */
    public StdioTransport(StdioOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public String type() {
        return "stdio";
    }

    @Override
    public CompletableFuture<PluginConnection> connect(PluginInstance instance, ConnectionContext context) {
        if (!(instance.manifest().transport() instanceof TransportSpec.Stdio spec)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("instance " + instance.id()
                    + " is not a stdio plugin (transport " + instance.manifest().transport().type() + ")"));
        }
        String plugin = instance.pluginName();
        return CompletableFuture.completedFuture(McpSessions.supervised(() -> new StdioChannel(spec, plugin, options),
                "plugin '" + plugin + "' (" + instance.id() + ")", context));
    }
}
