package dev.mcpgateway.examples;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Small conveniences for driving the gateway with the official MCP Java SDK client, for every test package. */
public final class SdkClients {
    private SdkClients() {
    }

    /** The SDK's Streamable HTTP client transport for an endpoint URL such as {@code http://127.0.0.1:1234/mcp}. */
    public static HttpClientStreamableHttpTransport streamableHttp(URI endpoint) {
        return HttpClientStreamableHttpTransport.builder(endpoint.getScheme() + "://" + endpoint.getAuthority())
                .endpoint(endpoint.getRawPath()).build();
    }

    /** The names of the tools the client lists now, in the server's order. */
    public static List<String> toolNames(McpSyncClient client) {
        return names(client.listTools().tools());
    }

    /** The names of tools, in order. */
    public static List<String> names(List<Tool> tools) {
        return tools.stream().map(Tool::name).toList();
    }

    /** Calls a tool and returns its one text block, failing the test if the result is an error or holds more. */
    public static String callText(McpSyncClient client, String tool, Map<String, Object> arguments) {
        CallToolResult result = client.callTool(CallToolRequest.builder(tool).arguments(arguments).build());
        if (Boolean.TRUE.equals(result.isError())) {
            throw new AssertionError(tool + " returned an error result: " + result);
        }
        return text(result);
    }

    /** The one text block of a result. */
    public static String text(CallToolResult result) {
        if (result.content().size() != 1 || !(result.content().getFirst() instanceof TextContent text)) {
            throw new AssertionError("expected one text block: " + result);
        }
        return text.text();
    }
}
