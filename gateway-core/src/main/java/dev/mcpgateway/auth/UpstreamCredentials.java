package dev.mcpgateway.auth;

import java.util.Objects;

/**
 * What a plugin's HTTP requests carry as {@code Authorization: Bearer ...}, on top of its static headers: nothing, a
 * token the gateway obtains for itself with the client-credentials grant, or the client's token exchanged (RFC 8693)
 * for one issued to that plugin. The client's own token is never sent to a plugin in any case: a token issued for
 * the gateway must not work anywhere else, and a plugin holding it could replay it against the gateway.
 *
 * <p>Set per plugin on {@code TransportSpec.Http}; a static {@code Authorization} header together with credentials
 * other than {@link #none()} is refused, since only one of them could be sent.
 */
public sealed interface UpstreamCredentials
        permits UpstreamCredentials.None, UpstreamCredentials.ClientCredentials, UpstreamCredentials.TokenExchange {

    /** No token: the plugin gets its static headers only. */
    static UpstreamCredentials none() {
        return None.INSTANCE;
    }

    /** A token the gateway obtains with the client-credentials grant, reused until shortly before it expires. */
    static UpstreamCredentials clientCredentials(ClientCredentialsOptions options) {
        return new ClientCredentials(options);
    }

    /** The calling client's token exchanged for one whose audience is the plugin. */
    static UpstreamCredentials tokenExchange(TokenExchangeOptions options) {
        return new TokenExchange(options);
    }

    /** The kind's name in configuration: {@code none}, {@code client_credentials} or {@code token_exchange}. */
    String type();

    /** No upstream token. */
    record None() implements UpstreamCredentials {
        private static final None INSTANCE = new None();

        @Override
        public String type() {
            return "none";
        }
    }

    /**
     * The client-credentials grant (RFC 6749 section 4.4).
     *
     * @param options the token endpoint, the gateway's client and what to ask for
     */
    record ClientCredentials(ClientCredentialsOptions options) implements UpstreamCredentials {
        public ClientCredentials {
            Objects.requireNonNull(options, "options");
        }

        @Override
        public String type() {
            return "client_credentials";
        }
    }

    /**
     * OAuth 2.0 token exchange (RFC 8693) of the client's token.
     *
     * @param options the token endpoint, the gateway's client and the plugin's audience or resource
     */
    record TokenExchange(TokenExchangeOptions options) implements UpstreamCredentials {
        public TokenExchange {
            Objects.requireNonNull(options, "options");
        }

        @Override
        public String type() {
            return "token_exchange";
        }
    }
}
