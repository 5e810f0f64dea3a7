package dev.mcpgateway.examples.runner;

import dev.mcpgateway.auth.IntrospectionOptions;
import dev.mcpgateway.auth.JwtValidatorOptions;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.auth.TokenValidators;
import dev.mcpgateway.transport.http.server.FrontDoorAuth;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runner's {@code auth:} section: whether the MCP endpoint and the management API require bearer tokens, and
 * which. The seed's {@code AUTH_PROVIDER}, {@code AUTH_ISSUER}, {@code AUTH_AUDIENCE}, {@code AUTH_JWKS_URL},
 * {@code AUTH_SCOPES}, {@code AUTH_INTROSPECTION_URL}, {@code AUTH_CLIENT_ID} and {@code AUTH_CLIENT_SECRET} set the
 * keys of the same meaning.
 *
 * @param provider         {@code oauth2} (bearer JWTs checked against the issuer's JWKS), {@code introspection}
 *                         (opaque tokens asked of the issuer's RFC 7662 endpoint), {@code apikeys} (the API keys of
 *                         {@code apiKeys} only), {@code none} (nobody is authenticated, said explicitly, which allows
 *                         binding a non-loopback address), or null when unset (no authentication, loopback only)
 * @param issuer           the {@code iss} tokens must carry, also listed as the authorization server in the resource
 *                         metadata (required with oauth2 and introspection)
 * @param audience         the {@code aud} that means this gateway (required with oauth2 and introspection); when it is
 *                         an absolute http(s) URI it is also the MCP endpoint's canonical resource URI
 * @param jwksUrl          where the issuer publishes its signing keys (required with oauth2)
 * @param scopes           the scopes every MCP request needs (default none); an entry may hold several separated by
 *                         spaces
 * @param introspectionUrl the issuer's RFC 7662 introspection endpoint (required with introspection)
 * @param clientId         the gateway's client id at the issuer, for introspection (required with introspection)
 * @param clientSecret     the gateway's client secret at the issuer (required with introspection); never shown by
 *                         {@link #toString()}
 * @param apiKeys          API keys for machine clients, by hash (required with apikeys; beside oauth2 or
 *                         introspection, a token starting with {@code mgw_} is taken for an API key)
 */
public record AuthConfig(String provider, String issuer, String audience, String jwksUrl, List<String> scopes,
                         String introspectionUrl, String clientId, String clientSecret, List<ApiKeyConfig> apiKeys) {
    /** The provider that validates bearer JWTs. */
    static final String OAUTH2 = "oauth2";
    /** The provider that asks an introspection endpoint. */
    static final String INTROSPECTION = "introspection";
    /** The provider that takes API keys only. */
    static final String APIKEYS = "apikeys";
    /** The provider that authenticates nobody. */
    static final String NONE = "none";
    /** Unset. */
    public static final AuthConfig DEFAULT = new AuthConfig(null, null, null, null, null, null, null, null, null);

    public AuthConfig {
        provider = blankToNull(provider);
        provider = provider == null ? null : provider.toLowerCase(Locale.ROOT);
        issuer = blankToNull(issuer);
        audience = blankToNull(audience);
        jwksUrl = blankToNull(jwksUrl);
        scopes = split(scopes);
        introspectionUrl = blankToNull(introspectionUrl);
        clientId = blankToNull(clientId);
        clientSecret = blankToNull(clientSecret);
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        if (provider != null && !List.of(OAUTH2, INTROSPECTION, APIKEYS, NONE).contains(provider)) {
            throw new IllegalArgumentException("auth.provider must be oauth2, introspection, apikeys or none, got '"
                    + provider + "'");
        }
        Map<String, String> required = new LinkedHashMap<>();
        if (OAUTH2.equals(provider) || INTROSPECTION.equals(provider)) {
            required.put("auth.issuer (AUTH_ISSUER)", issuer);
            required.put("auth.audience (AUTH_AUDIENCE)", audience);
        }
        if (OAUTH2.equals(provider)) {
            required.put("auth.jwksUrl (AUTH_JWKS_URL)", jwksUrl);
        }
        if (INTROSPECTION.equals(provider)) {
            required.put("auth.introspectionUrl (AUTH_INTROSPECTION_URL)", introspectionUrl);
            required.put("auth.clientId (AUTH_CLIENT_ID)", clientId);
            required.put("auth.clientSecret (AUTH_CLIENT_SECRET)", clientSecret);
        }
        List<String> missing = new ArrayList<>();
        required.forEach((key, value) -> {
            if (value == null) {
                missing.add(key);
            }
        });
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("auth.provider is " + provider + " but " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " missing");
        }
        if (required.containsKey("auth.issuer (AUTH_ISSUER)")) {
            absolute("auth.issuer", issuer);
        }
        if (OAUTH2.equals(provider)) {
            absolute("auth.jwksUrl", jwksUrl);
        }
        if (INTROSPECTION.equals(provider)) {
            try {
                introspection(introspectionUrl, clientId, clientSecret, issuer, audience);
            } catch (IllegalArgumentException e) {
                // The options' own words, without a stack trace at start: "endpoint must be an absolute http...".
                throw new IllegalArgumentException("auth.introspectionUrl: " + e.getMessage(), e);
            }
        }
        checkApiKeys(provider, apiKeys);
    }

    private static void checkApiKeys(String provider, List<ApiKeyConfig> apiKeys) {
        if (APIKEYS.equals(provider) && apiKeys.isEmpty()) {
            throw new IllegalArgumentException("auth.provider is apikeys but auth.apiKeys lists no key; "
                    + ApiKeyConfig.HOW_TO_MAKE);
        }
        if (!apiKeys.isEmpty() && (provider == null || NONE.equals(provider))) {
            throw new IllegalArgumentException("auth.apiKeys lists keys but auth.provider is "
                    + (provider == null ? "unset" : "none") + ", which checks no token; say auth.provider: apikeys "
                    + "(keys only), or oauth2 or introspection to take API keys beside their tokens");
        }
        DuplicateNameException.requireDistinct(apiKeys, ApiKeyConfig::name, "API keys",
                "give each client its own key, " + ApiKeyConfig.HOW_TO_MAKE);
        DuplicateNameException.requireDistinct(apiKeys, ApiKeyConfig::sha256, (first, duplicate) -> "API keys '"
                + first.name() + "' and '" + duplicate.name() + "' have the same sha256, so they are one key; give "
                + "each client its own, " + ApiKeyConfig.HOW_TO_MAKE);
    }

    /** Whether clients must present bearer tokens. */
    public boolean enabled() {
        return OAUTH2.equals(provider) || INTROSPECTION.equals(provider) || APIKEYS.equals(provider);
    }

    /** Whether the configuration says explicitly that nobody is authenticated. */
    public boolean explicitlyNone() {
        return NONE.equals(provider);
    }

    /** The validator of the configured tokens; the caller closes it. Only when {@link #enabled()}. */
    TokenValidator validator() {
        TokenValidator tokens = switch (provider) {
            case OAUTH2 -> TokenValidators.jwt(JwtValidatorOptions.builder().issuer(issuer).audiences(audience)
                    .jwksUri(URI.create(jwksUrl)).build());
            case INTROSPECTION -> TokenValidators.introspection(introspection(introspectionUrl, clientId,
                    clientSecret, issuer, audience));
            default -> null;
        };
        if (apiKeys.isEmpty()) {
            return tokens;
        }
        // Checked in the constructor already (names and hashes distinct), so this does not fail and leak tokens.
        TokenValidator keys = TokenValidators.apiKeys(apiKeys.stream().map(ApiKeyConfig::apiKey).toList());
        return tokens == null ? keys : TokenValidators.either(keys, tokens);
    }

    private static IntrospectionOptions introspection(String url, String clientId, String clientSecret,
                                                      String issuer, String audience) {
        return IntrospectionOptions.builder().endpoint(URI.create(url)).clientCredentials(clientId, clientSecret)
                .issuer(issuer).audiences(audience).build();
    }

    /** The front door's settings for tokens judged by {@code validator}. */
    FrontDoorAuth frontDoorAuth(TokenValidator validator) {
        FrontDoorAuth.Builder builder = FrontDoorAuth.builder(validator).requiredScopes(new LinkedHashSet<>(scopes));
        // API keys come from no authorization server: with them alone the metadata names none.
        if (!APIKEYS.equals(provider)) {
            builder.authorizationServer(URI.create(issuer));
        }
        URI resource = audience == null ? null : resourceUri(audience);
        if (resource != null) {
            builder.resource(resource);
        }
        return builder.build();
    }

    /** The settings with the client secret left out, and the API keys by name: configurations end up in logs. */
    @Override
    public String toString() {
        return "AuthConfig[provider=" + provider + ", issuer=" + issuer + ", audience=" + audience + ", jwksUrl="
                + jwksUrl + ", scopes=" + scopes + ", introspectionUrl=" + introspectionUrl + ", clientId=" + clientId
                + ", clientSecret=" + (clientSecret == null ? null : "(hidden)") + ", apiKeys="
                + apiKeys.stream().map(ApiKeyConfig::name).toList() + "]";
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

    /** Scopes one per entry, from entries that may hold several separated by spaces or commas; without repeats. */
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
