package dev.mcpgateway.audit;

import java.util.Objects;

/**
 * A client refused at one of the gateway's front doors for its credentials: no token, one that is not valid, or one
 * lacking what the request needs. What the audit log and the registry store's audit trail record of it: never the
 * token, an API key or a header.
 *
 * @param surface where it was refused
 * @param reason  why, in a few fixed words ("no bearer token", "token expired", "wrong audience",
 *                "insufficient scope"...); nothing from the token
 * @param remote  the client's address as the front door saw it, or null when unknown
 * @param subject the subject of a token that was valid but fell short (lacking a scope, or not allowed what it
 *                asked), or null
 */
public record AuthFailure(Surface surface, String reason, String remote, String subject) {
    public AuthFailure {
        Objects.requireNonNull(surface, "surface");
        Objects.requireNonNull(reason, "reason");
    }

    /** Where a client was refused. */
    public enum Surface {
        /** The MCP endpoint (and a virtual server's). */
        MCP("mcp"),
        /** The management API's routes, other than registering and managing plugin instances. */
        MANAGEMENT_API("api"),
        /** Registering, renewing or deregistering a plugin instance over the management API. */
        REGISTRATION("registration");

        private final String tag;

        Surface(String tag) {
            this.tag = tag;
        }

        /** As the audit log and the audit trail write it: {@code mcp}, {@code api} or {@code registration}. */
        public String tag() {
            return tag;
        }
    }
}
