package dev.mcpgateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How bearer JWTs (RFC 9068 access tokens) are validated: whom they must come from, whom they must be for, the keys
 * and algorithms their signatures may use, and how the keys are fetched. Built with {@link #builder()}, validated
 * once; give it to {@link TokenValidators#jwt(JwtValidatorOptions)}.
 *
 * <p>The algorithms come from here, never from the token: a token whose header names another one is refused before
 * any key is looked at. That closes {@code alg: none} and the confusion where a token signed with HMAC using the
 * public RSA key as the secret passes as an RSA signature. HMAC is only possible with {@link #keys() configured}
 * secret keys and when chosen explicitly; with a JWKS or public keys it cannot be configured at all.
 *
 * <p>A JWKS is fetched once, cached for {@code jwksCacheTtl} and refreshed in the background shortly before it
 * expires; a token whose {@code kid} is not in the cache triggers a refresh (how a key rotation is picked up without
 * a restart), but at most one per {@code jwksRefreshMinInterval}, so a flood of tokens with made-up key ids cannot
 * make the gateway hammer the authorization server. When the JWKS endpoint is down the keys fetched before stay in use
 * for up to ten cache lifetimes (50 min by default).
 *
 * @param issuer                 the {@code iss} every token must carry, exactly (required), e.g.
 *                               {@code https://auth.example.com/}
 * @param audiences              the {@code aud} values that mean this gateway; a token must name at least one of them
 *                               (required, at least one: a token for another resource server must not work here)
 * @param jwksUri                where the authorization server publishes its keys (http or https); exactly one of
 *                               this and {@code keys}
 * @param keys                   the keys to trust, configured instead of a {@code jwksUri}: public RSA or EC keys, or
 *                               secret (oct) keys for HMAC; exactly one of this and {@code jwksUri}
 * @param algorithms             the JWS algorithms accepted (default RS256 and ES256); RSA (RS*, PS*) and EC (ES256,
 *                               ES384, ES512) ones, or HMAC (HS*) ones only with secret {@code keys}; never
 *                               {@code none}
 * @param clockSkew              how far the clocks of the issuer and the gateway may disagree when checking
 *                               {@code exp} and {@code nbf} (default 60 s, at most 5 min)
 * @param requiredScopes         scopes every token must grant, else {@code insufficient_scope} (default none)
 * @param jwksCacheTtl           how long a fetched JWKS is used before it is fetched again (default 5 min, at least
 *                               1 min, longer than {@code jwksRefreshMinInterval})
 * @param jwksRefreshMinInterval the shortest time between two refreshes of the JWKS for an unknown {@code kid}
 *                               (default 30 s): besides the regular fetch, at most one refresh per interval
 * @param jwksConnectTimeout     how long connecting to the JWKS endpoint may take (default 2 s, at most 10 s)
 * @param jwksReadTimeout        how long reading the JWKS may take (default 2 s, at most 10 s)
 * @param jwksSizeLimitBytes     the largest JWKS document accepted (default 256 KiB, at least 1 KiB)
 * @param maxTokenChars          the longest token accepted; a longer one is refused as {@code invalid_request} before
 *                               it is parsed (default 8 KiB, at least 256)
 * @param acceptedTypes          the {@code typ} header values accepted (default {@code JWT} and {@code at+jwt}, RFC
 *                               9068), compared ignoring case and an {@code application/} prefix
 * @param typeRequired           whether a token without {@code typ} is refused (default false: many authorization
 *                               servers leave it out)
 */
public record JwtValidatorOptions(String issuer, Set<String> audiences, URI jwksUri, JWKSet keys,
                                  Set<String> algorithms, Duration clockSkew, Set<String> requiredScopes,
                                  Duration jwksCacheTtl, Duration jwksRefreshMinInterval, Duration jwksConnectTimeout,
                                  Duration jwksReadTimeout, int jwksSizeLimitBytes, int maxTokenChars,
                                  Set<String> acceptedTypes, boolean typeRequired) {
    /** The largest clock skew: more would keep an expired token usable for too long. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** The shortest JWKS cache lifetime: a JWKS changes seldom, and an authorization server should not be polled. */
    public static final Duration MIN_JWKS_CACHE_TTL = Duration.ofMinutes(1);
    /** The longest JWKS connect or read timeout: a validation may wait for one fetch, not for long. */
    public static final Duration MAX_JWKS_TIMEOUT = Duration.ofSeconds(10);
    /** The signature algorithms that can be configured: those the JDK verifies without further providers. */
    public static final Set<String> SUPPORTED_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "HS256", "HS384", "HS512");

    private static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256", "ES256");
    private static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Duration DEFAULT_JWKS_CACHE_TTL = Duration.ofMinutes(5);
    private static final Duration DEFAULT_JWKS_REFRESH_MIN_INTERVAL = Duration.ofSeconds(30);
    private static final Duration DEFAULT_JWKS_TIMEOUT = Duration.ofSeconds(2);
    private static final int DEFAULT_JWKS_SIZE_LIMIT_BYTES = 256 * 1024;
    private static final int MIN_JWKS_SIZE_LIMIT_BYTES = 1024;
    private static final int DEFAULT_MAX_TOKEN_CHARS = 8 * 1024;
    private static final int MIN_MAX_TOKEN_CHARS = 256;
    private static final Set<String> DEFAULT_ACCEPTED_TYPES = Set.of("JWT", "at+jwt");

    public JwtValidatorOptions {
        OptionChecks.nonBlank("issuer", issuer, "the iss value tokens must carry, exactly as the authorization"
                + " server writes it, e.g. https://auth.example.com/");
        audiences = OptionChecks.audiences(audiences);
        if ((jwksUri == null) == (keys == null)) {
            throw new IllegalArgumentException("the signing keys: set exactly one of jwksUri (where the authorization"
                    + " server publishes them) and keys (configured), got " + (jwksUri == null ? "neither" : "both"));
        }
        if (jwksUri != null) {
            OptionChecks.httpUri("jwksUri", jwksUri, "https://auth.example.com/.well-known/jwks.json");
        }
        boolean secretKeys = keys != null && requireUniformKeys(keys);
        if (keys != null && !secretKeys) {
            // Of an RSA or EC key only the public part is needed: a private part has no business in a validator.
            keys = keys.toPublicJWKSet();
        }
        algorithms = requireAlgorithms(algorithms, keys != null, secretKeys);
        OptionChecks.range("clockSkew", clockSkew, Duration.ZERO, MAX_CLOCK_SKEW);
        requiredScopes = OptionChecks.scopes("requiredScopes", requiredScopes);
        OptionChecks.range("jwksCacheTtl", jwksCacheTtl, MIN_JWKS_CACHE_TTL, Duration.ofDays(1));
        OptionChecks.range("jwksRefreshMinInterval", jwksRefreshMinInterval, Duration.ofSeconds(1), Duration.ofDays(1));
        if (jwksRefreshMinInterval.compareTo(jwksCacheTtl) >= 0) {
            throw new IllegalArgumentException("jwksRefreshMinInterval (" + jwksRefreshMinInterval.toSeconds()
                    + " s) must be shorter than jwksCacheTtl (" + jwksCacheTtl.toSeconds() + " s), or a rotated key"
                    + " could not be fetched before the cache expires anyway");
        }
        OptionChecks.range("jwksConnectTimeout", jwksConnectTimeout, Duration.ofMillis(1), MAX_JWKS_TIMEOUT);
        OptionChecks.range("jwksReadTimeout", jwksReadTimeout, Duration.ofMillis(1), MAX_JWKS_TIMEOUT);
        OptionChecks.atLeast("jwksSizeLimitBytes", jwksSizeLimitBytes, MIN_JWKS_SIZE_LIMIT_BYTES,
                "a JWKS of one RSA key is about 500 bytes");
        OptionChecks.atLeast("maxTokenChars", maxTokenChars, MIN_MAX_TOKEN_CHARS, "a small signed JWT is longer");
        acceptedTypes = OptionChecks.nonBlankSet("acceptedTypes", acceptedTypes);
        if (typeRequired && acceptedTypes.isEmpty()) {
            throw new IllegalArgumentException("typeRequired with no acceptedTypes would refuse every token; accept"
                    + " e.g. at+jwt");
        }
    }

    /** Starts from the defaults; {@code issuer}, {@code audiences} and the keys must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some. */
    public Builder toBuilder() {
        Builder builder = new Builder().issuer(issuer).audiences(audiences).algorithms(algorithms).clockSkew(clockSkew)
                .requiredScopes(requiredScopes).jwksCacheTtl(jwksCacheTtl)
                .jwksRefreshMinInterval(jwksRefreshMinInterval).jwksConnectTimeout(jwksConnectTimeout)
                .jwksReadTimeout(jwksReadTimeout).jwksSizeLimitBytes(jwksSizeLimitBytes).maxTokenChars(maxTokenChars)
                .acceptedTypes(acceptedTypes).typeRequired(typeRequired);
        builder.jwksUri = jwksUri;
        builder.keys = keys;
        return builder;
    }

    /** Whether the configured keys are secret ones; fails unless they are all secret or all public. */
    private static boolean requireUniformKeys(JWKSet keys) {
        List<JWK> all = keys.getKeys();
        if (all.isEmpty()) {
            throw new IllegalArgumentException("keys: the configured JWKSet is empty");
        }
        long secret = all.stream().filter(key -> KeyType.OCT.equals(key.getKeyType())).count();
        if (secret != 0 && secret != all.size()) {
            throw new IllegalArgumentException("keys: configure either public RSA/EC keys or secret (oct) HMAC keys,"
                    + " not both: mixing them is how a public key ends up used as an HMAC secret");
        }
        for (JWK key : all) {
            KeyType type = key.getKeyType();
            if (!(KeyType.OCT.equals(type) || KeyType.RSA.equals(type) || KeyType.EC.equals(type))) {
                throw new IllegalArgumentException("keys: only RSA, EC and oct keys are supported, got a "
                        + type + " key" + (key.getKeyID() == null ? "" : " (kid " + key.getKeyID() + ")"));
            }
        }
        return secret != 0;
    }

    private static Set<String> requireAlgorithms(Collection<String> algorithms, boolean configuredKeys,
                                                 boolean secretKeys) {
        Objects.requireNonNull(algorithms, "algorithms");
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("algorithms: at least one, e.g. RS256");
        }
        for (String algorithm : algorithms) {
            if (algorithm == null || !SUPPORTED_ALGORITHMS.contains(algorithm)) {
                throw new IllegalArgumentException("algorithms: '" + algorithm + "' is not supported; choose from "
                        + SUPPORTED_ALGORITHMS.stream().sorted().toList()
                        + ("none".equalsIgnoreCase(String.valueOf(algorithm)) ? " (unsigned tokens are never accepted)"
                        : ""));
            }
            boolean hmac = JWSAlgorithm.Family.HMAC_SHA.contains(JWSAlgorithm.parse(algorithm));
            if (hmac && !secretKeys) {
                throw new IllegalArgumentException("algorithms: " + algorithm + " (HMAC) needs configured secret (oct)"
                        + " keys; with " + (configuredKeys ? "public keys" : "a jwksUri") + " it would let a token"
                        + " signed with a public key as the HMAC secret pass");
            }
            if (!hmac && secretKeys) {
                throw new IllegalArgumentException("algorithms: the configured keys are secret (oct) keys, which only"
                        + " HMAC algorithms use; choose them explicitly, e.g. algorithms(\"HS256\"), got " + algorithm);
            }
        }
        return Set.copyOf(algorithms);
    }

    /** Builds {@link JwtValidatorOptions}; {@link #build()} validates everything once. */
    public static final class Builder {
        private String issuer;
        private Set<String> audiences = Set.of();
        private URI jwksUri;
        private JWKSet keys;
        private Set<String> algorithms = DEFAULT_ALGORITHMS;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Set<String> requiredScopes = Set.of();
        private Duration jwksCacheTtl = DEFAULT_JWKS_CACHE_TTL;
        private Duration jwksRefreshMinInterval = DEFAULT_JWKS_REFRESH_MIN_INTERVAL;
        private Duration jwksConnectTimeout = DEFAULT_JWKS_TIMEOUT;
        private Duration jwksReadTimeout = DEFAULT_JWKS_TIMEOUT;
        private int jwksSizeLimitBytes = DEFAULT_JWKS_SIZE_LIMIT_BYTES;
        private int maxTokenChars = DEFAULT_MAX_TOKEN_CHARS;
        private Set<String> acceptedTypes = DEFAULT_ACCEPTED_TYPES;
        private boolean typeRequired;

        private Builder() {
        }

        /** The {@code iss} every token must carry, exactly. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** The {@code aud} values that mean this gateway; a token must name one of them. */
        public Builder audiences(String... audiences) {
            return audiences(Arrays.asList(audiences));
        }

        /** The {@code aud} values that mean this gateway; a token must name one of them. */
        public Builder audiences(Collection<String> audiences) {
            this.audiences = OptionChecks.copy(audiences);
            return this;
        }

        /** Where the authorization server publishes its keys; replaces configured {@link #keys(JWKSet) keys}. */
        public Builder jwksUri(URI jwksUri) {
            this.jwksUri = jwksUri;
            this.keys = null;
            return this;
        }

        /** Where the authorization server publishes its keys; replaces configured {@link #keys(JWKSet) keys}. */
        public Builder jwksUri(String jwksUri) {
            return jwksUri(URI.create(jwksUri));
        }

        /**
         * The keys to trust, instead of a {@link #jwksUri(URI) JWKS URI}. Of RSA and EC keys only the public parts
         * are kept; secret (oct) keys need HMAC {@link #algorithms(String...) algorithms} chosen explicitly.
         */
        public Builder keys(JWKSet keys) {
            this.keys = keys;
            this.jwksUri = null;
            return this;
        }

        /** The JWS algorithms accepted, e.g. {@code "RS256", "ES256"}. */
        public Builder algorithms(String... algorithms) {
            return algorithms(Arrays.asList(algorithms));
        }

        /** The JWS algorithms accepted. */
        public Builder algorithms(Collection<String> algorithms) {
            this.algorithms = OptionChecks.copy(algorithms);
            return this;
        }

        /** How far the issuer's and the gateway's clocks may disagree, at most 5 min. */
        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = clockSkew;
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

        /** How long a fetched JWKS is used before it is fetched again. */
        public Builder jwksCacheTtl(Duration ttl) {
            this.jwksCacheTtl = ttl;
            return this;
        }

        /** The shortest time between two JWKS refreshes for an unknown {@code kid}. */
        public Builder jwksRefreshMinInterval(Duration interval) {
            this.jwksRefreshMinInterval = interval;
            return this;
        }

        /** How long connecting to the JWKS endpoint may take. */
        public Builder jwksConnectTimeout(Duration timeout) {
            this.jwksConnectTimeout = timeout;
            return this;
        }

        /** How long reading the JWKS may take. */
        public Builder jwksReadTimeout(Duration timeout) {
            this.jwksReadTimeout = timeout;
            return this;
        }

        /** The largest JWKS document accepted, in bytes. */
        public Builder jwksSizeLimitBytes(int bytes) {
            this.jwksSizeLimitBytes = bytes;
            return this;
        }

        /** The longest token accepted, in characters; longer ones are refused unparsed. */
        public Builder maxTokenChars(int chars) {
            this.maxTokenChars = chars;
            return this;
        }

        /** The {@code typ} header values accepted, e.g. {@code "at+jwt"}. */
        public Builder acceptedTypes(String... types) {
            return acceptedTypes(Arrays.asList(types));
        }

        /** The {@code typ} header values accepted. */
        public Builder acceptedTypes(Collection<String> types) {
            this.acceptedTypes = OptionChecks.copy(types);
            return this;
        }

        /** Whether a token without {@code typ} is refused. */
        public Builder typeRequired(boolean required) {
            this.typeRequired = required;
            return this;
        }

        /** The options; fails with what to fix if a value is invalid. */
        public JwtValidatorOptions build() {
            return new JwtValidatorOptions(issuer, audiences, jwksUri, keys, algorithms, clockSkew, requiredScopes,
                    jwksCacheTtl, jwksRefreshMinInterval, jwksConnectTimeout, jwksReadTimeout, jwksSizeLimitBytes,
                    maxTokenChars, acceptedTypes, typeRequired);
        }
    }
}
