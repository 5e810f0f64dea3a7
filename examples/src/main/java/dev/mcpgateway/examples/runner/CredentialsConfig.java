package dev.mcpgateway.examples.runner;

import dev.mcpgateway.auth.ClientAuthentication;
import dev.mcpgateway.auth.ClientCredentialsOptions;
import dev.mcpgateway.auth.TokenExchangeOptions;
import dev.mcpgateway.auth.UpstreamCredentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP plugin's {@code credentials:}: the bearer token its requests carry, obtained by the gateway
 * ({@code client_credentials}) or exchanged for the calling client's token ({@code token_exchange}, RFC 8693); see
 * {@link UpstreamCredentials}. The client's own token is never forwarded. The secret belongs in the environment:
 * {@code clientSecret: ${FILES_CLIENT_SECRET}}.
 *
 * @param type                 {@code client_credentials} or {@code token_exchange} (required)
 * @param tokenUrl             the authorization server's token endpoint (required)
 * @param clientId             the gateway's client id there (required)
 * @param clientSecret         its secret (required); never shown by {@link #toString()}
 * @param clientAuthentication {@code client_secret_basic} (default) or {@code client_secret_post}
 * @param scopes               the scopes to ask for; an entry may hold several separated by spaces
 * @param audience             the {@code audience} naming the plugin (token_exchange: this or resource is required)
 * @param resource             the plugin's URI as RFC 8707 {@code resource}
 * @param refreshBefore        client_credentials: how long before expiry a token is replaced (default 30 s)
 * @param maxCachedTokens      token_exchange: the most exchanged tokens kept (default 10,000)
 * @param forGatewayRequests   token_exchange: what the gateway's own requests (handshake, listing, health probes)
 *                             carry: {@code none} (default) or {@code client_credentials} with the same client, audience
 *                             and resource
 */
public record CredentialsConfig(String type, String tokenUrl, String clientId, String clientSecret,
                                String clientAuthentication, List<String> scopes, String audience, String resource,
                                Duration refreshBefore, Integer maxCachedTokens, String forGatewayRequests) {
    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String TOKEN_EXCHANGE = "token_exchange";

    public CredentialsConfig {
        type = type == null ? null : type.strip().toLowerCase(Locale.ROOT);
        if (!CLIENT_CREDENTIALS.equals(type) && !TOKEN_EXCHANGE.equals(type)) {
            throw new IllegalArgumentException("credentials.type must be client_credentials or token_exchange, got "
                    + (type == null ? "none" : "'" + type + "'"));
        }
        scopes = scopes == null ? List.of() : AuthConfig.split(scopes);
        forGatewayRequests = forGatewayRequests == null ? "none" : forGatewayRequests.strip().toLowerCase(Locale.ROOT);
        if (!"none".equals(forGatewayRequests) && !CLIENT_CREDENTIALS.equals(forGatewayRequests)) {
            throw new IllegalArgumentException("credentials.forGatewayRequests must be none or client_credentials, got '"
                    + forGatewayRequests + "'");
        }
        if (CLIENT_CREDENTIALS.equals(type) && (maxCachedTokens != null || !"none".equals(forGatewayRequests))) {
            throw new IllegalArgumentException("credentials.maxCachedTokens and forGatewayRequests are for"
                    + " type token_exchange only");
        }
        if (TOKEN_EXCHANGE.equals(type) && refreshBefore != null && "none".equals(forGatewayRequests)) {
            throw new IllegalArgumentException("credentials.refreshBefore is for client-credentials tokens: type"
                    + " client_credentials, or forGatewayRequests: client_credentials");
        }
        credentials(type, tokenUrl, clientId, clientSecret, clientAuthentication, scopes, audience, resource,
                refreshBefore, maxCachedTokens, forGatewayRequests); // validated once, with the library's messages
    }

    /** The credentials these settings describe. */
    public UpstreamCredentials credentials() {
        return credentials(type, tokenUrl, clientId, clientSecret, clientAuthentication, scopes, audience, resource,
                refreshBefore, maxCachedTokens, forGatewayRequests);
    }

    private static UpstreamCredentials credentials(String type, String tokenUrl, String clientId, String clientSecret,
                                                   String clientAuthentication, List<String> scopes, String audience,
                                                   String resource, Duration refreshBefore, Integer maxCachedTokens,
                                                   String forGatewayRequests) {
        URI endpoint = tokenUrl(tokenUrl);
        try {
            ClientAuthentication method = clientAuthentication == null ? ClientAuthentication.CLIENT_SECRET_BASIC
                    : ClientAuthentication.of(clientAuthentication);
            ClientCredentialsOptions.Builder own = ClientCredentialsOptions.builder().tokenEndpoint(endpoint)
                    .client(clientId, clientSecret).clientAuthentication(method).audience(audience).resource(resource);
            if (refreshBefore != null) {
                own.refreshBefore(refreshBefore);
            }
            if (CLIENT_CREDENTIALS.equals(type)) {
                return UpstreamCredentials.clientCredentials(own.scopes(scopes).build());
            }
            TokenExchangeOptions.Builder exchange = TokenExchangeOptions.builder().tokenEndpoint(endpoint)
                    .client(clientId, clientSecret).clientAuthentication(method).audience(audience).resource(resource)
                    .scopes(scopes).forGatewayRequests(CLIENT_CREDENTIALS.equals(forGatewayRequests)
                            ? UpstreamCredentials.clientCredentials(own.build()) : UpstreamCredentials.none());
            if (maxCachedTokens != null) {
                exchange.maxCachedTokens(maxCachedTokens);
            }
            return UpstreamCredentials.tokenExchange(exchange.build());
        } catch (IllegalArgumentException e) {
            // The library names the endpoint as its option does; the file calls it tokenUrl.
            throw new IllegalArgumentException("credentials." + e.getMessage().replace("tokenEndpoint", "tokenUrl"), e);
        }
    }

    private static URI tokenUrl(String tokenUrl) {
        if (tokenUrl == null || tokenUrl.isBlank()) {
            throw new IllegalArgumentException("credentials.tokenUrl is required: the authorization server's token"
                    + " endpoint, e.g. https://auth.example.com/oauth2/token");
        }
        try {
            return new URI(tokenUrl.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("credentials.tokenUrl '" + tokenUrl + "' is not a URI, e.g."
                    + " https://auth.example.com/oauth2/token");
        }
    }

    @Override
    public String toString() {
        // The secret comes from the environment and must not leave it through a log line.
        return "CredentialsConfig[type=" + type + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId
                + ", clientSecret=(hidden), clientAuthentication=" + clientAuthentication + ", scopes=" + scopes
                + ", audience=" + audience + ", resource=" + resource + ", refreshBefore=" + refreshBefore
                + ", maxCachedTokens=" + maxCachedTokens + ", forGatewayRequests=" + forGatewayRequests + "]";
    }
}
