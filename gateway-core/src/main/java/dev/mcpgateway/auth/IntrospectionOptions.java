package dev.mcpgateway.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;

/**
 * How opaque bearer tokens are validated by RFC 7662 introspection: the authorization server's endpoint and the
 * gateway's client credentials for it, what an active token's answer must say (issuer, audience, scopes), and how long
 * a positive answer is reused. Built with {@link #builder()}, validated once; give it to
 * {@link TokenValidators#introspection(IntrospectionOptions)}.
 *
 * <p>Each token is POSTed to the endpoint (form-encoded, {@code token_type_hint=access_token}) with the client
 * credentials as HTTP Basic (RFC 6749 2.3.1). The answer must say {@code "active": true}; then its {@code iss}, when
 * given, must be the issuer, its {@code aud} must name this gateway, its {@code exp} and {@code nbf}, when given, must
 * hold (with the clock skew), and it must grant the required scopes. An answer without {@code sub} takes its
 * {@code client_id} as the subject (a client-credentials token); one with neither is refused. Only positive answers
 * are cached, never past the token's {@code exp}, so a revocation takes effect within {@code cacheTtl}.
 *
 * @param endpoint         the introspection endpoint (http or https; https outside a test: the token and the
 *                         credentials travel in the request)
 * @param clientId         the gateway's client id at the authorization server (required)
 * @param clientSecret     the gateway's client secret (required); never shown by {@link #toString()}
 * @param issuer           the authorization server: an answer's {@code iss} must equal it, and it is the principal's
 *                         issuer when the answer gives none (required)
 * @param audiences        the {@code aud} values that mean this gateway; an answer must name one (required, at least
 *                         one)
 * @param requiredScopes   scopes every token must grant, else {@code insufficient_scope} (default none)
 * @param clockSkew        the tolerance on {@code exp} and {@code nbf} (default 60 s, at most 5 min)
 * @param cacheTtl         how long a positive answer is reused, at most until the token expires (default 60 s; zero
 *                         asks every time; at most 10 min, the longest a revoked token should keep working)
 * @param cacheMaxEntries  the most answers cached, the least recently used going first (default 10,000, at least 1)
 * @param connectTimeout   how long connecting to the endpoint may take (default 2 s, at most 10 s)
 * @param requestTimeout   how long the answer may take once connected (default 2 s, at most 10 s)
 * @param maxTokenChars    the longest token accepted; a longer one is refused as {@code invalid_request} and not sent
 *                         (default 8 KiB, at least 16)
 */
public record IntrospectionOptions(URI endpoint, String clientId, String clientSecret, String issuer,
                                   Set<String> audiences, Set<String> requiredScopes, Duration clockSkew,
                                   Duration cacheTtl, int cacheMaxEntries, Duration connectTimeout,
                                   Duration requestTimeout, int maxTokenChars) {
    /** The longest a positive answer is reused: the longest a revoked token keeps working. */
    public static final Duration MAX_CACHE_TTL = Duration.ofMinutes(10);
    /** The longest connect or request timeout: a validation may wait for one call, not for long. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    private static final int DEFAULT_CACHE_MAX_ENTRIES = 10_000;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    private static final int DEFAULT_MAX_TOKEN_CHARS = 8 * 1024;
    private static final int MIN_MAX_TOKEN_CHARS = 16;

    public IntrospectionOptions {
        OptionChecks.httpUri("endpoint", endpoint, "https://auth.example.com/oauth2/introspect");
        OptionChecks.nonBlank("clientId", clientId, "the gateway's client id at the authorization server");
        OptionChecks.nonBlank("clientSecret", clientSecret, "the gateway's client secret at the authorization server");
        OptionChecks.nonBlank("issuer", issuer, "the authorization server's issuer, e.g. https://auth.example.com/");
        audiences = OptionChecks.audiences(audiences);
        requiredScopes = OptionChecks.scopes("requiredScopes", requiredScopes);
        OptionChecks.range("clockSkew", clockSkew, Duration.ZERO, JwtValidatorOptions.MAX_CLOCK_SKEW);
        OptionChecks.range("cacheTtl", cacheTtl, Duration.ZERO, MAX_CACHE_TTL);
        OptionChecks.atLeast("cacheMaxEntries", cacheMaxEntries, 1, "use cacheTtl zero to cache nothing");
        OptionChecks.range("connectTimeout", connectTimeout, Duration.ofMillis(1), MAX_TIMEOUT);
        OptionChecks.range("requestTimeout", requestTimeout, Duration.ofMillis(1), MAX_TIMEOUT);
        OptionChecks.atLeast("maxTokenChars", maxTokenChars, MIN_MAX_TOKEN_CHARS, "opaque tokens are not shorter");
    }

    /** Starts from the defaults; endpoint, client credentials, issuer and audiences must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some. */
    public Builder toBuilder() {
        return new Builder().endpoint(endpoint).clientCredentials(clientId, clientSecret).issuer(issuer)
                .audiences(audiences).requiredScopes(requiredScopes).clockSkew(clockSkew).cacheTtl(cacheTtl)
                .cacheMaxEntries(cacheMaxEntries).connectTimeout(connectTimeout).requestTimeout(requestTimeout)
                .maxTokenChars(maxTokenChars);
    }

    /** The options with the client secret left out: they end up in logs and error messages. */
    @Override
    public String toString() {
        return "IntrospectionOptions[endpoint=" + endpoint + ", clientId=" + clientId + ", clientSecret=(hidden)"
                + ", issuer=" + issuer + ", audiences=" + audiences + ", requiredScopes=" + requiredScopes
                + ", clockSkew=" + clockSkew + ", cacheTtl=" + cacheTtl + ", cacheMaxEntries=" + cacheMaxEntries
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxTokenChars="
                + maxTokenChars + "]";
    }

    /** Builds {@link IntrospectionOptions}; {@link #build()} validates everything once. */
    public static final class Builder {
        private URI endpoint;
        private String clientId;
        private String clientSecret;
        private String issuer;
        private Set<String> audiences = Set.of();
        private Set<String> requiredScopes = Set.of();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Duration cacheTtl = DEFAULT_CACHE_TTL;
        private int cacheMaxEntries = DEFAULT_CACHE_MAX_ENTRIES;
        private Duration connectTimeout = DEFAULT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_TIMEOUT;
        private int maxTokenChars = DEFAULT_MAX_TOKEN_CHARS;

        private Builder() {
        }

        /** The introspection endpoint. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The introspection endpoint. */
        public Builder endpoint(String endpoint) {
            return endpoint(URI.create(endpoint));
        }

        /** The gateway's client id and secret at the authorization server. */
        public Builder clientCredentials(String clientId, String clientSecret) {
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            return this;
        }

        /** The authorization server's issuer. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** The {@code aud} values that mean this gateway. */
        public Builder audiences(String... audiences) {
            return audiences(Arrays.asList(audiences));
        }

        /** The {@code aud} values that mean this gateway. */
        public Builder audiences(Collection<String> audiences) {
            this.audiences = OptionChecks.copy(audiences);
            return this;
        }

        /** Scopes every token must grant. */
        public Builder requiredScopes(String... scopes) {
            return requiredScopes(Arrays.asList(scopes));
        }

        /** Scopes every token must grant. */
        public Builder requiredScopes(Collection<String> scopes) {
            this.requiredScopes = OptionChecks.copy(scopes);
            return this;
        }

        /** The tolerance on {@code exp} and {@code nbf}. */
        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = clockSkew;
            return this;
        }

        /** How long a positive answer is reused (zero: never). */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = ttl;
            return this;
        }

        /** The most answers cached. */
        public Builder cacheMaxEntries(int entries) {
            this.cacheMaxEntries = entries;
            return this;
        }

        /** How long connecting to the endpoint may take. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long the answer may take once connected. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** The longest token accepted, in characters. */
        public Builder maxTokenChars(int chars) {
            this.maxTokenChars = chars;
            return this;
        }

        /** The options; fails with what to fix if a value is invalid. */
        public IntrospectionOptions build() {
            return new IntrospectionOptions(endpoint, clientId, clientSecret, issuer, audiences, requiredScopes,
                    clockSkew, cacheTtl, cacheMaxEntries, connectTimeout, requestTimeout, maxTokenChars);
        }
    }
}
