package dev.mcpgateway.internal.auth;

import dev.mcpgateway.auth.ClientCredentialsOptions;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own token for one plugin, by the client-credentials grant: obtained when first needed, reused until
 * {@code refreshBefore} ahead of its expiry, then replaced by a single request however many calls are waiting (they
 * all get its answer). A failure fails those calls and is not remembered: the next call asks again.
 */
final class ClientCredentialsTokens {
    private static final Logger log = LoggerFactory.getLogger(ClientCredentialsTokens.class);

    private final String plugin;
    private final ClientCredentialsOptions options;
    private final TokenEndpoint endpoint;
    private final Map<String, String> grant = new LinkedHashMap<>();
    private volatile IssuedToken current;
    /** The request under way, or null; guarded by this. */
    private CompletableFuture<IssuedToken> inFlight;

    ClientCredentialsTokens(String plugin, ClientCredentialsOptions options, HttpClient http) {
        this.plugin = plugin;
        this.options = options;
        this.endpoint = new TokenEndpoint(plugin, options.client(), options.clock(), http);
        grant.put("grant_type", "client_credentials");
        if (!options.scopes().isEmpty()) {
            grant.put("scope", String.join(" ", options.scopes()));
        }
        if (options.audience() != null) {
            grant.put("audience", options.audience());
        }
        if (options.resource() != null) {
            grant.put("resource", options.resource());
        }
    }

    /** The token to send now, waiting for a new one when there is none fresh enough. */
    String token() {
        IssuedToken token = current;
        if (token != null && token.usableAt(options.clock().instant())) {
            return token.accessToken();
        }
        return UpstreamAuthorizer.await(refresh()).accessToken();
    }

    /** The fresh token, or the request for one that every caller arriving meanwhile shares. */
    synchronized CompletableFuture<IssuedToken> refresh() {
        IssuedToken token = current;
        if (token != null && token.usableAt(options.clock().instant())) {
            return CompletableFuture.completedFuture(token);
        }
        if (inFlight != null) {
            return inFlight;
        }
        CompletableFuture<IssuedToken> request = endpoint.request(grant, options.refreshBefore());
        inFlight = request;
        request.whenComplete((issued, error) -> settled(request, issued));
        return request;
    }

    private synchronized void settled(CompletableFuture<IssuedToken> request, IssuedToken issued) {
        if (inFlight == request) {
            inFlight = null;
        }
        if (issued != null) {
            current = issued;
            log.debug("{}: obtained an access token from {}, used until {}", plugin, options.client().endpoint(),
                    issued.renewAt());
        }
    }

    /** The plugin refused {@code token} (401): it is not handed out again. */
    synchronized void rejected(String token) {
        IssuedToken held = current;
        if (held != null && held.accessToken().equals(token)) {
            current = null;
        }
    }
}
