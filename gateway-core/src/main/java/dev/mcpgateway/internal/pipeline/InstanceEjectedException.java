package dev.mcpgateway.internal.pipeline;

import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;

/**
 * An attempt the gateway refused itself because outlier detection ejected its instance, which the routing table in
 * force did not know yet: it never left, so it goes elsewhere, and it put no load on any plugin.
 */
final class InstanceEjectedException extends JsonRpcException {
    private static final long serialVersionUID = 1L;

    InstanceEjectedException(String message) {
        super(ErrorCodes.UPSTREAM_UNAVAILABLE, message);
    }
}
