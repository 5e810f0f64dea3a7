package dev.mcpgateway.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The gateway as an OAuth client at an authorization server's token endpoint, where it asks for upstream tokens: the
 * endpoint, the gateway's client there, how the client authenticates (RFC 6749 section 2.3.1), and how long a token
 * request may take. Validated once; {@link ClientCredentialsOptions} and {@link TokenExchangeOptions} hold one, set
 * through their builders.
 *
 * @param endpoint       the token endpoint, absolute http or https (https outside a test: the secret travels)
 * @param clientId       the gateway's client id at the authorization server
 * @param clientSecret   the gateway's client secret; never shown by {@link #toString()}
 * @param authentication how the client authenticates (default {@link ClientAuthentication#CLIENT_SECRET_BASIC})
 * @param requestTimeout how long a token request may take (default 10 s, at most 60 s)
 */
public record TokenEndpointClient(URI endpoint, String clientId, String clientSecret,
                                  ClientAuthentication authentication, Duration requestTimeout) {
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    public TokenEndpointClient {
        if (endpoint == null) {
            throw new IllegalArgumentException("tokenEndpoint is required: the authorization server's token endpoint,"
                    + " e.g. https://auth.example.com/oauth2/token");
        }
        OptionChecks.httpUri("tokenEndpoint", endpoint, "https://auth.example.com/oauth2/token");
        OptionChecks.nonBlank("clientId", clientId, "the gateway's client id at the authorization server");
        OptionChecks.nonBlank("clientSecret", clientSecret, "the gateway's client secret at the authorization server,"
                + " e.g. from an environment variable");
        Objects.requireNonNull(authentication, "clientAuthentication");
        OptionChecks.range("requestTimeout", requestTimeout, Duration.ofMillis(1), MAX_REQUEST_TIMEOUT);
    }

    /** The client with its secret left out: it ends up in logs and error messages. */
    @Override
    public String toString() {
        return "TokenEndpointClient[endpoint=" + endpoint + ", clientId=" + clientId + ", clientSecret=(hidden)"
                + ", authentication=" + authentication.method() + ", requestTimeout=" + requestTimeout + "]";
    }
}
