package dev.mcpgateway.server;

import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;

/**
 * A new session refused because a {@link ClientLimits} session limit is reached: {@code -32006} (overloaded). Front
 * doors tell the two apart: every client together full is the server's state (HTTP 503), one client full is that
 * client's doing (HTTP 429).
 */
public final class SessionLimitException extends JsonRpcException {
    private static final long serialVersionUID = 1L;
    private final boolean perClient;

    /** A refusal with a message naming the limit; {@code perClient} if the client's own limit was reached. */
    public SessionLimitException(String message, boolean perClient) {
        super(ErrorCodes.OVERLOADED, message);
        this.perClient = perClient;
    }

    /** A refusal, not a failure: under a flood of them, no stack trace is worth filling in. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** Whether the client's own limit was reached ({@code maxSessionsPerClient}), not the total. */
    public boolean perClient() {
        return perClient;
    }
}
