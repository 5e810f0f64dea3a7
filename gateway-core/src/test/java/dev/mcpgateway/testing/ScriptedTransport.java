package dev.mcpgateway.testing;

import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.McpSessions;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A transport of type {@code stdio} whose "processes" are {@link ScriptedServer}s, supervised as real ones are: each
 * (re)start of an instance asks the factory for a new server, so tests can make instances die, restart and hang.
 */
public final class ScriptedTransport implements Transport {
    private final Function<PluginInstance, ScriptedServer> servers;

    /** @param servers makes the server of an instance, once per start */
    public ScriptedTransport(Function<PluginInstance, ScriptedServer> servers) {
        this.servers = servers;
    }

    @Override
    public String type() {
        return "stdio";
    }

    @Override
    public CompletableFuture<PluginConnection> connect(PluginInstance instance, ConnectionContext context) {
        return CompletableFuture.completedFuture(McpSessions.supervised(() -> servers.apply(instance),
                "plugin '" + instance.pluginName() + "' (" + instance.id() + ")", context));
    }
}
