package dev.mcpgateway.auth;

import dev.mcpgateway.internal.auth.IntrospectionTokenValidator;
import dev.mcpgateway.internal.auth.JwtTokenValidator;
import java.time.Clock;
import java.util.Objects;

/** The {@link TokenValidator}s the gateway offers: signed JWTs, and opaque tokens by RFC 7662 introspection. */
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
}
