package dev.mcpgateway.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.ToolHandler;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.server.SessionStore;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.McpSessions;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.SessionOptions;
import dev.mcpgateway.transport.UpstreamListener;
import dev.mcpgateway.transport.http.HttpTransport;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import dev.mcpgateway.transport.stdio.StdioChannel;
import dev.mcpgateway.transport.stdio.StdioTransport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The load scenarios of the end-to-end tool. Each has a gateway path and a direct path to the same echo plugin,
 * measured under the same load, so the gateway's own cost is the difference between the two.
 */
enum Scenario {
    /**
     * The gateway's pure cost: its HTTP front door over an in-process tool, against the same HTTP server answering a
     * canned result.
     */
    HTTP_IN_PROCESS(1, "HTTP → gateway → in-process tool", "HTTP → same HTTP server, canned result (floor)"),
    /** A gateway in front of an HTTP plugin, against calling the plugin over HTTP. */
    HTTP_HTTP(2, "HTTP → gateway → HTTP plugin", "HTTP → HTTP plugin"),
    /** A gateway in front of two stdio plugin processes, against the MCP client engine speaking stdio to them. */
    HTTP_STDIO(3, "HTTP → gateway → stdio plugin ×2", "client engine → stdio plugin ×2"),
    /** The embedded gateway's call path, against calling the tool's handler. */
    IN_PROCESS(4, "McpGateway.callTool → in-process tool", "tool handler called directly"),
    /**
     * Scenario 2 without the MCP work: a relay that only moves bytes between the client and the HTTP plugin, on the
     * gateway's server and upstream pool ({@link RelayHttpServer}), against calling the plugin over HTTP. Its ratio to
     * the direct path is roughly the most scenario 2's can reach on the machine.
     */
    HTTP_RELAY_HTTP(5, "HTTP → byte relay (no MCP work) → HTTP plugin", "HTTP → HTTP plugin"),
    /**
     * Scenario 1 with the tool's handler on the caller's thread ({@code InProcessPlugin.Builder
     * #handlersOnCallerThread}): the front door's request thread runs it, with no hand-off to a thread of its own.
     */
    HTTP_IN_PROCESS_CALLER_THREAD(6, "HTTP → gateway → in-process tool on the request's thread",
            "HTTP → same HTTP server, canned result (floor)");

    private static final int STDIO_INSTANCES = 2;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    final int number;
    final String gatewayPath;
    final String directPath;

    Scenario(int number, String gatewayPath, String directPath) {
        this.number = number;
        this.gatewayPath = gatewayPath;
        this.directPath = directPath;
    }

    /**
     * The scenario numbered as in the issue (1 to 4; 5 is scenario 2 without the MCP work, 6 scenario 1 with the
     * handler on the caller's thread).
     */
    static Scenario number(int number) {
        for (Scenario scenario : values()) {
            if (scenario.number == number) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("no scenario " + number + "; they are numbered 1 to " + values().length);
    }

    /**
     * How the gateway of a scenario is set up beyond its plugins, so that a feature can be switched on for one run
     * ({@link FeatureCost}) while the plugins, the front door and the load stay the same.
     *
     * @param gateway     changes to the gateway's builder (its transport is already set)
     * @param frontDoor   changes to the HTTP front door's options (host and port are already set)
     * @param sessions    opens the store of client sessions the MCP server shares (the server closes it)
     * @param source      who the plugin instances are registered as: {@link RegistrationSource#API} makes a registry
     *                    store keep them, as it keeps instances registered over the management API
     * @param bearerToken the token every load request carries in {@code Authorization: Bearer}, or null for none
     */
    record Setup(UnaryOperator<McpGateway.Builder> gateway, UnaryOperator<HttpFrontDoorOptions.Builder> frontDoor,
                 Supplier<SessionStore> sessions, RegistrationSource source, String bearerToken) {
        /** The gateway as the load tool measures it: every default, sessions in memory, no token. */
        static final Setup DEFAULTS = new Setup(UnaryOperator.identity(), UnaryOperator.identity(), SessionStore::none,
                RegistrationSource.HOST, null);
    }

    /**
     * Starts the scenario's plugin(s) and gateway.
     *
     * @param toolName the plugin tool the load calls: {@link EchoPlugin#NAME}, or an unknown one to measure errors
     */
    Fixture start(String toolName) throws Exception {
        return start(toolName, Setup.DEFAULTS);
    }

    /**
     * Starts the scenario's plugin(s) and a gateway set up as {@code setup} says.
     *
     * @param toolName the plugin tool the load calls: {@link EchoPlugin#NAME}, or an unknown one to measure errors
     */
    Fixture start(String toolName, Setup setup) throws Exception {
        Fixture fixture = new Fixture();
        try {
            switch (this) {
                case HTTP_IN_PROCESS, HTTP_IN_PROCESS_CALLER_THREAD -> {
                    McpGateway gateway = fixture.own(setup.gateway().apply(McpGateway.builder()).build());
                    gateway.registerInProcess(EchoPlugin.plugin(this == HTTP_IN_PROCESS_CALLER_THREAD)).join();
                    fixture.gateway = http(fixture, gateway, toolName, setup);
                    FloorHttpServer floor = fixture.own(FloorHttpServer.start());
                    fixture.direct = httpTarget(directPath, floor.endpoint(), toolName);
                }
                case HTTP_HTTP -> {
                    EchoPlugin.HttpPlugin plugin = fixture.own(EchoPlugin.HttpPlugin.start());
                    McpGateway gateway = fixture.own(setup.gateway().apply(McpGateway.builder()
                            .transport(new HttpTransport())).build());
                    gateway.addPlugin(Registration.of(PluginManifest.builder(EchoPlugin.NAME)
                            .transport(new TransportSpec.Http(plugin.endpoint(), Map.of())).build())
                            .withSource(setup.source())).join();
                    fixture.gateway = http(fixture, gateway, toolName, setup);
                    fixture.direct = httpTarget(directPath, plugin.endpoint(), toolName);
                }
                case HTTP_RELAY_HTTP -> {
                    EchoPlugin.HttpPlugin plugin = fixture.own(EchoPlugin.HttpPlugin.start());
                    RelayHttpServer relay = fixture.own(RelayHttpServer.start(plugin.endpoint()));
                    fixture.gateway = httpTarget(gatewayPath, relay.endpoint(), toolName);
                    fixture.direct = httpTarget(directPath, plugin.endpoint(), toolName);
                }
                case HTTP_STDIO -> {
                    List<String> command = StdioEchoPlugin.command();
                    TransportSpec.Stdio spec = new TransportSpec.Stdio(command.getFirst(),
                            command.subList(1, command.size()), Map.of(), false, null);
                    McpGateway gateway = fixture.own(setup.gateway().apply(McpGateway.builder()
                            .transport(new StdioTransport())).build());
                    PluginManifest manifest = PluginManifest.builder(EchoPlugin.NAME).transport(spec).build();
                    List<CompletableFuture<?>> started = new ArrayList<>();
                    for (int i = 0; i < STDIO_INSTANCES; i++) {
                        started.add(gateway.addPlugin(Registration.of(manifest).withSource(setup.source())));
                    }
                    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
                    fixture.gateway = http(fixture, gateway, toolName, setup);
                    fixture.direct = stdioDirect(fixture, spec, toolName);
                }
                case IN_PROCESS -> {
                    McpGateway gateway = fixture.own(setup.gateway().apply(McpGateway.builder()).build());
                    gateway.registerInProcess(EchoPlugin.plugin(false)).join();
                    String exposed = exposedName(gateway, toolName);
                    JsonNode arguments = EchoPlugin.arguments();
                    fixture.gateway = target(gatewayPath, client -> () -> {
                        try {
                            return !gateway.callTool(exposed, arguments).join().isError();
                        } catch (CompletionException e) {
                            return false; // unknown tool, no instance...: an error answer
                        }
                    });
                    ToolHandler handler = EchoPlugin.plugin(false).handler(toolName);
                    fixture.direct = target(directPath, client -> () -> handler != null
                            && !handler.call(arguments, EchoPlugin.NO_CONTEXT).isError());
                }
            }
            return fixture;
        } catch (Exception | Error e) {
            fixture.close();
            throw e;
        }
    }

    /** The gateway's HTTP front door on a free port, and a target calling the tool through it. */
    private Target http(Fixture fixture, McpGateway gateway, String toolName, Setup setup) throws Exception {
        McpServer server = fixture.own(McpServer.create(gateway, ServerOptions.defaults(), setup.sessions().get()));
        McpHttpServer front = fixture.own(McpHttpServer.start(server,
                setup.frontDoor().apply(HttpFrontDoorOptions.builder().host("127.0.0.1").port(0)).build()));
        fixture.endpoint = front.endpoint();
        fixture.instance = gateway;
        return httpTarget(gatewayPath, front.endpoint(), exposedName(gateway, toolName), setup.bearerToken());
    }

    private static Target httpTarget(String description, URI endpoint, String toolName) {
        return httpTarget(description, endpoint, toolName, null);
    }

    private static Target httpTarget(String description, URI endpoint, String toolName, String bearerToken) {
        return target(description, client -> {
            RawMcpHttpConnection connection = RawMcpHttpConnection.open(endpoint, toolName, EchoPlugin.ARGUMENTS_JSON,
                    bearerToken);
            return new Target.Caller() {
                @Override
                public boolean call() throws Exception {
                    return !connection.call().isError();
                }

                @Override
                public void close() throws Exception {
                    connection.close();
                }
            };
        });
    }

    /**
     * The stdio plugin processes reached without the gateway: the same MCP client engine the gateway uses
     * upstream (handshake, ids, timeouts), one session per process, clients spread over them round-robin.
     */
    private Target stdioDirect(Fixture fixture, TransportSpec.Stdio spec, String toolName) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("load-direct-scheduler").daemon(true).factory());
        fixture.own(scheduler::shutdownNow);
        List<PluginConnection> connections = new ArrayList<>();
        for (int i = 0; i < STDIO_INSTANCES; i++) {
            CompletableFuture<Void> connected = new CompletableFuture<>();
            UpstreamListener listener = new UpstreamListener() {
                @Override
                public void onConnected() {
                    connected.complete(null);
                }
            };
            PluginConnection connection = fixture.own(McpSessions.supervised(
                    () -> new StdioChannel(spec, EchoPlugin.NAME), "direct stdio echo " + i,
                    new ConnectionContext("direct-" + i, listener, scheduler, SessionOptions.defaults())));
            connected.orTimeout(30, TimeUnit.SECONDS).join();
            connections.add(connection);
        }
        ObjectNode params = Json.object().put("name", toolName);
        params.set("arguments", EchoPlugin.arguments());
        CallOptions options = CallOptions.timeout(CALL_TIMEOUT);
        return target(directPath, client -> {
            PluginConnection connection = connections.get(client % connections.size());
            return () -> {
                try {
                    return !connection.request("tools/call", params, options).join().path("isError").asBoolean();
                } catch (CompletionException e) {
                    return false;
                }
            };
        });
    }

    /** The name the gateway exposes the plugin tool under, or the name itself if it exposes no such tool. */
    private static String exposedName(McpGateway gateway, String toolName) {
        return gateway.listTools().stream().filter(tool -> tool.key().name().equals(toolName))
                .map(ExposedTool::exposedName).findFirst().orElse(toolName);
    }

    private static Target target(String description, Opener opener) {
        return new Target() {
            @Override
            public String describe() {
                return description;
            }

            @Override
            public Caller open(int client) throws Exception {
                return opener.open(client);
            }
        };
    }

    @FunctionalInterface
    private interface Opener {
        Target.Caller open(int client) throws Exception;
    }

    /** A started scenario: its two targets and everything to stop afterwards, in reverse order of start. */
    static final class Fixture implements AutoCloseable {
        private final Deque<AutoCloseable> resources = new ArrayDeque<>();
        private Target gateway;
        private Target direct;
        private URI endpoint;
        private McpGateway instance;

        /** The path through the gateway. */
        Target gateway() {
            return gateway;
        }

        /** The path to the same plugin without the gateway. */
        Target direct() {
            return direct;
        }

        /** The gateway's MCP endpoint on its HTTP front door (scenarios 1 to 3), for checks of its setup. */
        URI endpoint() {
            return endpoint;
        }

        /** The gateway behind the front door (scenarios 1 to 3), for checks of its setup. */
        McpGateway instance() {
            return instance;
        }

        <T extends AutoCloseable> T own(T resource) {
            resources.push(resource);
            return resource;
        }

        @Override
        public void close() throws Exception {
            Exception failure = null;
            while (!resources.isEmpty()) {
                try {
                    resources.pop().close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
