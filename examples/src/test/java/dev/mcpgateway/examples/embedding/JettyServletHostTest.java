package dev.mcpgateway.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.examples.SdkClients;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.McpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link JettyServletHost}: an MCP round trip through the gateway's servlet, the host's own servlet beside it. */
@Timeout(60)
class JettyServletHostTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void servesTheGatewayAtMcpBesideTheHostsOwnServlet() throws Exception {
        try (McpGateway gateway = McpGateway.builder().build();
                McpServer server = McpServer.create(gateway);
                JettyServletHost host = JettyServletHost.start(server, 0)) {
            gateway.registerInProcess(InProcessPlugin.builder("calc")
                    .tool("add", "Adds a and b", (args, ctx) ->
                            CallToolResult.text(String.valueOf(args.path("a").asLong() + args.path("b").asLong())))
                    .build()).join();

            McpSyncClient client = McpClient.sync(SdkClients.streamableHttp(host.uri("/mcp")))
                    .requestTimeout(WAIT).build();
            try {
                client.initialize();
                assertEquals(List.of("calc__add"), SdkClients.toolNames(client));
                assertEquals("5", SdkClients.callText(client, "calc__add", Map.of("a", 2, "b", 3)));
            } finally {
                client.closeGracefully();
            }

            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> status = http.send(HttpRequest.newBuilder(host.uri("/status")).timeout(WAIT)
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("host ok", status.body());
            }
        }
    }
}
