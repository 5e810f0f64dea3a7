package dev.mcpgateway.internal.auth;

import dev.mcpgateway.auth.Principal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@link Principal} of a validated token's claims, the same for a JWT's payload and an RFC 7662 introspection
 * answer (whose members are the JWT claim names): where scopes, client id and audience may be written, and how.
 */
final class ClaimsPrincipals {
    private ClaimsPrincipals() {
    }

    /** The principal of already validated claims holding {@code sub} and {@code iss}; times as epoch seconds. */
    static Principal of(Map<String, Object> claims) {
        Object exp = claims.get("exp");
        return new Principal(String.valueOf(claims.get("sub")), String.valueOf(claims.get("iss")), clientId(claims),
                scopes(claims), audiences(claims.get("aud")),
                exp instanceof Number seconds ? Instant.ofEpochSecond(seconds.longValue()) : null, claims);
    }

    /** RFC 8693/9068 {@code client_id}, else the OpenID Connect {@code azp} many servers write instead. */
    private static String clientId(Map<String, Object> claims) {
        for (String name : new String[] {"client_id", "azp"}) {
            if (claims.get(name) instanceof String id && !id.isBlank()) {
                return id;
            }
        }
        return null;
    }

    /** RFC 9068/8693 write a space-separated {@code scope} string; some servers (Azure AD, Okta) an {@code scp} array. */
    private static Set<String> scopes(Map<String, Object> claims) {
        Object scope = claims.get("scope");
        return strings(scope != null ? scope : claims.get("scp"));
    }

    /** {@code aud} is one string or an array of them (RFC 7519 4.1.3); a string is one value, spaces and all. */
    private static Set<String> audiences(Object claim) {
        return claim instanceof String audience ? Set.of(audience) : strings(claim);
    }

    /** A claim that may be a string of space-separated values or an array of strings, as a set. */
    private static Set<String> strings(Object claim) {
        Set<String> values = new LinkedHashSet<>();
        if (claim instanceof String text) {
            Arrays.stream(text.split(" ")).filter(value -> !value.isEmpty()).forEach(values::add);
        } else if (claim instanceof Collection<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(values::add);
        }
        return values;
    }
}
