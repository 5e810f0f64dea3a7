package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.Transport;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A transport of type {@code http} whose plugins are in-test {@link ScriptedServer}s (listing {@code echo} and
 * {@code slow}), so plugins registered over the management API with an {@code http} URL connect at once and
 * deterministically, without a server of their own. A test scripts the servers of one plugin with {@link #script}.
 */
final class ScriptedHttpTransport implements Transport {
    private final Map<String, Consumer<ScriptedServer>> scripts = new ConcurrentHashMap<>();
    private final ScriptedTransport scripted = new ScriptedTransport(this::server);

    /** Scripts every server started from now on for instances of the plugin. */
    void script(String plugin, Consumer<ScriptedServer> script) {
        scripts.put(plugin, script);
    }

    private ScriptedServer server(PluginInstance instance) {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        scripts.getOrDefault(instance.pluginName(), s -> { }).accept(server);
        return server;
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public CompletableFuture<PluginConnection> connect(PluginInstance instance, ConnectionContext context) {
        return scripted.connect(instance, context);
    }
}
