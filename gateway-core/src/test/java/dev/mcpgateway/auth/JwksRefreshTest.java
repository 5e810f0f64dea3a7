package dev.mcpgateway.auth;

import dev.mcpgateway.testing.Tokens;
import dev.mcpgateway.testing.JwksServer;
import static dev.mcpgateway.testing.Tokens.AUDIENCE;
import static dev.mcpgateway.testing.Tokens.ISSUER;
import static dev.mcpgateway.testing.Tokens.assertRefused;
import static dev.mcpgateway.testing.Tokens.claims;
import static dev.mcpgateway.testing.Tokens.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.mcpgateway.auth.InvalidTokenException.ErrorCode;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Stderr;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the keys of a JWKS endpoint are fetched, counted at a real local endpoint: cached, refreshed once for an unknown
 * key id and then rate limited, a rotation picked up without a restart, an outage survived on the keys fetched before.
 */
class JwksRefreshTest {
    private static final RSAKey KEY_1 = Tokens.rsaKey("key-1");
    private static final RSAKey KEY_2 = Tokens.rsaKey("key-2");
    private static final RSAKey UNKNOWN_1 = Tokens.rsaKey("unknown-1");
    private static final RSAKey UNKNOWN_2 = Tokens.rsaKey("unknown-2");

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    private JwksServer serving(RSAKey... keys) throws Exception {
        JwksServer server = new JwksServer(new JWKSet(List.of(keys)));
        opened.add(server);
        return server;
    }

    private TokenValidator validator(JwksServer server) {
        return validator(JwtValidatorOptions.builder().issuer(ISSUER).audiences(AUDIENCE).jwksUri(server.uri()));
    }

    private TokenValidator validator(JwtValidatorOptions.Builder options) {
        TokenValidator validator = TokenValidators.jwt(options.build(), new FakeClock(Tokens.NOW));
        opened.add(validator);
        return validator;
    }

    @Test
    void theJwksIsFetchedOnceAndCached() throws Exception {
        JwksServer server = serving(KEY_1);
        TokenValidator validator = validator(server);
        assertEquals(0, server.fetches(), "nothing is fetched before a token arrives");

        for (int i = 0; i < 5; i++) {
            validator.validate(sign(KEY_1, claims().build()));
        }
        assertEquals(1, server.fetches());
    }

    @Test
    void manyThreadsAtOnceShareOneFetchAndOneRefresh() throws Exception {
        JwksServer server = serving(KEY_1);
        TokenValidator validator = validator(server);
        String valid = sign(KEY_1, claims().build());
        String unknown = sign(UNKNOWN_1, claims().build());
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);

        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Integer>> accepted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                accepted.add(pool.submit(() -> {
                    start.await();
                    int count = 0;
                    for (int i = 0; i < 20; i++) {
                        validator.validate(valid);
                        count++;
                        assertThrows(InvalidTokenException.class, () -> validator.validate(unknown));
                    }
                    return count;
                }));
            }
            for (Future<Integer> result : accepted) {
                assertEquals(20, result.get(30, TimeUnit.SECONDS));
            }
        }
        assertEquals(2, server.fetches(), "one fetch, one refresh for the unknown kid, whatever the concurrency");
    }

    @Test
    void anUnknownKidRefreshesOnceThenIsRefusedAndAnotherWithinTheIntervalFetchesNothing() throws Exception {
        JwksServer server = serving(KEY_1);
        TokenValidator validator = validator(server);
        validator.validate(sign(KEY_1, claims().build()));

        assertRefused(validator, sign(UNKNOWN_1, claims().build()), ErrorCode.INVALID_TOKEN, "signature invalid",
                UNKNOWN_1, KEY_1);
        assertEquals(2, server.fetches(), "one refresh for the unknown kid");

        assertRefused(validator, sign(UNKNOWN_2, claims().build()), ErrorCode.INVALID_TOKEN, "signature invalid",
                UNKNOWN_2, KEY_1);
        assertRefused(validator, sign(UNKNOWN_1, claims().build()), ErrorCode.INVALID_TOKEN, "signature invalid",
                UNKNOWN_1, KEY_1);
        assertEquals(2, server.fetches(), "no refresh within the rate-limit interval");

        validator.validate(sign(KEY_1, claims().build()));
        assertEquals(2, server.fetches(), "known keys stay usable");
    }

    @Test
    void aRotatedKeyIsPickedUpWithoutARestart() throws Exception {
        JwksServer server = serving(KEY_1);
        TokenValidator validator = validator(server);
        validator.validate(sign(KEY_1, claims().build()));

        server.serve(new JWKSet(KEY_2));
        Principal principal = validator.validate(sign(KEY_2, claims().subject("bob").build()));

        assertEquals("bob", principal.subject());
        assertEquals(2, server.fetches());
        // The retired key left the JWKS, so the cache: its tokens are refused now.
        assertRefused(validator, sign(KEY_1, claims().build()), ErrorCode.INVALID_TOKEN, "signature invalid",
                KEY_1, KEY_2);
    }

    @Test
    void whileTheEndpointIsDownCachedKeysStillValidateAndUnknownKidsAreRefusedQuietly() throws Exception {
        JwksServer server = serving(KEY_1);
        TokenValidator validator = validator(server);
        validator.validate(sign(KEY_1, claims().build()));
        server.stop();

        String log = Stderr.of(() -> {
            validator.validate(sign(KEY_1, claims().build()));
            assertRefused(validator, sign(UNKNOWN_1, claims().build()), ErrorCode.INVALID_TOKEN, "signature invalid",
                    UNKNOWN_1, KEY_1);
            validator.validate(sign(KEY_1, claims().build()));
        });

        Stderr.assertNoStackTrace(log);
        assertTrue(log.contains("WARN") && log.contains("unreachable") && log.contains(server.uri().toString()),
                "the outage is logged once, as a warning: " + log);
    }

    @Test
    void withoutKeysEverFetchedATokenCannotBeJudgedAndIsNotLetThrough() throws Exception {
        JwksServer server = serving(KEY_1);
        server.stop();
        TokenValidator validator = validator(server);

        String log = Stderr.of(() -> {
            var unavailable = assertThrows(TokenValidationUnavailableException.class,
                    () -> validator.validate(sign(KEY_1, claims().build())));
            assertFalse(unavailable.getMessage().contains(KEY_1.getKeyID()));
        });

        Stderr.assertNoStackTrace(log);
    }

    @Test
    void aHungEndpointIsGivenUpOnAfterTheReadTimeout() throws Exception {
        JwksServer server = serving(KEY_1);
        CountDownLatch hung = server.hang();
        TokenValidator validator = validator(JwtValidatorOptions.builder().issuer(ISSUER).audiences(AUDIENCE)
                .jwksUri(server.uri()).jwksReadTimeout(Duration.ofMillis(200)));
        try {
            long start = System.nanoTime();
            String log = Stderr.of(() -> assertThrows(TokenValidationUnavailableException.class,
                    () -> validator.validate(sign(KEY_1, claims().build()))));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(waited.compareTo(Duration.ofSeconds(3)) < 0, "waited " + waited);
            assertTrue(log.contains("timed out"), log);
            Stderr.assertNoStackTrace(log);
        } finally {
            hung.countDown();
        }
    }

    @Test
    void aJwksOverTheSizeLimitIsNotUsed() throws Exception {
        List<RSAKey> many = new ArrayList<>(List.of(KEY_1));
        for (int i = 0; i < 4; i++) {
            many.add(Tokens.rsaKey("filler-" + i));
        }
        JwksServer server = serving(many.toArray(RSAKey[]::new));
        TokenValidator validator = validator(JwtValidatorOptions.builder().issuer(ISSUER).audiences(AUDIENCE)
                .jwksUri(server.uri()).jwksSizeLimitBytes(1024));

        String log = Stderr.of(() -> assertThrows(TokenValidationUnavailableException.class,
                () -> validator.validate(sign(KEY_1, claims().build()))));

        Stderr.assertNoStackTrace(log);
    }
}
