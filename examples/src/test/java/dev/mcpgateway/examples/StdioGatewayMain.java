package dev.mcpgateway.examples;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.HttpTransport;
import dev.mcpgateway.transport.stdio.StdioTransport;
import dev.mcpgateway.transport.stdio.server.StdioServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway served over this process's stdin and stdout, as a desktop client launches one: it runs
 * {@link TinyStdioServer} as the stdio plugin {@code local}, reaches the HTTP plugin {@code remote} at the URL
 * given as its one argument, and offers {@code admin__add_plugin}, which registers the in-process plugin
 * {@code late} (tool {@code late__echo}) so that the client sees the tool list change. It logs to stderr only
 * (slf4j-simple's default) and exits once stdin ends.
 */
public final class StdioGatewayMain {
    /** What it logs once it serves. */
    static final String SERVING = "stdio gateway serving";
    /** What it logs once it stopped serving. */
    static final String STOPPED = "stdio gateway stopped";

    private static final Logger log = LoggerFactory.getLogger(StdioGatewayMain.class);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private StdioGatewayMain() {
    }

    /** The command that runs it as a child JVM, reaching the HTTP plugin at {@code remote}. */
    static List<String> command(URI remote) {
        return JavaMains.command(StdioGatewayMain.class, remote.toString());
    }

    /** Serves until stdin ends; the one argument is the HTTP plugin's URL. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("pass the HTTP plugin's URL, such as http://127.0.0.1:8080/mcp");
        }
        try (McpGateway gateway = McpGateway.builder()
                .config(GatewayConfig.builder().callTimeout(WAIT).build())
                .transport(new StdioTransport())
                .transport(new HttpTransport())
                .build()) {
            gateway.addPlugin(JavaMains.stdioPlugin("local", TinyStdioServer.class)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            gateway.addPlugin(PluginManifest.builder("remote").version("1.0.0")
                    .transport(new TransportSpec.Http(URI.create(args[0]), Map.of())).build())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            InProcessPlugin late = InProcessPlugin.builder("late")
                    .tool("echo", "Added at runtime", (arguments, context) ->
                            CallToolResult.text("echo: " + arguments.path("text").asText()))
                    .build();
            gateway.registerInProcess(InProcessPlugin.builder("admin")
                    .tool("add_plugin", "Adds the plugin 'late' to the gateway", (arguments, context) -> {
                        gateway.registerInProcess(late).join();
                        return CallToolResult.text("added late");
                    })
                    .build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            try (McpServer server = McpServer.create(gateway); StdioServer stdio = StdioServer.serve(server)) {
                log.info(SERVING);
                stdio.done().join();
            }
        }
        log.info(STOPPED);
    }
}
