package dev.mcpgateway.internal.pipeline;

/**
 * A call's client that knows its client's session: the rate limits key a client that did not authenticate by it.
 * Implemented by the gateway's MCP server's callers; the pipeline needs no more of the server than this.
 */
public interface SessionBound {
    /** The id of the MCP session the call came through, or null. */
    String sessionId();

    /**
     * Whether that session is a 2026-07-28 one, made for a single request: its id then names the request, not the
     * client, so the rate limits key the client by {@link #frontDoorClient()} instead.
     */
    boolean stateless();

    /**
     * Who a stateless session's client is as its front door knows it (over HTTP its address, the key its legacy
     * sessions count against), or null: a host calling in process has none, and a stateful session's client is its
     * session. A rate limit's refusal names it, so it is never anything secret such as a token.
     */
    String frontDoorClient();
}
