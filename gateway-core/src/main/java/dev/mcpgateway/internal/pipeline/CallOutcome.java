package dev.mcpgateway.internal.pipeline;

import static dev.mcpgateway.internal.Futures.unwrap;

import dev.mcpgateway.auth.InvalidTokenException;
import dev.mcpgateway.internal.auth.UpstreamTokenException;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.routing.RoutingException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * What a tool call came to: one classification for the {@code outcome} tag of {@code mcp.tool.calls} and the
 * {@code outcome} field of the access log, so the two always agree.
 */
public enum CallOutcome {
    SUCCESS("success"),
    /** The tool answered with {@code isError: true}. */
    TOOL_ERROR("tool_error"),
    /** The plugin answered with a JSON-RPC error, an answer that is no result, or could not be reached. */
    PROTOCOL_ERROR("protocol_error"),
    TIMEOUT("timeout"),
    /** A limit refused it: rate limits, calls in flight (the gateway's or the instance's), the gateway closing. */
    REJECTED("rejected"),
    /** No instance to send it to: an unknown tool, no healthy or matching instance. */
    NO_ROUTE("no_route"),
    /** The caller's credentials did not do: an invalid token, or one the plugin's token exchange refused. */
    UNAUTHORIZED("unauthorized"),
    /** The caller gave up on it. */
    CANCELLED("cancelled");

    /** Every outcome, indexed by ordinal. */
    public static final CallOutcome[] ALL = values();

    private final String tag;

    CallOutcome(String tag) {
        this.tag = tag;
    }

    /** The name metrics and the access log give it. */
    public String tag() {
        return tag;
    }

    /** The outcome of a call that completed with this result or error. */
    public static CallOutcome of(CallToolResult result, Throwable error) {
        if (error == null) {
            return result != null && result.isError() ? TOOL_ERROR : SUCCESS;
        }
        Throwable cause = unwrap(error);
        return switch (cause) {
            case CancellationException cancelled -> CANCELLED;
            case RoutingException unroutable -> NO_ROUTE;
            case TimeoutException timeout -> TIMEOUT;
            case InvalidTokenException invalid -> UNAUTHORIZED;
            case UpstreamTokenException refused -> UNAUTHORIZED;
            case SecurityException denied -> UNAUTHORIZED;
            case JsonRpcException rpc -> switch (rpc.code()) {
                case ErrorCodes.UPSTREAM_TIMEOUT -> TIMEOUT;
                case ErrorCodes.RATE_LIMITED, ErrorCodes.OVERLOADED, ErrorCodes.GATEWAY_CLOSED -> REJECTED;
                case ErrorCodes.NO_HEALTHY_INSTANCE, ErrorCodes.NO_MATCHING_INSTANCE -> NO_ROUTE;
                default -> PROTOCOL_ERROR;
            };
            default -> PROTOCOL_ERROR;
        };
    }
}
