package dev.mcpgateway.routing;

import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;

/**
 * A call that cannot be routed, with the JSON-RPC code a client should see: {@code -32602} for an unknown
 * tool, {@link ErrorCodes#NO_MATCHING_INSTANCE} when no instance satisfies the version or rule, and
 * {@link ErrorCodes#NO_HEALTHY_INSTANCE} when instances exist but none can take the call. The message names
 * the instances and their states.
 */
public final class RoutingException extends JsonRpcException {
    private static final long serialVersionUID = 1L;

    public RoutingException(int code, String message) {
        super(code, message);
    }

    /** The tool name is not known to the gateway. */
    public static RoutingException unknownTool(String name) {
        return new RoutingException(ErrorCodes.INVALID_PARAMS, "Unknown tool: " + name);
    }
}
