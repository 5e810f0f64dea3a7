package dev.mcpgateway.auth;

import dev.mcpgateway.internal.auth.ApiKeyTokenValidator;
import dev.mcpgateway.internal.auth.IntrospectionTokenValidator;
import dev.mcpgateway.internal.auth.JwtTokenValidator;
import dev.mcpgateway.internal.auth.PrefixRoutingValidator;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The {@link TokenValidator}s the gateway offers: signed JWTs, opaque tokens by RFC 7662 introspection, API keys
 * hashed at rest, and API keys beside one of the others.
 */
public final class TokenValidators {
    private TokenValidators() {
    }

    /**
     * A validator of signed JWTs as {@code options} say. With a JWKS URI nothing is fetched until the first token
     * arrives; close the validator when done to end its background refreshes.
     */
    public static TokenValidator jwt(JwtValidatorOptions options) {
        return jwt(options, Clock.systemUTC());
    }

    /** As {@link #jwt(JwtValidatorOptions)}, judging {@code exp} and {@code nbf} by {@code clock} (for tests). */
    public static TokenValidator jwt(JwtValidatorOptions options, Clock clock) {
        return new JwtTokenValidator(Objects.requireNonNull(options, "options"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * A validator of opaque tokens that asks the authorization server's introspection endpoint, as {@code options}
     * say; close it when done to release its HTTP client.
     */
    public static TokenValidator introspection(IntrospectionOptions options) {
        return introspection(options, Clock.systemUTC());
    }

    /** As {@link #introspection(IntrospectionOptions)}, judging and caching answers by {@code clock} (for tests). */
    public static TokenValidator introspection(IntrospectionOptions options, Clock clock) {
        return new IntrospectionTokenValidator(Objects.requireNonNull(options, "options"),
                Objects.requireNonNull(clock, "clock"));
    }

    /**
     * A validator of API keys: a token is accepted when its SHA-256 is the {@link ApiKey#sha256()} of one of
     * {@code keys} that has not expired. Its principal has the key's subject and scopes, the key's name as client id,
     * issuer {@value ApiKeyTokenValidator#ISSUER} and no audiences. An unknown and an expired key are refused alike
     * ({@code invalid_token}), so nobody learns which keys exist.
     *
     * @throws IllegalArgumentException when there is no key, or two share a name or a hash
     */
    public static TokenValidator apiKeys(Collection<ApiKey> keys) {
        return apiKeys(keys, Clock.systemUTC());
    }

    /** As {@link #apiKeys(Collection)}, judging expiries by {@code clock} (for tests). */
    public static TokenValidator apiKeys(Collection<ApiKey> keys, Clock clock) {
        return new ApiKeyTokenValidator(List.copyOf(Objects.requireNonNull(keys, "keys")),
                Objects.requireNonNull(clock, "clock"));
    }

    /**
     * A validator that sends tokens starting with {@link ApiKeys#PREFIX} to {@code apiKeys} and every other token to
     * {@code others}: API keys for machine clients beside the JWTs or introspected tokens of everyone else. Closing
     * it closes both.
     */
    public static TokenValidator either(TokenValidator apiKeys, TokenValidator others) {
        return new PrefixRoutingValidator(Objects.requireNonNull(apiKeys, "apiKeys"),
                Objects.requireNonNull(others, "others"));
    }
}
