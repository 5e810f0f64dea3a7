package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.server.McpServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the management API's tests run against, whichever server carries the front door: a real gateway with an
 * in-process plugin {@code calc} (tools {@code add}; {@code fail}, which reports a tool error; {@code gate}, which
 * returns once the test opens its gate) and an {@code http} transport whose plugins are scripted in the test
 * ({@link ScriptedHttpTransport}), its MCP server, and a front door serving every route at the root, with an
 * {@link ApiClient} of it. Each subclass of a contract starts the door with its server.
 */
abstract class ApiFixture {
    static final Duration WAIT = Duration.ofSeconds(10);

    /** Opened by the test to let {@code calc__gate} return. */
    final CountDownLatch gate = new CountDownLatch(1);

    final ScriptedHttpTransport plugins = new ScriptedHttpTransport();
    McpGateway gateway;
    McpServer server;
    PluginInstance calc;
    ApiClient api;
    private final List<AutoCloseable> doors = new ArrayList<>();

    /** Starts the front door under test for the server, serving every route at the root; returns its MCP endpoint. */
    abstract FrontDoorContract.FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws Exception;

    /** The options of the door under test; tests narrow them. */
    HttpFrontDoorOptions.Builder options() {
        return FrontDoorContract.testOptions();
    }

    @BeforeEach
    void setUp() throws Exception {
        gateway = McpGateway.builder().transport(plugins).build();
        calc = gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds a and b", (args, ctx) ->
                        CallToolResult.text(Integer.toString(args.path("a").asInt() + args.path("b").asInt())))
                .tool("fail", "Reports a tool error", (args, ctx) -> CallToolResult.error("no such city"))
                .tool("gate", "Returns once the test opens the gate", (args, ctx) -> {
                    gate.await();
                    return CallToolResult.text("through");
                })
                .build()).join();
        server = McpServer.create(gateway);
        api = open(options().build());
    }

    /** Starts one more door for the server with these options; closed after the test. */
    ApiClient open(HttpFrontDoorOptions options) throws Exception {
        return open(server, options);
    }

    /** Starts a door for another server (of another gateway) with these options; closed after the test. */
    ApiClient open(McpServer other, HttpFrontDoorOptions options) throws Exception {
        FrontDoorContract.FrontDoor door = start(other, options);
        doors.add(door.stopper());
        ApiClient client = new ApiClient(door.endpoint().resolve("/"));
        doors.add(client);
        return client;
    }

    /** Closes something the test opened after the test, before the fixture's own server and gateway. */
    void closeAfter(AutoCloseable closeable) {
        doors.add(closeable);
    }

    @AfterEach
    void tearDown() throws Exception {
        gate.countDown();
        try {
            for (AutoCloseable door : doors.reversed()) {
                door.close();
            }
        } finally {
            server.close();
            gateway.close();
        }
    }

    /** Registers an {@code http} instance through the Java API (the scripted transport serves it). */
    PluginInstance registerHttp(String id, String plugin, String version, Map<String, String> headers, String url) {
        PluginManifest manifest = PluginManifest.builder(plugin).version(version)
                .transport(new TransportSpec.Http(URI.create(url), headers))
                .tool(Tool.builder("echo").description("echo").build()).label("region", "eu").build();
        return gateway.register(Registration.of(id, manifest).withLease(Duration.ofSeconds(30))).join();
    }

}
