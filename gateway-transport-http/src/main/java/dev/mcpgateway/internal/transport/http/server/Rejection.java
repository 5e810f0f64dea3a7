package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;

/** An answer that ends the handling of a request: an HTTP status with a JSON-RPC error body. */
final class Rejection extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final transient JsonRpcResponse response;

    Rejection(int status, int code, String message, RequestId id) {
        this(status, JsonRpcResponse.failure(id, code, message));
    }

    Rejection(int status, JsonRpcResponse response) {
        super(response.error().message(), null, false, false);
        this.status = status;
        this.response = response;
    }
}
