package dev.mcpgateway.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.inprocess.ToolContext;
import dev.mcpgateway.inprocess.ToolHandler;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import java.io.IOException;
import java.net.URI;

/**
 * The plugin every load scenario calls: one tool, {@code echo {text}}, answering with its text. Served in-process,
 * over HTTP or over stdio by a gateway exposing it under its bare name, like the demo plugins.
 */
final class EchoPlugin {
    /** The plugin's (and its tool's) name. */
    static final String NAME = "echo";
    /** The arguments every load call sends. */
    static final String ARGUMENTS_JSON = "{\"text\":\"hello\"}";
    /** The tool itself, also called directly by the in-process "direct" path. */
    static final ToolHandler HANDLER = (arguments, context) -> CallToolResult.text(arguments.path("text").asText());
    /** A context for calling {@link #HANDLER} without a gateway: no progress, never cancelled. */
    static final ToolContext NO_CONTEXT = new ToolContext() {
        @Override
        public String toolName() {
            return NAME;
        }

        @Override
        public void progress(double progress, Double total, String message) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };

    private EchoPlugin() {
    }

    /** The echo tool as an in-process plugin, its handler on the caller's thread or on a thread of its own. */
    static InProcessPlugin plugin(boolean onCallerThread) {
        return InProcessPlugin.builder(NAME).version("1.0.0").tool(NAME, "Answers with its text argument", HANDLER)
                .handlersOnCallerThread(onCallerThread).build();
    }

    /** The call arguments as a tree. */
    static JsonNode arguments() {
        try {
            return Json.mapper().readTree(ARGUMENTS_JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A gateway serving the echo plugin alone under the tool's bare name: the plugin as a server. */
    static McpGateway standalone() {
        McpGateway gateway = McpGateway.builder()
                .config(GatewayConfig.builder().toolNaming(ToolNaming.unprefixed()).build()).build();
        try {
            gateway.registerInProcess(plugin(false)).join();
            return gateway;
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    /** The echo plugin over Streamable HTTP on a free loopback port. */
    record HttpPlugin(McpGateway gateway, McpServer server, McpHttpServer http) implements AutoCloseable {
        static HttpPlugin start() throws IOException {
            McpGateway gateway = standalone();
            McpServer server = McpServer.create(gateway);
            try {
                return new HttpPlugin(gateway, server, McpHttpServer.start(server,
                        HttpFrontDoorOptions.builder().host("127.0.0.1").port(0).build()));
            } catch (IOException | RuntimeException e) {
                server.close();
                gateway.close();
                throw e;
            }
        }

        URI endpoint() {
            return http.endpoint();
        }

        @Override
        public void close() {
            try {
                http.close();
            } finally {
                server.close();
                gateway.close();
            }
        }
    }
}
