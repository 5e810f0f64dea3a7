package dev.mcpgateway.server;

import static dev.mcpgateway.server.ServerFixture.modernParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.RateLimits;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.testing.ScriptedServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who a client that did not authenticate is to the per-client rate limits, as the MCP server's sessions say: a
 * legacy session is one client; a 2026-07-28 request, in a stateless session of its own, is the client its front door
 * names ({@link McpServer#statelessSession(String)}), or anonymous without one. Each client may make one call (one
 * more every 100 s, which no test waits for).
 */
class RateLimitedClientsTest {
    private final ServerFixture fixture = new ServerFixture(ServerOptions.defaults(), McpGateway.builder()
            .config(GatewayConfig.builder().rateLimits(RateLimits.builder().perClient(0.01, 1).build()).build()));

    @BeforeEach
    void plugin() {
        fixture.plugin("tools", new ScriptedServer(ScriptedServer.Era.LEGACY));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private JsonRpcResponse statelessEcho(ServerSession session) {
        return fixture.request(session, "tools/call", modernParams().put("name", "tools__echo"));
    }

    private static String refusal(JsonRpcResponse response) {
        assertTrue(response.isError(), "refused");
        assertEquals(ErrorCodes.RATE_LIMITED, response.error().code(), response.error().message());
        return response.error().message();
    }

    @Test
    void statelessRequestsCountAgainstTheClientTheirFrontDoorNames() {
        assertFalse(statelessEcho(fixture.server.statelessSession("10.0.0.1")).isError());

        String refused = refusal(statelessEcho(fixture.server.statelessSession("10.0.0.1")));

        assertTrue(refused.contains("client '10.0.0.1'"), refused);
        assertFalse(statelessEcho(fixture.server.statelessSession("10.0.0.2")).isError(), "another client");
    }

    @Test
    void statelessRequestsNoFrontDoorNamesShareTheAnonymousLimit() {
        assertFalse(statelessEcho(fixture.server.statelessSession()).isError());

        String refused = refusal(statelessEcho(fixture.server.statelessSession()));

        assertTrue(refused.contains("anonymous"), refused);
        assertFalse(statelessEcho(fixture.server.statelessSession("10.0.0.1")).isError(), "a named client is apart");
    }

    @Test
    void aLegacySessionIsAClientOfItsOwn() {
        ServerSession first = fixture.initialized("2025-11-25");
        ServerSession second = fixture.initialized("2025-11-25");
        assertFalse(fixture.request(first, "tools/call", Json.object().put("name", "tools__echo")).isError());
        assertFalse(fixture.request(second, "tools/call", Json.object().put("name", "tools__echo")).isError());

        String refused = refusal(fixture.request(first, "tools/call", Json.object().put("name", "tools__echo")));

        assertTrue(refused.contains("session '" + first.id() + "'"), refused);
    }
}
