package dev.mcpgateway.auth;

import java.time.Clock;
import java.util.Objects;
import java.util.Set;

/**
 * How the gateway exchanges a client's token for one issued to a plugin (OAuth 2.0 Token Exchange, RFC 8693): the
 * authorization server's token endpoint, the gateway's client there, and the plugin's {@code audience} and/or
 * {@code resource}. Built with {@link #builder()}, validated once; give it to {@link UpstreamCredentials#tokenExchange}.
 *
 * <p>Each call made for a client sends {@code grant_type=urn:ietf:params:oauth:grant-type:token-exchange} with the
 * client's bearer token as {@code subject_token}; the plugin thus sees the client's identity, but with a token only it
 * accepts. Exchanged tokens are cached by a hash of the client's token, at most {@code maxCachedTokens} of them, until
 * they or the client's token expire. Requests the gateway makes on its own ({@code initialize}, listing, health
 * probes) have no client token: they carry {@code forGatewayRequests}. {@link #toString()} never shows the client
 * secret.
 *
 * @param client             the token endpoint, the gateway's client there and the request timeout
 * @param scopes             the {@code scope} to ask for (default none)
 * @param audience           the {@code audience} that names the plugin, or null when {@code resource} does
 * @param resource           the plugin's absolute URI as RFC 8707 {@code resource}, or null when {@code audience}
 *                           does; at least one of the two is required
 * @param requestedTokenType the {@code requested_token_type} (default {@link #ACCESS_TOKEN_TYPE})
 * @param maxCachedTokens    the most exchanged tokens kept, the least recently used going first (default 10,000,
 *                           between 1 and 1,000,000)
 * @param clock              tells the time for expiry (default the system clock)
 * @param forGatewayRequests what the gateway's own requests carry: {@link UpstreamCredentials#none()} (default) or
 *                           client credentials
 */
public record TokenExchangeOptions(TokenEndpointClient client, Set<String> scopes, String audience, String resource,
                                   String requestedTokenType, int maxCachedTokens, Clock clock,
                                   UpstreamCredentials forGatewayRequests) {
    /** The token type of an OAuth access token (RFC 8693 section 3). */
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    static final int MAX_CACHED_TOKENS = 1_000_000;
    private static final int DEFAULT_CACHED_TOKENS = 10_000;

    public TokenExchangeOptions {
        Objects.requireNonNull(client, "client");
        scopes = OptionChecks.scopes("scopes", scopes);
        OptionChecks.blankIfSet("audience", audience);
        OptionChecks.resource(resource);
        if (audience == null && resource == null) {
            throw new IllegalArgumentException("a token exchange needs the plugin's audience or resource (or both), so"
                    + " the exchanged token is good for that plugin only, e.g. audience: files or resource:"
                    + " https://files.example.com/mcp");
        }
        OptionChecks.nonBlank("requestedTokenType", requestedTokenType, "e.g. " + ACCESS_TOKEN_TYPE);
        OptionChecks.atLeast("maxCachedTokens", maxCachedTokens, 1, "each client token has its own exchanged token");
        if (maxCachedTokens > MAX_CACHED_TOKENS) {
            throw new IllegalArgumentException("maxCachedTokens must be at most " + MAX_CACHED_TOKENS
                    + " (the cache is held in memory), got " + maxCachedTokens);
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(forGatewayRequests, "forGatewayRequests");
        if (forGatewayRequests instanceof UpstreamCredentials.TokenExchange) {
            throw new IllegalArgumentException("forGatewayRequests must be none or client credentials: the gateway's"
                    + " own requests have no client token to exchange");
        }
    }

    /** Starts from the defaults; the token endpoint, client, and audience or resource must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link TokenExchangeOptions}: the token endpoint, client and request settings as for any token request,
     * plus what is particular to an exchange; {@link #build()} validates everything once.
     */
    public static final class Builder extends TokenRequestBuilder<Builder> {
        private String requestedTokenType = ACCESS_TOKEN_TYPE;
        private int maxCachedTokens = DEFAULT_CACHED_TOKENS;
        private UpstreamCredentials forGatewayRequests = UpstreamCredentials.none();

        private Builder() {
        }

        /** The {@code requested_token_type}. */
        public Builder requestedTokenType(String type) {
            this.requestedTokenType = type;
            return this;
        }

        /** The most exchanged tokens kept. */
        public Builder maxCachedTokens(int tokens) {
            this.maxCachedTokens = tokens;
            return this;
        }

        /** What the gateway's own requests carry: none or client credentials. */
        public Builder forGatewayRequests(UpstreamCredentials credentials) {
            this.forGatewayRequests = credentials;
            return this;
        }

        /** The options; fails with what to fix if a value is invalid. */
        public TokenExchangeOptions build() {
            return new TokenExchangeOptions(endpointClient(), scopes, audience, resource, requestedTokenType,
                    maxCachedTokens, clock, forGatewayRequests);
        }
    }
}
