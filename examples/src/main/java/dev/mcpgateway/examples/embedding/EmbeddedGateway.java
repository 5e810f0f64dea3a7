package dev.mcpgateway.examples.embedding;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import java.io.IOException;

/**
 * MCP Gateway embedded in a host's own process, whole, to copy into another project: a Java tool served in-process
 * and offered to MCP clients over Streamable HTTP at {@code http://127.0.0.1:<port>/mcp} (the port is the first
 * argument, 9105 without one, 0 for a free one) until a line is entered or standard input ends. It needs
 * {@code dev.mcpgateway:gateway-core} and {@code dev.mcpgateway:gateway-transport-http}, and an SLF4J provider.
 */
public final class EmbeddedGateway {
    private EmbeddedGateway() {
    }

    /**
     * Serves the gateway until standard input has a line or ends, then closes it and returns.
     *
     * @param args optionally the port to serve on
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : HttpFrontDoorOptions.DEFAULT_PORT;
        // Closed in reverse order: the front door stops taking requests, the server ends the client sessions, then
        // the gateway stops its plugins and threads, so nothing is left running when main returns.
        try (McpGateway gateway = McpGateway.builder().build();
                McpServer server = McpServer.create(gateway);
                McpHttpServer http = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(port).build())) {
            gateway.registerInProcess(InProcessPlugin.builder("greeter")
                    .tool("hello", "Greets someone by name", (arguments, context) ->
                            CallToolResult.text("Hello, " + arguments.path("name").asText("world") + "!"))
                    .build()).join();
            System.out.println("MCP endpoint: " + http.endpoint());
            System.in.read(); // a line or the end of the input, whichever comes first
        }
    }
}
