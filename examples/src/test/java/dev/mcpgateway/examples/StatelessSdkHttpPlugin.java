package dev.mcpgateway.examples;

import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.catalina.LifecycleException;

/**
 * An HTTP MCP plugin built with the official MCP Java SDK's stateless Streamable HTTP server, served by embedded
 * Tomcat on 127.0.0.1 (ephemeral port) at {@code /mcp}. One tool, {@code shout}, answers its {@code text} in
 * upper case.
 */
final class StatelessSdkHttpPlugin implements AutoCloseable {
    /** The {@code serverInfo.name} it reports. */
    static final String NAME = "stateless-sdk";

    private final McpStatelessSyncServer mcp;
    private final EmbeddedTomcat tomcat;

    /** Starts the server; Tomcat keeps its work files under {@code baseDir}. */
    StatelessSdkHttpPlugin(Path baseDir) throws LifecycleException {
        HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
                .messageEndpoint("/mcp").build();
        Tool shout = Tool.builder("shout", McpJsonDefaults.getMapper(), """
                {"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}
                """).description("Answers its text in upper case").build();
        mcp = McpServer.sync(transport).serverInfo(NAME, "1.0.0")
                .capabilities(ServerCapabilities.builder().tools(false).build())
                .toolCall(shout, (context, request) -> CallToolResult.builder()
                        .addTextContent(String.valueOf(request.arguments().get("text")).toUpperCase(Locale.ROOT)).build())
                .build();
        try {
            tomcat = new EmbeddedTomcat(baseDir, transport);
        } catch (LifecycleException | RuntimeException e) {
            mcp.close();
            throw e;
        }
    }

    /** The URL a plugin manifest names to reach it. */
    URI uri() {
        return tomcat.uri();
    }

    /** A manifest that has the gateway reach it as an HTTP plugin called {@code name}. */
    PluginManifest manifest(String name) {
        return PluginManifest.builder(name).version("1.0.0").transport(new TransportSpec.Http(uri(), Map.of())).build();
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
