package dev.mcpgateway.benchmarks.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.Implementation;
import dev.mcpgateway.mcp.ServerCapabilities;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.Transport;
import java.util.concurrent.CompletableFuture;

/**
 * A transport installed in place of HTTP whose connections answer every {@code tools/call} and {@code ping} at once,
 * in the caller's thread, so thousands of registered instances cost no sockets or threads. It never reports a
 * connect, so the gateway runs no discovery: each instance keeps exactly the tools it registered with, and the
 * routing table changes only when the benchmark changes the registry.
 */
final class StubTransport implements Transport {
    private static final ObjectNode RESULT = CallToolResult.text("ok").json();

    @Override
    public String type() {
        return "http";
    }

    @Override
    public CompletableFuture<PluginConnection> connect(PluginInstance instance, ConnectionContext context) {
        return CompletableFuture.completedFuture(new Connection(instance));
    }

    /** Answers from memory; the result object is shared because nobody downstream mutates it. */
    private record Connection(PluginInstance instance) implements PluginConnection {
        @Override
        public CompletableFuture<JsonNode> request(String method, JsonNode params, CallOptions options) {
            return switch (method) {
                case "tools/call" -> CompletableFuture.completedFuture(RESULT);
                case "ping" -> CompletableFuture.completedFuture(Json.object());
                default -> CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND,
                        "Method not found: " + method));
            };
        }

        @Override
        public void notify(String method, JsonNode params) {
        }

        @Override
        public String protocolVersion() {
            return "2025-11-25";
        }

        @Override
        public ServerCapabilities capabilities() {
            return ServerCapabilities.NONE;
        }

        @Override
        public Implementation serverInfo() {
            return new Implementation(instance.pluginName(), instance.manifest().version(), null);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
