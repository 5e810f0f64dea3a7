package dev.mcpgateway.transport;

import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;

/**
 * A request that never reached the plugin (not connected, or the send itself failed): the gateway may send it to
 * another instance without any risk of running it twice. Its code is {@code UPSTREAM_UNAVAILABLE}.
 */
public final class NotSentException extends JsonRpcException {
    private static final long serialVersionUID = 1L;

    public NotSentException(String message, Throwable cause) {
        super(ErrorCodes.UPSTREAM_UNAVAILABLE, message, null, null, cause);
    }
}
