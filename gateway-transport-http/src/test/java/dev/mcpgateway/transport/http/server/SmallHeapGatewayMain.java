package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.McpServer;
import java.io.IOException;

/**
 * A gateway serving HTTP on an ephemeral port, for {@link SmallHeapFloodTest} to run in a child JVM with a small
 * heap, with the tools {@code calc__add} and {@code calc__slow} (two seconds, like a real tool): prints its endpoint, then serves until its stdin ends. The one argument is the budget of request bodies in
 * flight in bytes, or {@code default}.
 */
public final class SmallHeapGatewayMain {
    private SmallHeapGatewayMain() {
    }

    public static void main(String[] args) throws IOException {
        HttpFrontDoorOptions.Builder options = HttpFrontDoorOptions.builder().port(0);
        if (!"default".equals(args[0])) {
            options.maxBodyBytesInFlight(Long.parseLong(args[0]));
        }
        try (McpGateway gateway = McpGateway.builder().build()) {
            gateway.registerInProcess(InProcessPlugin.builder("calc")
                    .tool("add", "Adds a and b", (arguments, ctx) -> CallToolResult.text(
                            Integer.toString(arguments.path("a").asInt() + arguments.path("b").asInt())))
                    .tool("slow", "Takes two seconds, holding its arguments meanwhile", (arguments, ctx) -> {
                        Thread.sleep(2_000);
                        return CallToolResult.text(Integer.toString(arguments.path("pad").asText().length()));
                    })
                    .build()).join();
            try (McpServer server = McpServer.create(gateway);
                 McpHttpServer http = McpHttpServer.start(server, options.build())) {
                System.out.println(http.endpoint());
                System.out.flush();
                System.in.readAllBytes(); // serves until the test closes stdin
            }
        }
    }
}
