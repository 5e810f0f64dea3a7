package dev.mcpgateway.internal.auth;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.mcpgateway.auth.JwtValidatorOptions;
import dev.mcpgateway.internal.logging.RateLimitedLog;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Where the keys that verify token signatures come from: the configured ones, or a JWKS endpoint behind nimbus's
 * {@link JWKSourceBuilder} stack (cache, refresh ahead of expiry, rate limit on refreshes for unknown key ids, outage
 * tolerance), each layer configured from {@link JwtValidatorOptions}.
 */
final class KeySources {
    private static final Logger log = LoggerFactory.getLogger(KeySources.class);
    /** How long before the cache expires a background refresh starts (nimbus's default). */
    static final Duration REFRESH_AHEAD = Duration.ofSeconds(30);
    /** How many cache lifetimes the keys fetched before stay in use while the endpoint is down (nimbus's default). */
    static final int OUTAGE_TOLERANCE_TTLS = 10;

    private KeySources() {
    }

    /** The configured keys, or a caching source of the JWKS at {@code options.jwksUri()}. */
    static JWKSource<SecurityContext> of(JwtValidatorOptions options) {
        return options.keys() != null ? new ImmutableJWKSet<>(options.keys()) : remote(options);
    }

    private static JWKSource<SecurityContext> remote(JwtValidatorOptions options) {
        URI uri = options.jwksUri();
        var retriever = new DefaultResourceRetriever(millis(options.jwksConnectTimeout()),
                millis(options.jwksReadTimeout()), options.jwksSizeLimitBytes());
        // Threads waiting for another's refresh wait as long as that refresh can take, not nimbus's 15 s.
        long refreshTimeoutMillis = options.jwksConnectTimeout().plus(options.jwksReadTimeout()).toMillis();
        long ttlMillis = options.jwksCacheTtl().toMillis();
        // The options keep the TTL at least 1 min and the timeouts at most 10 s each, so refresh ahead (30 s) plus
        // the refresh timeout fit in one lifetime, as nimbus requires.
        RateLimitedLog outages = new RateLimitedLog(log, Level.WARN, "JWKS " + uri, 1, Duration.ofMinutes(1),
                System::nanoTime);
        try {
            return JWKSourceBuilder.<SecurityContext>create(uri.toURL(), retriever)
                    .cache(ttlMillis, refreshTimeoutMillis)
                    .refreshAheadCache(REFRESH_AHEAD.toMillis(), null, refreshExecutor(), true, null, false)
                    .rateLimited(options.jwksRefreshMinInterval().toMillis(),
                            event -> log.debug("JWKS {}: refresh for an unknown key id skipped, one was made less"
                                    + " than {} s ago", uri, options.jwksRefreshMinInterval().toSeconds()))
                    .outageTolerant(ttlMillis * OUTAGE_TOLERANCE_TTLS, event -> outages.log(
                            "JWKS {} unreachable ({}); using the keys fetched before for up to {} s more", uri,
                            Failures.describe(((OutageTolerantJWKSetSource.OutageEvent<?>) event).getException()),
                            ((OutageTolerantJWKSetSource.OutageEvent<?>) event).getRemainingTime() / 1000))
                    .build();
        } catch (MalformedURLException e) {
            // The options accept only absolute http(s) URIs, which always make a URL.
            throw new IllegalArgumentException("jwksUri " + uri + " is not a URL", e);
        }
    }

    /** Nimbus would start a non-daemon thread, keeping a JVM alive that forgot to close the validator. */
    private static ExecutorService refreshExecutor() {
        return Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("mcp-gateway-jwks-refresh")
                .factory());
    }

    private static int millis(Duration duration) {
        return Math.toIntExact(duration.toMillis());
    }
}
