package dev.mcpgateway.examples.interop;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.testing.NodePeer;
import dev.mcpgateway.transport.http.HttpTransport;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import dev.mcpgateway.transport.stdio.StdioTransport;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * A gateway with one plugin of each era behind its Streamable HTTP front door on 127.0.0.1: {@code everything}, the
 * reference {@code server-everything} over stdio (legacy), and {@code modern}, the stateless 2026-07-28 server of
 * {@code interop/v2-stateless-server.mjs} over HTTP, for the acceptance tests that drive it with clients of
 * either era.
 */
final class BothErasGateway implements AutoCloseable {
    private final NodePeer modernPlugin;
    private final McpGateway gateway;
    private final McpServer server;
    private final McpHttpServer door;

    private BothErasGateway(NodePeer modernPlugin, McpGateway gateway, McpServer server, McpHttpServer door) {
        this.modernPlugin = modernPlugin;
        this.gateway = gateway;
        this.server = server;
        this.door = door;
    }

    /** Starts both plugins, the gateway and its front door (on a free port); closes what it started if one fails. */
    static BothErasGateway start() throws IOException {
        NodePeer modern = NodePeer.v2StatelessServer();
        McpGateway gateway = null;
        McpServer server = null;
        try {
            gateway = McpGateway.builder().transport(new StdioTransport()).transport(new HttpTransport()).build();
            List<String> everything = NodePeer.stdioServerCommand("@modelcontextprotocol/server-everything", "stdio");
            gateway.addPlugin(PluginManifest.builder("everything").transport(TransportSpec.Stdio.of(everything.get(0),
                    everything.subList(1, everything.size()).toArray(String[]::new))).build()).join();
            gateway.addPlugin(PluginManifest.builder("modern")
                    .transport(TransportSpec.Http.of(modern.endpoint().toString())).build()).join();
            server = McpServer.create(gateway);
            McpHttpServer door = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(0).build());
            return new BothErasGateway(modern, gateway, server, door);
        } catch (IOException | RuntimeException | Error e) {
            if (server != null) {
                server.close();
            }
            if (gateway != null) {
                gateway.close();
            }
            modern.close();
            throw e;
        }
    }

    /** The front door's MCP endpoint, {@code http://127.0.0.1:<port>/mcp}. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + door.address().getPort() + "/mcp");
    }

    @Override
    public void close() {
        try {
            door.close();
            server.close();
            gateway.close();
        } finally {
            modernPlugin.close();
        }
    }
}
