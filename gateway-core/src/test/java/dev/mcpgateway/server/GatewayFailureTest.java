package dev.mcpgateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcError;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.testing.Stderr;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway's own unexpected failure, as its MCP clients see it: an internal error with an error id for its log,
 * not the exception's message.
 */
@Timeout(30)
class GatewayFailureTest {
    private final McpGateway gateway = McpGateway.builder().interceptor(chain -> {
        throw new IllegalStateException("bug in an interceptor, config at /etc/secret.yaml (an expected stack trace)");
    }).build();
    private final McpServer server = McpServer.create(gateway);

    @AfterEach
    void tearDown() {
        server.close();
        gateway.close();
    }

    @Test
    void anInternalErrorCarriesAnErrorIdAndNotTheExceptionsMessage() throws Exception {
        gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds", (args, ctx) -> CallToolResult.text("0")).build()).join();
        ServerSession session = server.newSession();
        session.handle(new JsonRpcRequest(RequestId.of(0), "initialize", Json.object().put("protocolVersion",
                "2025-06-18")), null).get(10, TimeUnit.SECONDS);

        ObjectNode params = Json.object().put("name", "calc__add");
        AtomicReference<JsonRpcResponse> answer = new AtomicReference<>();
        String log = Stderr.of(() -> answer.set(session.handle(new JsonRpcRequest(RequestId.of(1), "tools/call",
                params), null).get(10, TimeUnit.SECONDS)));

        JsonRpcResponse response = answer.get();
        JsonRpcError error = response.error();
        assertEquals(ErrorCodes.INTERNAL_ERROR, error.code(), response::toString);
        String errorId = error.data().path("errorId").asText();
        assertTrue(errorId.matches("[0-9a-f]{16}"), error.data().toString());
        assertEquals("Internal error in the gateway (error id " + errorId + "; the gateway's log has the details)",
                error.message());
        assertFalse(error.data().has("plugin"), "nothing to name: " + error.data());
        // The log has what the client is not told: the exception's message and stack trace, under the same error id.
        assertTrue(log.contains("(error id " + errorId + ")"), log);
        assertTrue(log.contains("bug in an interceptor, config at /etc/secret.yaml"), log);
        assertTrue(log.contains("\tat dev.mcpgateway.server.GatewayFailureTest"), log);
    }
}
