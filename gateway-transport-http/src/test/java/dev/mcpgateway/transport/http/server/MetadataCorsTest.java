package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A browser client (the MCP Inspector, say) of an authenticating gateway with CORS on: it may read the 401's
 * challenge and fetch the protected-resource metadata from its page, preflight included, as the SDK's auth flow does.
 */
class MetadataCorsTest {
    private static final String PAGE = "http://localhost:6274";
    private SecuredDoor secured;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        secured = new SecuredDoor(McpGateway.builder().build(), ServerOptions.defaults(),
                options -> options.cors(true).allowedOrigins(List.of(PAGE)));
    }

    @AfterEach
    void tearDown() {
        http.close();
        secured.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Origin", PAGE).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return secured.uri(path);
    }

    @Test
    void aPageReadsTheChallengeAndTheMetadata() throws Exception {
        HttpResponse<String> challenged = send(HttpRequest.newBuilder(uri("/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")));
        assertEquals(401, challenged.statusCode());
        assertEquals(PAGE, challenged.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(challenged.headers().firstValue("Access-Control-Expose-Headers").orElse("")
                .contains("WWW-Authenticate"), challenged.headers().map().toString());

        HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/.well-known/oauth-protected-resource/mcp"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "mcp-protocol-version"));
        assertEquals(204, preflight.statusCode(), preflight.body());
        assertEquals(PAGE, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")
                .contains("mcp-protocol-version"), preflight.headers().map().toString());

        HttpResponse<String> metadata = send(HttpRequest.newBuilder(uri("/.well-known/oauth-protected-resource/mcp"))
                .header("MCP-Protocol-Version", "2025-11-25"));
        assertEquals(200, metadata.statusCode(), metadata.body());
        assertEquals(PAGE, metadata.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(metadata.body().contains("\"authorization_servers\""), metadata.body());
    }
}
