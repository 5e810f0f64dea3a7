package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.internal.gateway.GatewayInternals;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.server.ServerSession;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the MCP endpoint and which session: the request's bearer token when clients authenticate
 * ({@link HttpFrontDoorOptions#auth()}), and the session its {@code Mcp-Session-Id} names, which only the principal
 * that began it may use. Refusals are {@link Rejection}s, answered in JSON-RPC by {@link McpHttpHandler}. Thread-safe.
 */
final class SessionAccess {
    private static final Logger log = LoggerFactory.getLogger(SessionAccess.class);

    private final McpServer server;
    /** Null when clients do not authenticate. */
    private final BearerAuth bearer;
    private final BearerAuth.Requirement mcpScopes;

    SessionAccess(McpServer server, HttpFrontDoorOptions options) {
        this.server = server;
        this.bearer = options.auth() == null ? null : new BearerAuth(options.auth(), options.path(),
                options.tls() != null);
        this.mcpScopes = options.auth() == null ? null : BearerAuth.Requirement.all(options.auth().requiredScopes());
    }

    /** The principal of the request's bearer token, or null when clients do not authenticate. */
    Principal authenticate(HttpExchangeAdapter exchange) {
        if (bearer == null) {
            return null;
        }
        try {
            return bearer.authenticate(exchange, mcpScopes);
        } catch (BearerAuth.Refused refused) {
            refused.audit(server.gateway(), AuthFailure.Surface.MCP, exchange);
            refused.headers.forEach(exchange::setHeader);
            throw new Rejection(refused.status, ErrorCodes.INVALID_REQUEST, refused.getMessage(), null);
        }
    }

    /**
     * Gives the session the bearer token of the request just authenticated, the client's latest, for plugins whose
     * upstream credentials exchange it ({@link ServerSession#rememberBearerToken}); nothing when clients do not
     * authenticate. The token stays in the session: it is never logged nor forwarded.
     */
    void remember(ServerSession session, HttpExchangeAdapter exchange) {
        if (bearer != null) {
            session.rememberBearerToken(BearerAuth.token(exchange));
        }
    }

    /**
     * The session a request names, refused when it names none, an unknown one, or one another principal began: a
     * session id alone, seen or guessed, is worth nothing without a token of the same client.
     */
    ServerSession requireSession(String sessionId, RequestId id, Principal principal, HttpExchangeAdapter exchange) {
        if (sessionId == null) {
            throw new Rejection(400, ErrorCodes.INVALID_REQUEST, "Missing Mcp-Session-Id; send initialize first "
                    + "(without one) and repeat the Mcp-Session-Id it returns on every later request", id);
        }
        ServerSession session = server.session(sessionId).orElseThrow(() -> new Rejection(404,
                ErrorCodes.INVALID_REQUEST, "Session not found: it ended or expired; send initialize again without "
                + "Mcp-Session-Id", id));
        if (principal != null && (session.principal() == null || !BearerAuth.sameClient(session.principal(),
                principal))) {
            log.debug("Refused a request for session {} from another principal than the one that began it",
                    sessionId);
            GatewayInternals.auditAuthFailure(server.gateway(), new AuthFailure(AuthFailure.Surface.MCP,
                    "another client's session",
                    exchange.clientAddress(), principal.subject()));
            throw new Rejection(403, ErrorCodes.INVALID_REQUEST, "This session was begun by another client; "
                    + "send initialize without Mcp-Session-Id to begin your own", id);
        }
        return session;
    }
}
