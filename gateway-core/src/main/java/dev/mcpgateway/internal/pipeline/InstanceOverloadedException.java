package dev.mcpgateway.internal.pipeline;

import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;

/** An attempt refused because its instance has as many calls in flight as it may: it never left, so it may go elsewhere. */
final class InstanceOverloadedException extends JsonRpcException {
    private static final long serialVersionUID = 1L;

    InstanceOverloadedException(String message) {
        super(ErrorCodes.OVERLOADED, message);
    }
}
