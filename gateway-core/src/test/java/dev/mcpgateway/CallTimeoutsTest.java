package dev.mcpgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Call timeouts by tool, by plugin and by default, the most specific winning. */
class CallTimeoutsTest {
    @Test
    void aToolsOwnTimeoutWinsOverItsPluginsAndTheDefault() {
        GatewayConfig config = GatewayConfig.builder().callTimeout(Duration.ofSeconds(30))
                .callTimeout("files", Duration.ofSeconds(5)).callTimeout("files", "search", Duration.ofSeconds(2)).build();

        assertEquals(Duration.ofSeconds(2), config.callTimeoutOf("files", "search"));
        assertEquals(Duration.ofSeconds(5), config.callTimeoutOf("files", "read"));
        assertEquals(Duration.ofSeconds(30), config.callTimeoutOf("clock", "now"));
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.builder()
                .callTimeout("files", "search", Duration.ZERO).build());
        assertEquals("the call timeout of tool 'files/search' must be at least 1 ms, got PT0S", invalid.getMessage());
    }

    @Test
    void aCallOutlastingItsToolsTimeoutFailsWhileTheOtherToolsKeepTheirs() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (McpGateway gateway = McpGateway.builder().config(GatewayConfig.builder()
                .callTimeout("slow", "hold", Duration.ofMillis(50)).build()).build()) {
            gateway.registerInProcess(InProcessPlugin.builder("slow")
                    .tool("hold", "Never answers", (args, ctx) -> {
                        never.await();
                        return CallToolResult.text("unreachable");
                    })
                    .tool("quick", "Answers", (args, ctx) -> CallToolResult.text("done"))
                    .build()).join();

            CompletionException timedOut = assertThrows(CompletionException.class,
                    () -> gateway.callTool("slow__hold", Json.object()).orTimeout(10, TimeUnit.SECONDS).join());
            JsonRpcException error = assertInstanceOf(JsonRpcException.class, timedOut.getCause());
            assertEquals(ErrorCodes.UPSTREAM_TIMEOUT, error.code());
            assertTrue(error.getMessage().contains("PT0.05S"), error.getMessage());
            assertEquals("done", gateway.callTool("slow__quick", Json.object()).get(10, TimeUnit.SECONDS).firstText());
        }
    }
}
