package dev.mcpgateway.internal.server;

import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.internal.pipeline.SessionBound;
import dev.mcpgateway.server.MessageSink;

/**
 * Who made a tool call, as the gateway remembers it while the call is in flight on an instance: the client session,
 * the stream of the call (where a plugin's requests and log messages go first), the log level the request asked for
 * (2026-07-28 clients get no log messages without one), and for a 2026-07-28 client the bridged call that turns a
 * plugin's requests into {@code input_required} results (null for legacy clients, who are asked directly).
 */
record Caller(EngineSession session, MessageSink stream, String logLevel, InputRequiredBridge.Call bridged)
        implements Authenticated, SessionBound {
    /** The session's id: the rate limits key a client of a stateful session that did not authenticate by it. */
    @Override
    public String sessionId() {
        return session.id();
    }

    @Override
    public boolean stateless() {
        return session.isStateless();
    }

    @Override
    public String frontDoorClient() {
        return session.frontDoorClient();
    }

    /** The principal of the calling session, so per-tool authorization can read it from the call's client. */
    @Override
    public Principal principal() {
        return session.principal();
    }

    /** The calling session's latest bearer token, for token exchange only. */
    @Override
    public String bearerToken() {
        return session.bearerToken();
    }

    /** Where messages tied to the call go now: a bridged call's stream moves to each retry's. */
    MessageSink currentStream() {
        return bridged == null ? stream : bridged.stream();
    }
}
