package dev.mcpgateway.jsonrpc;

/**
 * One JSON-RPC 2.0 message: a request, a notification or a response.
 * Parameters and results stay Jackson trees so fields the gateway does not know pass through untouched.
 */
public sealed interface JsonRpcMessage permits JsonRpcRequest, JsonRpcNotification, JsonRpcResponse {
}
