package dev.mcpgateway.examples.embedding;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.examples.demo.FilesPlugin;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.transport.stdio.StdioTransport;
import java.nio.file.Path;

/**
 * A host application embedding the gateway: one Java tool served in-process, one real MCP server launched as a
 * child process (the demo {@link FilesPlugin}, listing the current directory), both called by name through the
 * same gateway. Prints the two results and exits.
 */
public final class EmbeddingExample {
    private EmbeddingExample() {
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (McpGateway gateway = McpGateway.builder().transport(new StdioTransport()).build()) {
            gateway.registerInProcess(InProcessPlugin.builder("greeter")
                    .tool("hello", "Greets someone by name", (arguments, context) ->
                            CallToolResult.text("Hello, " + arguments.path("name").asText("world") + "!"))
                    .build()).join();
            gateway.addPlugin(PluginManifest.builder("files")
                    .transport(TransportSpec.Stdio.of(javaCommand(), "-cp", System.getProperty("java.class.path"),
                            FilesPlugin.class.getName()))
                    .build()).join();

            System.out.println(gateway.callTool("greeter__hello", Json.object().put("name", "Ada")).join().firstText());
            System.out.println(gateway.callTool("files__list_files", Json.object()).join().firstText());
        }
    }

    /** The {@code java} executable of the running JVM, so the plugin runs on the same Java as the host. */
    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
