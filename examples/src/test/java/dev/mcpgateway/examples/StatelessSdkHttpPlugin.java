package dev.mcpgateway.examples;

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
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * An HTTP MCP plugin built with the official MCP Java SDK's stateless Streamable HTTP server, served by embedded
 * Tomcat on 127.0.0.1 (ephemeral port) at {@code /mcp}. One tool, {@code shout}, answers its {@code text} in
 * upper case.
 */
final class StatelessSdkHttpPlugin implements AutoCloseable {
    /** The {@code serverInfo.name} it reports. */
    static final String NAME = "stateless-sdk";

    // Tomcat logs its start and stop at INFO through java.util.logging; held strongly so the level sticks. Its
    // web-app loader also warns on stop about the SDK's Reactor threads, which are JVM-wide on purpose.
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    static {
        TOMCAT_LOG.setLevel(Level.SEVERE);
    }

    private final Tomcat tomcat = new Tomcat();
    private final McpStatelessSyncServer mcp;
    private final URI uri;

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
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "mcp", transport).setAsyncSupported(true);
        context.addServletMapping("/mcp", "mcp");
        try {
            tomcat.start();
        } catch (LifecycleException | RuntimeException e) {
            close();
            throw e;
        }
        uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/mcp");
    }

    /** The URL a plugin manifest names to reach it. */
    URI uri() {
        return uri;
    }

    @Override
    public void close() {
        try {
            mcp.close();
        } finally {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                throw new IllegalStateException("embedded Tomcat did not stop", e);
            }
        }
    }
}
