package dev.mcpgateway.internal.auth;

import dev.mcpgateway.auth.ApiKeys;
import dev.mcpgateway.auth.TokenExchangeOptions;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients' tokens exchanged for one plugin (RFC 8693), cached by the SHA-256 of the client's token (so the cache, a
 * heap dump or a debugger shows no client token) until the exchanged token or the client's expires, whichever comes
 * first; at most {@code maxCachedTokens}, the least recently used going first. Concurrent calls with the same client
 * token share one exchange.
 */
final class ExchangedTokens {
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** An exchanged token is not sent this close to its expiry: the plugin might see it expired. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private final TokenExchangeOptions options;
    private final TokenEndpoint endpoint;
    private final Map<String, String> grant = new LinkedHashMap<>();
    /** By subject-token hash; access-ordered, guarded by itself. */
    private final LinkedHashMap<String, IssuedToken> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, CompletableFuture<IssuedToken>> inFlight = new ConcurrentHashMap<>();

    ExchangedTokens(String plugin, TokenExchangeOptions options, HttpClient http) {
        this.options = options;
        this.endpoint = new TokenEndpoint(plugin, options.client(), options.clock(), http);
        grant.put("grant_type", GRANT_TYPE);
        grant.put("subject_token_type", TokenExchangeOptions.ACCESS_TOKEN_TYPE);
        grant.put("requested_token_type", options.requestedTokenType());
        if (options.audience() != null) {
            grant.put("audience", options.audience());
        }
        if (options.resource() != null) {
            grant.put("resource", options.resource());
        }
        if (!options.scopes().isEmpty()) {
            grant.put("scope", String.join(" ", options.scopes()));
        }
    }

    /**
     * The plugin's token for a client's, exchanging it unless a fresh one is cached.
     *
     * @param subjectExpiry when the client's token expires, or null when unknown
     */
    String token(String subjectToken, Instant subjectExpiry) {
        String key = hash(subjectToken);
        IssuedToken cached = cached(key);
        if (cached != null) {
            return cached.accessToken();
        }
        CompletableFuture<IssuedToken> mine = new CompletableFuture<>();
        CompletableFuture<IssuedToken> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return UpstreamAuthorizer.await(running).accessToken();
        }
        cached = cached(key); // exchanged meanwhile by a call that finished before ours began
        if (cached != null) {
            inFlight.remove(key, mine);
            mine.complete(cached);
            return cached.accessToken();
        }
        Map<String, String> request = new LinkedHashMap<>(grant);
        request.put("subject_token", subjectToken);
        endpoint.request(request, MARGIN).whenComplete((issued, error) -> {
            if (issued != null) {
                store(key, issued.notAfter(subjectExpiry));
            }
            inFlight.remove(key, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(issued);
            }
        });
        return UpstreamAuthorizer.await(mine).accessToken();
    }

    /** The plugin refused {@code token} (401): it is not handed out again. */
    void rejected(String subjectToken, String token) {
        String key = hash(subjectToken);
        synchronized (cache) {
            IssuedToken held = cache.get(key);
            if (held != null && held.accessToken().equals(token)) {
                cache.remove(key);
            }
        }
    }

    /** How many exchanged tokens are cached. */
    int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private IssuedToken cached(String key) {
        Instant now = endpoint.clock().instant();
        synchronized (cache) {
            IssuedToken held = cache.get(key);
            if (held != null && !held.usableAt(now)) {
                cache.remove(key);
                return null;
            }
            return held;
        }
    }

    private void store(String key, IssuedToken issued) {
        if (!issued.usableAt(endpoint.clock().instant())) {
            return; // the client's token expires before it could be used again
        }
        synchronized (cache) {
            cache.put(key, issued);
            while (cache.size() > options.maxCachedTokens()) {
                cache.remove(cache.keySet().iterator().next());
            }
        }
    }

    private static String hash(String token) {
        return ApiKeys.sha256Hex(token);
    }
}
