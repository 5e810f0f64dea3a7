package dev.mcpgateway.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
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
 *
 * @param tokenEndpoint        the token endpoint, absolute http or https (https outside a test: the secret travels)
 * @param clientId             the gateway's client id at the authorization server
 * @param clientSecret         the gateway's client secret; never shown by {@link #toString()}
 * @param clientAuthentication how the client authenticates (default {@link ClientAuthentication#CLIENT_SECRET_BASIC})
 * @param scopes               the {@code scope} to ask for (default none: the server's default)
 * @param audience             the {@code audience} parameter naming the plugin, or null
 * @param resource             the RFC 8707 {@code resource} parameter, the plugin's absolute URI, or null
 * @param refreshBefore        how long before its expiry a token is replaced (default 30 s, at most 10 min)
 * @param requestTimeout       how long a token request may take (default 10 s, at most 60 s)
 * @param clock                tells the time for expiry (default the system clock)
 */
public record ClientCredentialsOptions(URI tokenEndpoint, String clientId, String clientSecret,
                                       ClientAuthentication clientAuthentication, Set<String> scopes, String audience,
                                       String resource, Duration refreshBefore, Duration requestTimeout, Clock clock) {
    static final Duration MAX_REFRESH_BEFORE = Duration.ofMinutes(10);
    static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_REFRESH_BEFORE = Duration.ofSeconds(30);

    public ClientCredentialsOptions {
        checkClient(tokenEndpoint, clientId, clientSecret);
        Objects.requireNonNull(clientAuthentication, "clientAuthentication");
        scopes = OptionChecks.scopes("scopes", scopes);
        OptionChecks.blankIfSet("audience", audience);
        OptionChecks.resource(resource);
        OptionChecks.range("refreshBefore", refreshBefore, Duration.ZERO, MAX_REFRESH_BEFORE);
        OptionChecks.range("requestTimeout", requestTimeout, Duration.ofMillis(1), MAX_REQUEST_TIMEOUT);
        Objects.requireNonNull(clock, "clock");
    }

    /** The checks of the token endpoint and the client every grant of upstream tokens makes. */
    static void checkClient(URI tokenEndpoint, String clientId, String clientSecret) {
        if (tokenEndpoint == null) {
            throw new IllegalArgumentException("tokenEndpoint is required: the authorization server's token endpoint,"
                    + " e.g. https://auth.example.com/oauth2/token");
        }
        OptionChecks.httpUri("tokenEndpoint", tokenEndpoint, "https://auth.example.com/oauth2/token");
        OptionChecks.nonBlank("clientId", clientId, "the gateway's client id at the authorization server");
        OptionChecks.nonBlank("clientSecret", clientSecret, "the gateway's client secret at the authorization server,"
                + " e.g. from an environment variable");
    }

    /** Starts from the defaults; the token endpoint, client id and secret must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The options with the client secret left out: they end up in logs and error messages. */
    @Override
    public String toString() {
        return "ClientCredentialsOptions[tokenEndpoint=" + tokenEndpoint + ", clientId=" + clientId
                + ", clientSecret=(hidden), clientAuthentication=" + clientAuthentication.method() + ", scopes="
                + scopes + ", audience=" + audience + ", resource=" + resource + ", refreshBefore=" + refreshBefore
                + ", requestTimeout=" + requestTimeout + "]";
    }

    /** Builds {@link ClientCredentialsOptions}; {@link #build()} validates everything once. */
    public static final class Builder {
        private URI tokenEndpoint;
        private String clientId;
        private String clientSecret;
        private ClientAuthentication clientAuthentication = ClientAuthentication.CLIENT_SECRET_BASIC;
        private Set<String> scopes = Set.of();
        private String audience;
        private String resource;
        private Duration refreshBefore = DEFAULT_REFRESH_BEFORE;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The token endpoint. */
        public Builder tokenEndpoint(URI endpoint) {
            this.tokenEndpoint = endpoint;
            return this;
        }

        /** The token endpoint. */
        public Builder tokenEndpoint(String endpoint) {
            return tokenEndpoint(URI.create(endpoint));
        }

        /** The gateway's client id and secret at the authorization server. */
        public Builder client(String clientId, String clientSecret) {
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            return this;
        }

        /** How the client authenticates to the token endpoint. */
        public Builder clientAuthentication(ClientAuthentication method) {
            this.clientAuthentication = method;
            return this;
        }

        /** The scopes to ask for. */
        public Builder scopes(String... scopes) {
            return scopes(Arrays.asList(scopes));
        }

        /** The scopes to ask for. */
        public Builder scopes(Collection<String> scopes) {
            this.scopes = OptionChecks.copy(scopes);
            return this;
        }

        /** The {@code audience} parameter, or null. */
        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** The RFC 8707 {@code resource} parameter, or null. */
        public Builder resource(String resource) {
            this.resource = resource;
            return this;
        }

        /** How long before its expiry a token is replaced. */
        public Builder refreshBefore(Duration margin) {
            this.refreshBefore = margin;
            return this;
        }

        /** How long a token request may take. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** The clock for expiry (tests pass a fake one). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The options; fails with what to fix if a value is invalid. */
        public ClientCredentialsOptions build() {
            return new ClientCredentialsOptions(tokenEndpoint, clientId, clientSecret, clientAuthentication, scopes,
                    audience, resource, refreshBefore, requestTimeout, clock);
        }
    }
}
