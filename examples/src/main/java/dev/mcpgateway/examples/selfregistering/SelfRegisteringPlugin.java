package dev.mcpgateway.examples.selfregistering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.examples.demo.DemoServers;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.HttpTransport;
import dev.mcpgateway.transport.http.PluginRegistration;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An MCP server over Streamable HTTP that registers itself with a gateway when it starts, its tools in the manifest
 * so that they are routable at once, keeps its lease renewed, and deregisters when it stops. Its tools:
 * {@code add_note {text}} and {@code list_notes}, notes kept in memory.
 *
 * <pre>
 * java -cp mcp-gateway.jar dev.mcpgateway.examples.selfregistering.SelfRegisteringPlugin \
 *     --gateway http://127.0.0.1:9105 [--port 0] [--lease-seconds 30]
 * </pre>
 */
public final class SelfRegisteringPlugin implements AutoCloseable {
    /** The plugin's name, and its tools' namespace at the gateway: {@code notes__add_note}. */
    public static final String NAME = "notes";
    private static final Duration SELF_CHECK_TIMEOUT = Duration.ofSeconds(10);

    private final McpGateway gateway;
    private final McpServer server;
    private final McpHttpServer http;
    private final PluginRegistration registration;

    private SelfRegisteringPlugin(McpGateway gateway, McpServer server, McpHttpServer http,
                                  PluginRegistration registration) {
        this.gateway = gateway;
        this.server = server;
        this.http = http;
        this.registration = registration;
    }

    /**
     * Serves the notes tools on 127.0.0.1:{@code port} (0 picks a free port) and starts registering them with the
     * gateway at {@code gatewayUri}, e.g. {@code http://127.0.0.1:9105}; retries in the background while it is
     * unreachable.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static SelfRegisteringPlugin start(int port, URI gatewayUri, Duration lease) {
        InProcessPlugin plugin = plugin();
        McpGateway gateway = DemoServers.gatewayServing(plugin);
        McpServer server = McpServer.create(gateway);
        McpHttpServer http = null;
        try {
            http = McpHttpServer.start(server, HttpFrontDoorOptions.builder().host("127.0.0.1").port(port).build());
            PluginManifest manifest = PluginManifest.builder(NAME).version("1.0.0")
                    .transport(new TransportSpec.Http(http.endpoint(), Map.of()))
                    .tools(List.copyOf(plugin.tools().values()))
                    .build();
            PluginRegistration registration = PluginRegistration.builder().gateway(gatewayUri).manifest(manifest)
                    .lease(lease).build();
            selfCheck(manifest);
            SelfRegisteringPlugin started = new SelfRegisteringPlugin(gateway, server, http, registration);
            registration.start();
            return started;
        } catch (IOException e) {
            server.close();
            gateway.close();
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + "; pick another port", e);
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            server.close();
            gateway.close();
            throw e;
        }
    }

    /**
     * Connects to the plugin's own endpoint the way a gateway will (a session over Streamable HTTP, its tools listed)
     * before it is registered: a plugin should not advertise an endpoint that does not answer yet, and the first
     * session, which loads the server's classes, is then not the gateway's, so the gateway's first call is served
     * as fast as any.
     *
     * @throws IllegalStateException if the endpoint does not answer as an MCP server with the manifest's tools
     */
    private static void selfCheck(PluginManifest manifest) {
        try (McpGateway probe = McpGateway.builder().transport(new HttpTransport()).build()) {
            PluginInstance reached = probe.addPlugin(manifest).get(SELF_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (reached.manifest().tools().size() != manifest.tools().size()) {
                throw new IllegalStateException("the plugin's own endpoint lists " + reached.manifest().tools().size()
                        + " tools, its manifest " + manifest.tools().size());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the plugin's own endpoint " + manifest.transport()
                    + " does not answer MCP: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the plugin's own endpoint", e);
        }
    }

    /**
     * Serves and stays registered until the process is stopped, then deregisters. Arguments: {@code --gateway URL}
     * (required), {@code --port N} (default 0: a free port), {@code --lease-seconds N} (default 30).
     */
    public static void main(String[] args) throws InterruptedException {
        URI gatewayUri = null;
        int port = 0;
        Duration lease = PluginRegistration.DEFAULT_LEASE;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--gateway" -> gatewayUri = URI.create(args[i + 1]);
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--lease-seconds" -> lease = Duration.ofSeconds(Long.parseLong(args[i + 1]));
                default -> throw usage(args);
            }
        }
        if (gatewayUri == null || args.length % 2 != 0) {
            throw usage(args);
        }
        SelfRegisteringPlugin notes = start(port, gatewayUri, lease);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            notes.close();
            stopped.countDown();
        }, "notes-plugin-shutdown"));
        System.err.println("Notes plugin listening on " + notes.endpoint() + ", registering with " + gatewayUri
                + " as instance " + notes.instanceId());
        stopped.await();
    }

    /** The plugin's tools as an in-process plugin named {@value #NAME}. */
    public static InProcessPlugin plugin() {
        List<String> notes = new CopyOnWriteArrayList<>();
        return InProcessPlugin.builder(NAME).version("1.0.0")
                .tool(Tool.builder("add_note")
                        .description("Keeps a note in memory")
                        .inputSchema(DemoServers.property(DemoServers.objectSchema("text"), "text", "string",
                                "the note"))
                        .build(), (arguments, context) -> add(notes, arguments))
                .tool(Tool.builder("list_notes")
                        .description("The notes kept so far, one a line")
                        .inputSchema(DemoServers.objectSchema())
                        .build(), (arguments, context) -> CallToolResult.text(String.join("\n", notes)))
                .build();
    }

    /** The MCP endpoint the gateway is told to reach it at, e.g. {@code http://127.0.0.1:40123/mcp}. */
    public URI endpoint() {
        return http.endpoint();
    }

    /** The instance id it registers under. */
    public String instanceId() {
        return registration.instanceId();
    }

    /** Its registration with the gateway, e.g. to {@link PluginRegistration#awaitRegistered await} it. */
    public PluginRegistration registration() {
        return registration;
    }

    /** Deregisters (so that the gateway stops routing here first), then stops serving. */
    @Override
    public void close() {
        try {
            registration.close();
        } finally {
            try {
                http.close();
            } finally {
                server.close();
                gateway.close();
            }
        }
    }

    private static CallToolResult add(List<String> notes, JsonNode arguments) {
        JsonNode text = arguments.path("text");
        if (!text.isTextual() || text.asText().isBlank()) {
            return CallToolResult.error("add_note needs a text, e.g. {\"text\": \"buy milk\"}; got " + text);
        }
        notes.add(text.asText());
        return CallToolResult.text("noted (" + notes.size() + " notes)");
    }

    private static IllegalArgumentException usage(String[] args) {
        return new IllegalArgumentException("usage: SelfRegisteringPlugin --gateway URL [--port N] [--lease-seconds N];"
                + " got " + String.join(" ", args));
    }
}
