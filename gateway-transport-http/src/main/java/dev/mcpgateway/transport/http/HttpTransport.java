package dev.mcpgateway.transport.http;

import dev.mcpgateway.internal.auth.UpstreamAuthorizer;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.McpSessions;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.Transport;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reaches plugins over Streamable HTTP (falling back to the legacy HTTP+SSE transport for old servers), with one
 * pooled {@link HttpClient} shared by every plugin connection. Each instance's static headers (credentials for
 * that plugin only) and its upstream credentials ({@link dev.mcpgateway.auth.UpstreamCredentials}: a token the
 * gateway obtains, or the client's token exchanged for one issued to that plugin) come from its
 * {@code TransportSpec.Http}; a client's own token is never passed on.
 * Install it with {@code McpGateway.builder().transport(new HttpTransport())}.
 */
public final class HttpTransport implements Transport {
    private final HttpClientOptions options;
    private final ExecutorService executor;
    private final HttpClient client;

    /** A transport with the default timeouts. */
    public HttpTransport() {
        this(HttpClientOptions.defaults());
    }

    /**
     * A transport with its own timeouts and headers; if {@code options} carries no {@link HttpClient}, the
     * transport creates one (virtual-thread executor) and closes it with itself.
     */
    public HttpTransport(HttpClientOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.httpClient() != null) {
            this.executor = null;
            this.client = null;
            this.options = options;
        } else {
            this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mcp-gateway-http").factory());
            this.client = HttpClient.newBuilder().connectTimeout(options.connectTimeout()).executor(executor)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            this.options = options.toBuilder().httpClient(client).build();
        }
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public CompletableFuture<PluginConnection> connect(PluginInstance instance, ConnectionContext context) {
        if (!(instance.manifest().transport() instanceof TransportSpec.Http spec)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("instance " + instance.id()
                    + " is not an HTTP plugin (transport " + instance.manifest().transport().type() + ")"));
        }
        String plugin = instance.pluginName();
        // One per instance, outliving its channels: a token obtained before a reconnection is still good after it.
        UpstreamAuthorizer auth = UpstreamAuthorizer.of("plugin '" + plugin + "'", spec.credentials(),
                options.httpClient());
        return CompletableFuture.completedFuture(McpSessions.supervised(
                () -> StreamableHttpChannel.of(spec, options, auth, context.scheduler()),
                "plugin '" + plugin + "' (" + instance.id() + ")", context));
    }

    /** Closes the HTTP client this transport created (connections are closed by the gateway before). */
    @Override
    public void close() {
        if (client != null) {
            client.close();
            executor.shutdownNow();
        }
    }
}
