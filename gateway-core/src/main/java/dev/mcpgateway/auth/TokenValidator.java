package dev.mcpgateway.auth;

/**
 * Turns the bearer token of a request into the {@link Principal} it speaks for, or refuses it. The gateway's MCP
 * endpoint, as an OAuth resource server, calls this for every request carrying {@code Authorization: Bearer}; the
 * management API and per-tool authorization build on the principal it returns.
 *
 * <p>Implementations are thread-safe and do not block beyond one bounded fetch (a JWKS refresh or an introspection
 * call, each with connect and read timeouts). Get one from {@link TokenValidators}; {@link #close()} it when the
 * gateway stops, which ends its background refreshes.
 */
public interface TokenValidator extends AutoCloseable {

    /**
     * Validates a bearer token: its form, signature (or introspection answer), issuer, audience, lifetime and the
     * scopes configured as required.
     *
     * @param bearerToken the token as sent after {@code Bearer }, without the scheme
     * @return who the token speaks for
     * @throws InvalidTokenException               when the token is refused, with the RFC 6750 error to answer
     * @throws TokenValidationUnavailableException when the token cannot be judged now (keys or introspection
     *                                             endpoint out of reach): answer 503, never let the request through
     */
    Principal validate(String bearerToken) throws InvalidTokenException;

    /** Ends background work (JWKS refreshes); validating after this is not supported. */
    @Override
    void close();
}
