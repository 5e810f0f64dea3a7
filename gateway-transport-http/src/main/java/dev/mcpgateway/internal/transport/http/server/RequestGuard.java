package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;

/**
 * The checks every route of a front door applies before answering, whatever it serves: {@code Host} must be an
 * allowed name ({@link HostPolicy}, against DNS rebinding) and an {@code Origin}, when sent, an allowed one
 * ({@link OriginPolicy}). Each route writes the refusal in its own format (JSON-RPC on the MCP endpoint, a problem
 * document elsewhere), so this only says what to refuse. Thread-safe.
 */
final class RequestGuard {
    private final HostPolicy hosts;
    private final OriginPolicy origins;

    /** The guard for the options' allowed hosts and origins. */
    RequestGuard(HttpFrontDoorOptions options) {
        this.hosts = HostPolicy.of(options.allowedHosts(), options.host());
        this.origins = OriginPolicy.of(options.allowedOrigins());
    }

    /** Why the exchange must be refused, or null when it may be answered. */
    Refusal check(HttpExchangeAdapter exchange) {
        String host = exchange.header("Host");
        if (!hosts.allows(host)) {
            // 421, as RFC 9110 says for a request this server will not answer for its target's name.
            return new Refusal(421, "Host '" + host + "' is not a name this gateway answers to (a guard against "
                    + "DNS rebinding); if clients reach the gateway by that name, add it to the gateway's allowed "
                    + "hosts");
        }
        String origin = exchange.header("Origin");
        if (origin != null && !origins.allows(origin)) {
            return new Refusal(403, "Origin '" + origin + "' is not allowed to use this gateway; add it to the "
                    + "gateway's allowed origins if it should be");
        }
        return null;
    }

    /** A refusal: its HTTP status and the explanation for the client. */
    record Refusal(int status, String message) {
    }
}
