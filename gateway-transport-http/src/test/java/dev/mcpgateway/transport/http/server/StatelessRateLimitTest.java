package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.RateLimits;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-client rate limits hold a 2026-07-28 client that does not authenticate, over real HTTP on 127.0.0.1: each of
 * its requests gets a stateless session of its own, so the limits count it by its address, as the front door knows
 * it.
 */
@Timeout(30)
class StatelessRateLimitTest {
    private static final int BURST = 3;

    @Test
    void anAnonymousClientsStatelessCallsAreRefusedBeyondItsBurstNamingItsAddress() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        // A burst of 3 calls per client, refilled at one call every 100 s: no test waits that long.
        try (McpGateway gateway = McpGateway.builder().config(GatewayConfig.builder()
                .rateLimits(RateLimits.builder().perClient(0.01, BURST).build()).build()).build();
             McpServer server = McpServer.create(gateway);
             McpHttpServer endpoint = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(0)
                     .sseKeepAlive(Duration.ofSeconds(30)).build());
             McpHttp http = new McpHttp(endpoint.endpoint())) {
            gateway.registerInProcess(InProcessPlugin.builder("calc").tool("add", "Adds a and b", (args, ctx) -> {
                runs.incrementAndGet();
                return CallToolResult.text("sum");
            }).build()).join();
            for (int i = 0; i < BURST; i++) {
                Reply reply = add(http);
                assertEquals(200, reply.status(), reply.body());
                assertEquals("sum", reply.result().path("content").path(0).path("text").asText(), reply.body());
            }

            Reply refused = add(http);

            // In-band, as every tool call error on the MCP endpoint: a Retry-After on a 200 would mean nothing.
            assertEquals(200, refused.status(), refused.body());
            assertEquals(ErrorCodes.RATE_LIMITED, refused.errorCode(), refused.body());
            JsonNode error = refused.json().path("error");
            String message = error.path("message").asText();
            assertTrue(message.contains("Rate limit of client '127.0.0.1' reached"), message);
            assertTrue(error.path("data").path("retryAfterSeconds").asLong() >= 1, refused.body());
            assertEquals(BURST, runs.get(), "the refused call never reached the tool");
        }
    }

    private static Reply add(McpHttp http) {
        return http.send(http.stateless("tools/call", "\"name\":\"calc__add\",\"arguments\":{}",
                "Mcp-Name", "calc__add"));
    }
}
