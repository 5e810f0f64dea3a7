package dev.mcpgateway.examples.runner;

import dev.mcpgateway.auth.JwtValidatorOptions;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.auth.TokenValidators;
import dev.mcpgateway.transport.http.server.FrontDoorAuth;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The runner's {@code auth:} section: whether the MCP endpoint and the management API require OAuth bearer tokens.
 * The seed's {@code AUTH_PROVIDER}, {@code AUTH_ISSUER}, {@code AUTH_AUDIENCE}, {@code AUTH_JWKS_URL} and
 * {@code AUTH_SCOPES} set the keys of the same meaning.
 *
 * @param provider {@code oauth2} (bearer JWTs checked against the issuer's JWKS), {@code none} (nobody is
 *                 authenticated, said explicitly, which allows binding a non-loopback address), or null when unset
 *                 (no authentication, loopback only)
 * @param issuer   the {@code iss} tokens must carry, also listed as the authorization server in the resource metadata
 *                 (required with oauth2)
 * @param audience the {@code aud} that means this gateway (required with oauth2); when it is an absolute http(s) URI
 *                 it is also the MCP endpoint's canonical resource URI
 * @param jwksUrl  where the issuer publishes its signing keys (required with oauth2)
 * @param scopes   the scopes every MCP request needs (default none); an entry may hold several separated by spaces
 */
public record AuthConfig(String provider, String issuer, String audience, String jwksUrl, List<String> scopes) {
    /** The provider that validates bearer JWTs. */
    static final String OAUTH2 = "oauth2";
    /** The provider that authenticates nobody. */
    static final String NONE = "none";
    /** Unset. */
    public static final AuthConfig DEFAULT = new AuthConfig(null, null, null, null, null);

    public AuthConfig {
        provider = blankToNull(provider);
        provider = provider == null ? null : provider.toLowerCase(Locale.ROOT);
        issuer = blankToNull(issuer);
        audience = blankToNull(audience);
        jwksUrl = blankToNull(jwksUrl);
        scopes = split(scopes);
        if (provider != null && !provider.equals(OAUTH2) && !provider.equals(NONE)) {
            throw new IllegalArgumentException("auth.provider must be oauth2 or none, got '" + provider + "'");
        }
        if (OAUTH2.equals(provider)) {
            List<String> missing = new ArrayList<>();
            if (issuer == null) {
                missing.add("auth.issuer (AUTH_ISSUER)");
            }
            if (audience == null) {
                missing.add("auth.audience (AUTH_AUDIENCE)");
            }
            if (jwksUrl == null) {
                missing.add("auth.jwksUrl (AUTH_JWKS_URL)");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("auth.provider is oauth2 but " + String.join(", ", missing)
                        + (missing.size() == 1 ? " is" : " are") + " missing");
            }
            absolute("auth.issuer", issuer);
            absolute("auth.jwksUrl", jwksUrl);
        }
    }

    /** Whether clients must present bearer tokens. */
    public boolean enabled() {
        return OAUTH2.equals(provider);
    }

    /** Whether the configuration says explicitly that nobody is authenticated. */
    public boolean explicitlyNone() {
        return NONE.equals(provider);
    }

    /** The validator of the configured tokens; the caller closes it. Only when {@link #enabled()}. */
    TokenValidator validator() {
        return TokenValidators.jwt(JwtValidatorOptions.builder().issuer(issuer).audiences(audience)
                .jwksUri(URI.create(jwksUrl)).build());
    }

    /** The front door's settings for tokens judged by {@code validator}. */
    FrontDoorAuth frontDoorAuth(TokenValidator validator) {
        FrontDoorAuth.Builder builder = FrontDoorAuth.builder(validator).authorizationServer(URI.create(issuer))
                .requiredScopes(new LinkedHashSet<>(scopes));
        URI resource = resourceUri(audience);
        if (resource != null) {
            builder.resource(resource);
        }
        return builder.build();
    }

    private static URI resourceUri(String audience) {
        try {
            URI uri = URI.create(audience);
            return uri.isAbsolute() && (uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                    && uri.getFragment() == null ? uri : null;
        } catch (IllegalArgumentException e) {
            return null; // an audience that is a plain name, such as "mcp-gateway"
        }
    }

    private static void absolute(String key, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.isAbsolute() && uri.getHost() != null) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new IllegalArgumentException(key + " must be an absolute URL such as https://auth.example.com/, got '"
                + value + "'");
    }

    static List<String> split(List<String> scopes) {
        List<String> split = new ArrayList<>();
        if (scopes != null) {
            for (String entry : scopes) {
                if (entry != null) {
                    for (String scope : entry.strip().split("[\\s,]+")) {
                        if (!scope.isEmpty() && !split.contains(scope)) {
                            split.add(scope);
                        }
                    }
                }
            }
        }
        return List.copyOf(split);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
