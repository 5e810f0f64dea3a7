package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.auth.InvalidTokenException;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenValidationUnavailableException;
import dev.mcpgateway.internal.gateway.GatewayInternals;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.transport.http.server.FrontDoorAuth;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The front door as an OAuth 2.1 resource server (RFC 6750, RFC 9728): reads a request's bearer token from its
 * {@code Authorization} header (and only there: a token in the query string is refused, never used), has the
 * {@link FrontDoorAuth#validator()} judge it, holds it to the scopes a route requires, and says what the client must
 * do otherwise with a {@code WWW-Authenticate: Bearer} challenge pointing at the protected-resource metadata, which it
 * also writes. The MCP endpoint and the other routes each turn a {@link Refused} into their own error format, and
 * audit it ({@link Refused#audit}). Nothing of a token is ever logged or answered. Thread-safe.
 */
final class BearerAuth {
    /** The well-known path of RFC 9728 metadata; the path-suffixed form appends the resource's path. */
    static final String METADATA_PATH = "/.well-known/oauth-protected-resource";
    /** How soon a client may retry when the keys or the introspection endpoint are out of reach. */
    private static final String UNAVAILABLE_RETRY_AFTER = "5";
    private static final String BEARER = "bearer ";

    private final FrontDoorAuth auth;
    private final String mcpPath;
    private final String scheme;

    /**
     * @param mcpPath the MCP endpoint's path, for the derived resource URI
     * @param tls     whether the server serves HTTPS, for the derived resource URI
     */
    BearerAuth(FrontDoorAuth auth, String mcpPath, boolean tls) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.mcpPath = mcpPath;
        this.scheme = tls ? "https" : "http";
    }

    FrontDoorAuth settings() {
        return auth;
    }

    /**
     * The scopes a request needs.
     *
     * @param scopes     the scopes checked
     * @param anyOf      whether one of them is enough (else every one is needed)
     * @param advertised the scopes a challenge names (the {@code scope} attribute), as the client should ask for
     */
    record Requirement(Set<String> scopes, boolean anyOf, Set<String> advertised) {
        /** Every one of {@code scopes}, named in challenges. */
        static Requirement all(Set<String> scopes) {
            return new Requirement(scopes, false, scopes);
        }

        boolean grantedTo(Principal principal) {
            return anyOf ? scopes.isEmpty() || scopes.stream().anyMatch(principal::hasScope)
                    : principal.hasAllScopes(scopes);
        }
    }

    /**
     * The principal of the request's bearer token, which grants the scopes {@code required} asks for.
     *
     * @throws Refused {@code 400} for a token in the query or an oversize header, {@code 401} for a missing or
     *                 invalid token, {@code 403} for missing scopes, {@code 503} when the token cannot be judged now
     */
    Principal authenticate(HttpExchangeAdapter exchange, Requirement required) {
        Set<String> requiredScopes = required.advertised();
        if (tokenInQuery(exchange.query())) {
            // RFC 6750 section 2.3 allows it, OAuth 2.1 forbids it: URLs end up in logs and Referer headers.
            throw refused(exchange, 400, "invalid_request", "access tokens are accepted in the Authorization header "
                    + "only, never in the query string", requiredScopes).because("token in query", null);
        }
        String header = exchange.header("Authorization");
        if (header == null || header.isBlank()) {
            // RFC 6750 section 3.1: a request without credentials gets the challenge without an error code.
            throw refused(exchange, 401, null, "This endpoint needs Authorization: Bearer <access token>; see the "
                    + "resource metadata for where to get one", requiredScopes).because("no bearer token", null);
        }
        if (header.length() > auth.maxTokenChars()) {
            throw refused(exchange, 400, "invalid_request", "the Authorization header is too long", requiredScopes)
                    .because("token too long", null);
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || header.substring(BEARER.length()).isBlank()) {
            // Another scheme (Basic, say) carries no bearer token: challenged as a request without one.
            throw refused(exchange, 401, null, "This endpoint takes Authorization: Bearer <access token> only",
                    requiredScopes).because("not a bearer token", null);
        }
        Principal principal;
        try {
            principal = auth.validator().validate(token(exchange));
        } catch (InvalidTokenException e) {
            int status = switch (e.errorCode()) {
                case INVALID_REQUEST -> 400;
                case INVALID_TOKEN -> 401;
                case INSUFFICIENT_SCOPE -> 403;
            };
            Set<String> scopes = e.requiredScopes().isEmpty() ? requiredScopes : e.requiredScopes();
            // The description is one of the validator's fixed texts, never anything of the token.
            throw refused(exchange, status, e.errorCode().code(), e.description(), scopes)
                    .because(e.description(), null);
        } catch (TokenValidationUnavailableException e) {
            // Not the client's fault and not its token's: it should retry, not fetch a new token.
            throw new Refused(503, "The gateway cannot check access tokens right now; retry shortly",
                    Map.of("Retry-After", UNAVAILABLE_RETRY_AFTER));
        }
        if (!required.grantedTo(principal)) {
            throw insufficientScope(exchange, requiredScopes).because("insufficient scope", principal.subject());
        }
        return principal;
    }

    /** The bearer token of a request {@link #authenticate} accepted. */
    static String token(HttpExchangeAdapter exchange) {
        return exchange.header("Authorization").substring(BEARER.length()).strip();
    }

    /** A {@code 403 insufficient_scope} refusal naming the scopes that were needed. */
    Refused insufficientScope(HttpExchangeAdapter exchange, Collection<String> scopes) {
        return refused(exchange, 403, "insufficient_scope", "the access token lacks a scope this request needs: "
                + String.join(" ", new TreeSet<>(scopes)), scopes);
    }

    /** Whether a later request of a session comes from the principal that began it: same issuer, subject, client. */
    static boolean sameClient(Principal began, Principal now) {
        return began.issuer().equals(now.issuer()) && began.subject().equals(now.subject())
                && (began.clientId() == null || began.clientId().equals(now.clientId()));
    }

    /** Whether a path is one the metadata is served at: the bare well-known path, or it followed by the MCP path. */
    boolean isMetadataPath(String path) {
        return path.equals(METADATA_PATH) || path.equals(METADATA_PATH + resourcePath());
    }

    /** The RFC 9728 protected-resource metadata. */
    ObjectNode metadata(HttpExchangeAdapter exchange) {
        ObjectNode document = Json.object().put("resource", resource(exchange).toString());
        // RFC 9728 makes the member optional: API keys alone come from no authorization server.
        if (!auth.authorizationServers().isEmpty()) {
            ArrayNode servers = document.putArray("authorization_servers");
            auth.authorizationServers().forEach(server -> servers.add(server.toString()));
        }
        if (!auth.scopesSupported().isEmpty()) {
            ArrayNode scopes = document.putArray("scopes_supported");
            new TreeSet<>(auth.scopesSupported()).forEach(scopes::add);
        }
        document.putArray("bearer_methods_supported").add("header");
        return document;
    }

    /** The canonical URI of the MCP endpoint: configured, or derived from the request's {@code Host}. */
    URI resource(HttpExchangeAdapter exchange) {
        if (auth.resource() != null) {
            return auth.resource();
        }
        String host = exchange.header("Host");
        // The Host was checked against the allowed hosts before any of this runs, so it cannot be a page's name.
        return URI.create(scheme + "://" + (host == null || host.isBlank() ? "localhost" : host.strip()) + mcpPath);
    }

    /** Where the metadata of the resource is: RFC 9728 section 3.1 puts the well-known path before its path. */
    String metadataUrl(HttpExchangeAdapter exchange) {
        URI resource = resource(exchange);
        String path = resource.getRawPath() == null || resource.getRawPath().equals("/") ? ""
                : resource.getRawPath();
        return resource.getScheme() + "://" + resource.getRawAuthority() + METADATA_PATH + path;
    }

    private String resourcePath() {
        if (auth.resource() == null) {
            return mcpPath;
        }
        String path = auth.resource().getRawPath();
        return path == null || path.equals("/") ? "" : path;
    }

    private Refused refused(HttpExchangeAdapter exchange, int status, String error, String description,
                            Collection<String> scopes) {
        StringBuilder challenge = new StringBuilder("Bearer resource_metadata=\"")
                .append(quoted(metadataUrl(exchange))).append('"');
        if (error != null) {
            challenge.append(", error=\"").append(error).append('"')
                    .append(", error_description=\"").append(quoted(description)).append('"');
        }
        if (!scopes.isEmpty()) {
            challenge.append(", scope=\"").append(String.join(" ", new TreeSet<>(scopes))).append('"');
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("WWW-Authenticate", challenge.toString());
        String message = error == null ? description : capitalized(description) + " (" + error + ")";
        return new Refused(status, message, headers);
    }

    private static boolean tokenInQuery(String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = (equals < 0 ? pair : pair.substring(0, equals)).toLowerCase(Locale.ROOT);
            if (name.equals("access_token") || name.equals("access%5ftoken")) {
                return true;
            }
        }
        return false;
    }

    // A quoted-string may hold neither '"' nor '\' unescaped, nor control characters.
    private static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= ' ' && c < 0x7F) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /**
     * A request refused for its credentials: the status, what the client is told, and the headers to answer with
     * ({@code WWW-Authenticate}, or {@code Retry-After} for a 503); and, unless the gateway could not judge the token
     * (a 503, nobody's failure), why for the audit.
     */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient Map<String, String> headers;
        /** Why, in a few fixed words, for the audit; null for a 503. */
        private String reason;
        /** The subject of a valid token that fell short, or null. */
        private String subject;

        Refused(int status, String message, Map<String, String> headers) {
            super(message, null, false, false);
            this.status = status;
            this.headers = Map.copyOf(headers);
        }

        /** This refusal, audited as {@code reason} (fixed words, nothing of the token). */
        Refused because(String reason, String subject) {
            this.reason = reason;
            this.subject = subject;
            return this;
        }

        /** Audits the refusal once, as a failure at {@code surface}; a 503 is none. */
        void audit(McpGateway gateway, AuthFailure.Surface surface, HttpExchangeAdapter exchange) {
            if (reason != null) {
                GatewayInternals.auditAuthFailure(gateway,
                        new AuthFailure(surface, reason, exchange.clientAddress(), subject));
            }
        }
    }
}
