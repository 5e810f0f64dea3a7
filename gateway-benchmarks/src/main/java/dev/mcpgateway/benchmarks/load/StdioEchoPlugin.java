package dev.mcpgateway.benchmarks.load;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.stdio.server.StdioServer;
import java.util.ArrayList;
import java.util.List;

/** The echo plugin as a stdio MCP server: the child process of the stdio scenario, run until stdin ends. */
public final class StdioEchoPlugin {
    private StdioEchoPlugin() {
    }

    /** Serves the echo tool on stdin/stdout until the client closes stdin. */
    public static void main(String[] args) {
        try (McpGateway gateway = EchoPlugin.standalone(); McpServer server = McpServer.create(gateway);
             StdioServer stdio = StdioServer.serve(server)) {
            stdio.done().join();
        }
    }

    /** The command that runs this plugin with the current JVM and class path. */
    static List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StdioEchoPlugin.class.getName());
        return command;
    }
}
