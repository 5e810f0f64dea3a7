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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-client rate limits hold a 2026-07-28 client that does not authenticate, over real HTTP on 127.0.0.1: each of
 * its requests gets a stateless session of its own, so the limits count it by its address, as the front door knows
 * it. Behind it: a gateway allowing each client a burst of 3 calls, refilled at one call every 100 s (no test waits
 * that long), with one in-process tool that counts its runs.
 */
@Timeout(30)
class StatelessRateLimitTest {
    private static final int BURST = 3;

    private final AtomicInteger runs = new AtomicInteger();
    private McpGateway gateway;
    private McpServer server;
    private McpHttpServer endpoint;
    private McpHttp http;

    @BeforeEach
    void setUp() throws Exception {
        gateway = McpGateway.builder().config(GatewayConfig.builder()
                .rateLimits(RateLimits.builder().perClient(0.01, BURST).build()).build()).build();
        gateway.registerInProcess(InProcessPlugin.builder("calc").tool("add", "Adds a and b", (args, ctx) -> {
            runs.incrementAndGet();
            return CallToolResult.text("sum");
        }).build()).join();
        server = McpServer.create(gateway);
        endpoint = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(0)
                .sseKeepAlive(Duration.ofSeconds(30)).build());
        http = new McpHttp(endpoint.endpoint());
    }

    @AfterEach
    void tearDown() {
        http.close();
        endpoint.close();
        server.close();
        gateway.close();
    }

    private Reply add() {
        return http.send(http.stateless("tools/call", "\"name\":\"calc__add\",\"arguments\":{}",
                "Mcp-Name", "calc__add"));
    }

    @Test
    void anAnonymousClientsStatelessCallsAreRefusedBeyondItsBurstNamingItsAddress() {
        for (int i = 0; i < BURST; i++) {
            Reply reply = add();
            assertEquals(200, reply.status(), reply.body());
            assertEquals("sum", reply.result().path("content").path(0).path("text").asText(), reply.body());
        }

        Reply refused = add();

        // In-band, like every tool call error on the MCP endpoint: a Retry-After on a 200 would mean nothing to HTTP.
        assertEquals(200, refused.status(), refused.body());
        assertEquals(ErrorCodes.RATE_LIMITED, refused.errorCode(), refused.body());
        JsonNode error = refused.json().path("error");
        String message = error.path("message").asText();
        assertTrue(message.contains("Rate limit of client '127.0.0.1' reached"), message);
        assertTrue(error.path("data").path("retryAfterSeconds").asLong() >= 1, refused.body());
        assertEquals(BURST, runs.get(), "the refused call never reached the tool");
    }
}
