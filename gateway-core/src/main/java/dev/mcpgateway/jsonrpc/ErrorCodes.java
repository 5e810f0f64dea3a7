package dev.mcpgateway.jsonrpc;

/**
 * The JSON-RPC error codes the gateway uses: the standard ones, MCP's, and the gateway's own
 * in the implementation-defined range -32000..-32019.
 */
public final class ErrorCodes {
    /** Invalid JSON was received (including invalid UTF-8 and input over the parser's limits). */
    public static final int PARSE_ERROR = -32700;
    /** The JSON is not a valid JSON-RPC message. */
    public static final int INVALID_REQUEST = -32600;
    /** The method does not exist or is not available. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** Invalid method parameters, including an unknown tool and a bad cursor. */
    public static final int INVALID_PARAMS = -32602;
    /** An internal error in the gateway. */
    public static final int INTERNAL_ERROR = -32603;
    /** MCP (legacy era): the resource was not found. */
    public static final int RESOURCE_NOT_FOUND = -32002;
    /** MCP: the client must complete a URL elicitation first. */
    public static final int URL_ELICITATION_REQUIRED = -32042;
    /** MCP (modern era): a header disagrees with the message body. */
    public static final int HEADER_MISMATCH = -32020;
    /** MCP (modern era): the request needs a client capability that was not declared. */
    public static final int MISSING_CLIENT_CAPABILITY = -32021;
    /** MCP (modern era): the protocol version of the request is not supported. */
    public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    /** Gateway: the tool exists, but none of its instances is healthy and in service. */
    public static final int NO_HEALTHY_INSTANCE = -32001;
    /** Gateway: the tool exists, but no instance matches the requested version or the routing rule. */
    public static final int NO_MATCHING_INSTANCE = -32003;
    /** Gateway: the upstream plugin did not answer in time; a cancellation was sent to it. */
    public static final int UPSTREAM_TIMEOUT = -32004;
    /** Gateway: the upstream plugin could not be reached or its connection broke. */
    public static final int UPSTREAM_UNAVAILABLE = -32005;
    /** Gateway: the gateway or the plugin is overloaded; retry later. */
    public static final int OVERLOADED = -32006;
    /** Gateway: the gateway is shutting down. */
    public static final int GATEWAY_CLOSED = -32007;
    /**
     * Gateway: the client (or the tool) called faster than its {@code RateLimits} allow; {@code data.retryAfterSeconds}
     * says when to retry. Distinct from {@link #OVERLOADED}: the gateway is fine, this caller is over its share, so
     * HTTP answers it {@code 429}, not {@code 503}.
     */
    public static final int RATE_LIMITED = -32008;

    private ErrorCodes() {
    }
}
