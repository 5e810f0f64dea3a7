package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.Transport;
import java.util.concurrent.CompletableFuture;

/**
 * A transport of type {@code http} whose plugins are in-test {@link ScriptedServer}s (listing {@code echo} and
 * {@code slow}), so plugins registered over the management API with an {@code http} URL connect at once and
 * deterministically, without a server of their own.
 */
final class ScriptedHttpTransport implements Transport {
    private final ScriptedTransport scripted = new ScriptedTransport(
            instance -> new ScriptedServer(ScriptedServer.Era.LEGACY));

    @Override
    public String type() {
        return "http";
    }

    @Override
    public CompletableFuture<PluginConnection> connect(PluginInstance instance, ConnectionContext context) {
        return scripted.connect(instance, context);
    }
}
