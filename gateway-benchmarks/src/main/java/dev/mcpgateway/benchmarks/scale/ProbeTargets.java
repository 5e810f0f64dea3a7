package dev.mcpgateway.benchmarks.scale;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import dev.mcpgateway.transport.stdio.server.StdioServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugins health probes are sent to, built like the demo plugins (a gateway with bare tool names serving one
 * in-process plugin): MCP endpoints over HTTP on 127.0.0.1, or one plugin over stdio. Run as its own process, so the
 * CPU the plugins spend answering is not counted as the gateway's.
 */
public final class ProbeTargets implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<URI> endpoints = new ArrayList<>();

    private ProbeTargets() {
    }

    /**
     * {@code http N}: serves N HTTP endpoints, prints one URL per line and then {@code ready}, and stops when stdin
     * ends. {@code stdio}: serves one plugin on stdin/stdout until stdin ends.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("http")) {
            try (ProbeTargets targets = http(Integer.parseInt(args[1]))) {
                targets.endpoints().forEach(System.out::println);
                System.out.println("ready");
                System.out.flush();
                drain(System.in);
            }
        } else if (args.length == 1 && args[0].equals("stdio")) {
            McpGateway gateway = gatewayServingOnePlugin();
            try (McpServer server = McpServer.create(gateway)) {
                StdioServer.serve(server).done().join();
            } finally {
                gateway.close();
            }
        } else {
            throw new IllegalArgumentException("usage: ProbeTargets http <servers> | stdio; got " + String.join(" ", args));
        }
    }

    /** Starts {@code servers} HTTP MCP endpoints on 127.0.0.1 with free ports. */
    static ProbeTargets http(int servers) {
        ProbeTargets targets = new ProbeTargets();
        try {
            for (int i = 0; i < servers; i++) {
                McpGateway gateway = gatewayServingOnePlugin();
                targets.resources.add(gateway);
                McpServer server = McpServer.create(gateway);
                targets.resources.add(server);
                McpHttpServer http = McpHttpServer.start(server,
                        HttpFrontDoorOptions.builder().host("127.0.0.1").port(0).build());
                targets.resources.add(http);
                targets.endpoints.add(http.endpoint());
            }
            return targets;
        } catch (IOException e) {
            targets.close();
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        } catch (RuntimeException e) {
            targets.close();
            throw e;
        }
    }

    /** The MCP endpoints, one per server. */
    List<URI> endpoints() {
        return List.copyOf(endpoints);
    }

    /** Stops every server, last started first. */
    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("closing " + resources.get(i) + " failed: " + e);
            }
        }
        resources.clear();
    }

    private static McpGateway gatewayServingOnePlugin() {
        McpGateway gateway = McpGateway.builder()
                .config(GatewayConfig.builder().toolNaming(ToolNaming.unprefixed()).build()).build();
        gateway.registerInProcess(InProcessPlugin.builder("target")
                .tool("echo", "Answers ok", (arguments, context) -> CallToolResult.text("ok")).build()).join();
        return gateway;
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // nothing: the parent closes our stdin to stop us
        }
    }
}
