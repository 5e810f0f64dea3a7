package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.ServerOptions;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official MCP Java SDK client against a front door that requires bearer tokens: with a token (sent by a request
 * customizer, as an application that obtained one does) it initializes, lists and calls tools; without one it is
 * refused with 401 and gets no session.
 */
@Timeout(60)
class SdkClientAuthTest {
    private SecuredDoor secured;

    @BeforeEach
    void setUp() throws Exception {
        McpGateway gateway = McpGateway.builder().build();
        gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds a and b", (args, ctx) ->
                        CallToolResult.text(Integer.toString(args.path("a").asInt() + args.path("b").asInt())))
                .build()).join();
        secured = new SecuredDoor(gateway, ServerOptions.defaults(), options -> options);
    }

    @AfterEach
    void tearDown() {
        secured.close();
    }

    private McpSyncClient client(String token) {
        HttpClientStreamableHttpTransport.Builder transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + secured.door.address().getPort()).endpoint("/mcp");
        if (token != null) {
            transport.addHttpRequestCustomizer((request, method, uri, body, context) ->
                    request.header("Authorization", "Bearer " + token));
        }
        return McpClient.sync(transport.build()).requestTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void aClientWithATokenIsServed() {
        String token = secured.token("");
        McpSyncClient client = client(token);
        try {
            client.initialize();
            assertEquals(List.of("calc__add"), client.listTools().tools().stream().map(McpSchema.Tool::name).toList());
            McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder().name("calc__add")
                    .arguments(Map.of("a", 2, "b", 3)).build());
            assertEquals("5", ((McpSchema.TextContent) result.content().getFirst()).text());
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void aClientWithoutATokenIsRefusedWith401() {
        McpSyncClient client = client(null);
        try {
            RuntimeException refused = assertThrows(RuntimeException.class, client::initialize);
            McpHttpClientTransportAuthorizationException unauthorized = authorizationError(refused);
            assertEquals(401, unauthorized.getResponseInfo().statusCode());
            String challenge = unauthorized.getResponseInfo().headers().firstValue("WWW-Authenticate").orElseThrow();
            assertTrue(challenge.startsWith("Bearer resource_metadata=\"http://127.0.0.1:" + secured.door.address().getPort()
                    + "/.well-known/oauth-protected-resource/mcp\""), challenge);
        } finally {
            client.closeGracefully();
        }
    }

    private static McpHttpClientTransportAuthorizationException authorizationError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof McpHttpClientTransportAuthorizationException found) {
                return found;
            }
        }
        throw new AssertionError("no authorization error in the chain", error);
    }
}
