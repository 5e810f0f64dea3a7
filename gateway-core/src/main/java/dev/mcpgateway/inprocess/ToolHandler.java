package dev.mcpgateway.inprocess;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.mcp.CallToolResult;

/**
 * Java code that serves one tool inside the gateway's process. It runs on a virtual thread, so blocking is fine,
 * unless its plugin runs handlers on the caller's thread ({@link InProcessPlugin.Builder#handlersOnCallerThread}),
 * where it must answer at once. Throwing an exception reports a tool failure to the client ({@code isError: true}
 * with the exception's message); throw a {@link dev.mcpgateway.jsonrpc.JsonRpcException} instead to answer with a
 * protocol error. An {@code Error} (a stack overflow, say) fails the call with an internal error.
 */
@FunctionalInterface
public interface ToolHandler {
    /**
     * Handles one call.
     *
     * @param arguments the call's arguments (an object node, empty when the client sent none)
     * @param context   progress reporting and cancellation for this call
     */
    CallToolResult call(JsonNode arguments, ToolContext context) throws Exception;
}
