package dev.mcpgateway.auth;

/**
 * A token could not be judged because what judges it is out of reach: the JWKS endpoint answered with nothing usable
 * and no keys fetched before are at hand, or the introspection endpoint did not answer. The token may well be valid,
 * so this is not an {@link InvalidTokenException}: answer HTTP 503 (the client should retry later, not fetch a new
 * token), never let the request through. The message names the endpoint, not the token; the cause is logged by the
 * validator.
 */
public final class TokenValidationUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was out of reach, without anything from the token */
    public TokenValidationUnavailableException(String message) {
        super(message, null, false, false);
    }
}
