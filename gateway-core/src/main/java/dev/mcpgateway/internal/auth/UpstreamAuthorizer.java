package dev.mcpgateway.internal.auth;

import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.UpstreamCredentials;
import dev.mcpgateway.internal.logging.RateLimitedLog;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token each request to one plugin carries, from the plugin's {@link UpstreamCredentials}: none, the
 * gateway's client-credentials token, or the calling client's token exchanged. One per plugin instance, kept across
 * reconnections so tokens outlive a channel. Thread-safe; {@link #token} may block while a token is obtained, so call
 * it on a thread that may wait (the HTTP transport's virtual threads).
 */
public final class UpstreamAuthorizer {
    private static final Logger log = LoggerFactory.getLogger(UpstreamAuthorizer.class);

    private final String plugin;
    private final ClientCredentialsTokens own;
    private final ExchangedTokens exchanged;
    /**
     * Why requests could not get a token: clients are told only that the plugin is unreachable (with an error id),
     * so the operator must find the token endpoint's answer here; bounded, as every call fails while it is down.
     */
    private final RateLimitedLog failures;

    private UpstreamAuthorizer(String plugin, ClientCredentialsTokens own, ExchangedTokens exchanged) {
        this.plugin = plugin;
        this.own = own;
        this.exchanged = exchanged;
        this.failures = RateLimitedLog.warnings(log, plugin);
    }

    /**
     * The authorizer for a plugin's credentials.
     *
     * @param plugin how messages name the plugin, e.g. {@code plugin 'files'}
     * @param http   the client that reaches the token endpoint
     */
    public static UpstreamAuthorizer of(String plugin, UpstreamCredentials credentials, HttpClient http) {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(credentials, "credentials");
        return switch (credentials) {
            case UpstreamCredentials.None none -> new UpstreamAuthorizer(plugin, null, null);
            case UpstreamCredentials.ClientCredentials cc ->
                    new UpstreamAuthorizer(plugin, new ClientCredentialsTokens(plugin, cc.options(), http), null);
            case UpstreamCredentials.TokenExchange te -> new UpstreamAuthorizer(plugin,
                    te.options().forGatewayRequests() instanceof UpstreamCredentials.ClientCredentials cc
                            ? new ClientCredentialsTokens(plugin, cc.options(), http) : null,
                    new ExchangedTokens(plugin, te.options(), http));
        };
    }

    /** Whether requests ever carry a token from here (else the plugin's static headers are all there is). */
    public boolean sendsTokens() {
        return own != null || exchanged != null;
    }

    /**
     * The token a request made for {@code onBehalfOf} carries, or null for none.
     *
     * @param onBehalfOf the client the call is made for, or null for a request the gateway makes on its own
     * @throws UpstreamTokenException when no token could be had; the request must not be sent
     */
    public String token(Authenticated onBehalfOf) {
        try {
            return tokenFor(onBehalfOf);
        } catch (UpstreamTokenException e) {
            String why = String.valueOf(e.getMessage());
            failures.log("Request not sent: {}", why.startsWith(plugin) ? why : plugin + ": " + why);
            throw e;
        }
    }

    private String tokenFor(Authenticated onBehalfOf) {
        if (exchanged == null || onBehalfOf == null) {
            return own == null ? null : own.token();
        }
        String subject = onBehalfOf.bearerToken();
        if (subject == null || subject.isBlank()) {
            throw new UpstreamTokenException(plugin + " uses token exchange and needs the client's token; this call"
                    + " has none (does the front door authenticate clients?)");
        }
        Principal principal = onBehalfOf.principal();
        return exchanged.token(subject, principal == null ? null : principal.expiresAt());
    }

    /** The plugin answered 401 to a request carrying {@code token}: it is dropped, so the next ask gets a new one. */
    public void rejected(Authenticated onBehalfOf, String token) {
        if (token == null) {
            return;
        }
        if (exchanged != null && onBehalfOf != null && onBehalfOf.bearerToken() != null) {
            exchanged.rejected(onBehalfOf.bearerToken(), token);
        } else if (own != null) {
            own.rejected(token);
        }
    }

    /** How many exchanged tokens are cached (for tests and metrics). */
    public int cachedExchanges() {
        return exchanged == null ? 0 : exchanged.size();
    }

    @Override
    public String toString() {
        return "UpstreamAuthorizer[" + plugin + (exchanged != null ? ", token exchange" : own != null
                ? ", client credentials" : ", none") + "]";
    }

    /** Waits for a token request; its failure comes out as the {@link UpstreamTokenException} it is. */
    static IssuedToken await(CompletableFuture<IssuedToken> request) {
        try {
            return request.get();
        } catch (ExecutionException e) {
            throw asTokenFailure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamTokenException("interrupted while waiting for an access token");
        }
    }

    private static RuntimeException asTokenFailure(Throwable cause) {
        Throwable inner = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        return inner instanceof UpstreamTokenException token ? token
                : new UpstreamTokenException("could not get an access token: " + Failures.describe(inner));
    }
}
