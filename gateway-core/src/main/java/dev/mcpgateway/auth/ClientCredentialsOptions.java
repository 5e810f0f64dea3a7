package dev.mcpgateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the gateway obtains its own token for a plugin with the client-credentials grant (RFC 6749 section 4.4): the
 * authorization server's token endpoint, the gateway's client there, and what to ask for. Built with
 * {@link #builder()}, validated once; give it to {@link UpstreamCredentials#clientCredentials}.
 *
 * <p>The token is obtained at the first request that needs it, reused until {@code refreshBefore} ahead of its
 * {@code expires_in}, and refreshed by one request however many calls wait for it. A failure fails the waiting calls
 * and the next call tries again; a plugin answering 401 makes the gateway drop the token and retry once with a new one.
 * {@link #toString()} never shows the client secret.
 *
 * @param client        the token endpoint, the gateway's client there and the request timeout
 * @param scopes        the {@code scope} to ask for (default none: the server's default)
 * @param audience      the {@code audience} parameter naming the plugin, or null
 * @param resource      the RFC 8707 {@code resource} parameter, the plugin's absolute URI, or null
 * @param refreshBefore how long before its expiry a token is replaced (default 30 s, at most 10 min)
 * @param clock         tells the time for expiry (default the system clock)
 */
public record ClientCredentialsOptions(TokenEndpointClient client, Set<String> scopes, String audience,
                                       String resource, Duration refreshBefore, Clock clock) {
    static final Duration MAX_REFRESH_BEFORE = Duration.ofMinutes(10);
    private static final Duration DEFAULT_REFRESH_BEFORE = Duration.ofSeconds(30);

    public ClientCredentialsOptions {
        Objects.requireNonNull(client, "client");
        scopes = OptionChecks.scopes("scopes", scopes);
        OptionChecks.blankIfSet("audience", audience);
        OptionChecks.resource(resource);
        OptionChecks.range("refreshBefore", refreshBefore, Duration.ZERO, MAX_REFRESH_BEFORE);
        Objects.requireNonNull(clock, "clock");
    }

    /** Starts from the defaults; the token endpoint, client id and secret must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link ClientCredentialsOptions}: the token endpoint, client and request settings as for any token
     * request, plus {@link #refreshBefore(Duration)}; {@link #build()} validates everything once.
     */
    public static final class Builder extends TokenRequestBuilder<Builder> {
        private Duration refreshBefore = DEFAULT_REFRESH_BEFORE;

        private Builder() {
        }

        /** How long before its expiry a token is replaced. */
        public Builder refreshBefore(Duration margin) {
            this.refreshBefore = margin;
            return this;
        }

        /** The options; fails with what to fix if a value is invalid. */
        public ClientCredentialsOptions build() {
            return new ClientCredentialsOptions(endpointClient(), scopes, audience, resource, refreshBefore, clock);
        }
    }
}
