package dev.mcpgateway.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;

/**
 * What the builders of {@link ClientCredentialsOptions} and {@link TokenExchangeOptions} share: the gateway's
 * {@link TokenEndpointClient} and what a token request asks for ({@code scope}, {@code audience}, {@code resource}),
 * plus the clock for expiry. The options' records validate it all once, in {@code build()}.
 *
 * @param <B> the concrete builder, returned by every setter so that calls chain
 */
abstract class TokenRequestBuilder<B extends TokenRequestBuilder<B>> {
    private URI tokenEndpoint;
    private String clientId;
    private String clientSecret;
    private ClientAuthentication clientAuthentication = ClientAuthentication.CLIENT_SECRET_BASIC;
    private Duration requestTimeout = TokenEndpointClient.DEFAULT_REQUEST_TIMEOUT;
    // What the subclasses' build() passes on as it is; the client's parts go through endpointClient().
    Set<String> scopes = Set.of();
    String audience;
    String resource;
    Clock clock = Clock.systemUTC();

    TokenRequestBuilder() {
    }

    /** The token endpoint. */
    public B tokenEndpoint(URI endpoint) {
        this.tokenEndpoint = endpoint;
        return self();
    }

    /** The token endpoint. */
    public B tokenEndpoint(String endpoint) {
        return tokenEndpoint(URI.create(endpoint));
    }

    /** The gateway's client id and secret at the authorization server. */
    public B client(String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        return self();
    }

    /** How the client authenticates to the token endpoint. */
    public B clientAuthentication(ClientAuthentication method) {
        this.clientAuthentication = method;
        return self();
    }

    /** How long a token request may take. */
    public B requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return self();
    }

    /** The scopes to ask for. */
    public B scopes(String... scopes) {
        return scopes(Arrays.asList(scopes));
    }

    /** The scopes to ask for. */
    public B scopes(Collection<String> scopes) {
        this.scopes = OptionChecks.copy(scopes);
        return self();
    }

    /** The {@code audience} parameter naming the plugin, or null. */
    public B audience(String audience) {
        this.audience = audience;
        return self();
    }

    /** The plugin's RFC 8707 {@code resource} URI, or null. */
    public B resource(String resource) {
        this.resource = resource;
        return self();
    }

    /** The clock for expiry (tests pass a fake one). */
    public B clock(Clock clock) {
        this.clock = clock;
        return self();
    }

    /** The token endpoint client set so far; fails with what to fix if a value is invalid. */
    TokenEndpointClient endpointClient() {
        return new TokenEndpointClient(tokenEndpoint, clientId, clientSecret, clientAuthentication, requestTimeout);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
