package dev.mcpgateway.examples;

import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.LifecycleException;

/**
 * An HTTP MCP plugin with the {@link RelayingTools}, built with the official MCP Java SDK's stateful Streamable HTTP
 * server (a stateless one cannot ask its client anything) and served by embedded Tomcat on 127.0.0.1.
 */
final class RelayingSdkHttpPlugin implements AutoCloseable {
    private final McpSyncServer mcp;
    private final EmbeddedTomcat tomcat;

    /** Starts the server; Tomcat keeps its work files under {@code baseDir}. */
    RelayingSdkHttpPlugin(Path baseDir) throws LifecycleException {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp").build();
        mcp = McpServer.sync(transport).serverInfo("relaying-sdk-http", "1.0.0")
                .capabilities(ServerCapabilities.builder().tools(false).build())
                .tools(RelayingTools.all(McpJsonDefaults.getMapper()))
                .build();
        try {
            tomcat = new EmbeddedTomcat(baseDir, transport);
        } catch (LifecycleException | RuntimeException e) {
            mcp.close();
            throw e;
        }
    }

    /** Where it serves MCP. */
    URI endpoint() {
        return tomcat.uri();
    }

    /** A manifest that has the gateway reach it as an HTTP plugin called {@code name}. */
    PluginManifest manifest(String name) {
        return PluginManifest.builder(name).version("1.0.0")
                .transport(new TransportSpec.Http(endpoint(), Map.of())).build();
    }

    @Override
    public void close() {
        try {
            mcp.close();
        } finally {
            tomcat.close();
        }
    }
}
