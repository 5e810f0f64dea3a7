package dev.mcpgateway.internal.pipeline;

/**
 * A call's client that knows its client's session: the rate limits key a client that did not authenticate by it.
 * Implemented by the gateway's MCP server's callers; the pipeline needs no more of the server than this.
 */
public interface SessionBound {
    /** The id of the MCP session the call came through, or null. */
    String sessionId();
}
