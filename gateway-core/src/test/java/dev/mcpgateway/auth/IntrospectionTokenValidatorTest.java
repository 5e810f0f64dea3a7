package dev.mcpgateway.auth;

import dev.mcpgateway.testing.Tokens;
import static dev.mcpgateway.testing.Tokens.AUDIENCE;
import static dev.mcpgateway.testing.Tokens.ISSUER;
import static dev.mcpgateway.testing.Tokens.NOW;
import static dev.mcpgateway.testing.Tokens.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.auth.InvalidTokenException.ErrorCode;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.IntrospectionServer;
import dev.mcpgateway.testing.Stderr;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Opaque tokens judged by a real local RFC 7662 introspection endpoint. */
class IntrospectionTokenValidatorTest {
    private static final String TOKEN = "opaque-token-0123456789";
    private static final String SECRET = "s3cret&more";

    private final FakeClock clock = new FakeClock(NOW);
    private IntrospectionServer server;
    private TokenValidator validator;

    @BeforeEach
    void start() throws Exception {
        server = new IntrospectionServer();
        validator = validator(options());
    }

    @AfterEach
    void stop() {
        validator.close();
        server.close();
    }

    private IntrospectionOptions.Builder options() {
        return IntrospectionOptions.builder().endpoint(server.uri()).clientCredentials("gateway", SECRET)
                .issuer(ISSUER).audiences(AUDIENCE);
    }

    private TokenValidator validator(IntrospectionOptions.Builder options) {
        return TokenValidators.introspection(options.build(), clock);
    }

    /** An active answer for this gateway, expiring in ten minutes, with {@code extra} members appended. */
    private static String active(String extra) {
        return "{\"active\":true,\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"alice\","
                + "\"client_id\":\"inspector\",\"scope\":\"tools:list tools:call\",\"exp\":"
                + NOW.plusSeconds(600).getEpochSecond() + extra + "}";
    }

    @Test
    void anActiveTokenGivesItsPrincipalAndTheGatewayAuthenticatesItself() throws Exception {
        server.answer(TOKEN, active(""));

        Principal principal = validator.validate(TOKEN);

        assertEquals("alice", principal.subject());
        assertEquals(ISSUER, principal.issuer());
        assertEquals("inspector", principal.clientId());
        assertEquals(Set.of("tools:list", "tools:call"), principal.scopes());
        assertEquals(Set.of(AUDIENCE), principal.audiences());
        assertEquals(NOW.plusSeconds(600), principal.expiresAt());
        assertEquals(Boolean.TRUE, principal.claims().get("active"));
        assertEquals("token=" + TOKEN + "&token_type_hint=access_token", server.lastForm());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("gateway:s3cret%26more".getBytes(
                StandardCharsets.UTF_8)), server.lastAuthorization());
    }

    @Test
    void anInactiveOrUnknownTokenIsRefusedAndNotCached() {
        server.answer(TOKEN, "{\"active\":false}");
        assertRefused(validator, TOKEN, ErrorCode.INVALID_TOKEN, "token not active");
        assertRefused(validator, TOKEN, ErrorCode.INVALID_TOKEN, "token not active");
        assertEquals(2, server.calls());

        server.answer(TOKEN, active(",\"active\":\"true\"").replace("{\"active\":true,", "{"));
        assertRefused(validator, TOKEN, ErrorCode.INVALID_TOKEN, "token not active");
        assertRefused(validator, "never-issued-token", ErrorCode.INVALID_TOKEN, "token not active");
    }

    @Test
    void theAnswerIsCheckedLikeAJwt() {
        server.answer("other-issuer", active("").replace(ISSUER, "https://evil.example.test/"));
        server.answer("other-audience", active("").replace(AUDIENCE, "https://other.example.test/"));
        server.answer("no-audience", active("").replace("\"aud\":\"" + AUDIENCE + "\",", ""));
        server.answer("expired", active("").replace(String.valueOf(NOW.plusSeconds(600).getEpochSecond()),
                String.valueOf(NOW.minusSeconds(61).getEpochSecond())));
        server.answer("not-yet", active(",\"nbf\":" + NOW.plusSeconds(61).getEpochSecond()));

        assertRefused(validator, "other-issuer", ErrorCode.INVALID_TOKEN, "wrong issuer");
        assertRefused(validator, "other-audience", ErrorCode.INVALID_TOKEN, "wrong audience");
        assertRefused(validator, "no-audience", ErrorCode.INVALID_TOKEN, "wrong audience");
        assertRefused(validator, "expired", ErrorCode.INVALID_TOKEN, "token expired");
        assertRefused(validator, "not-yet", ErrorCode.INVALID_TOKEN, "token not yet valid");
    }

    @Test
    void withoutIssuerOrSubjectTheConfiguredIssuerAndTheClientStandIn() throws Exception {
        server.answer(TOKEN, active("").replace("\"iss\":\"" + ISSUER + "\",", "").replace("\"sub\":\"alice\",", ""));
        server.answer("nobody", active("").replace("\"sub\":\"alice\",", "").replace("\"client_id\":\"inspector\",",
                ""));

        Principal principal = validator.validate(TOKEN);
        assertEquals(ISSUER, principal.issuer());
        assertEquals("inspector", principal.subject());
        assertRefused(validator, "nobody", ErrorCode.INVALID_TOKEN, "token has no subject");
    }

    @Test
    void aMissingScopeIsInsufficientScope() throws Exception {
        server.answer(TOKEN, active(""));
        try (TokenValidator strict = validator(options().requiredScopes("admin"))) {
            InvalidTokenException refused = assertRefused(strict, TOKEN, ErrorCode.INSUFFICIENT_SCOPE,
                    "insufficient scope");
            assertEquals(Set.of("admin"), refused.requiredScopes());
        }
    }

    @Test
    void aPositiveAnswerIsReusedForTheCacheTtlButNeverPastExpiry() throws Exception {
        server.answer(TOKEN, active(""));
        validator.validate(TOKEN);
        clock.advance(Duration.ofSeconds(59));
        validator.validate(TOKEN);
        assertEquals(1, server.calls());

        clock.advance(Duration.ofSeconds(1));
        validator.validate(TOKEN);
        assertEquals(2, server.calls(), "asked again once the TTL is up");

        server.answer("short", active("").replace(String.valueOf(NOW.plusSeconds(600).getEpochSecond()),
                String.valueOf(clock.instant().plusSeconds(10).getEpochSecond())));
        validator.validate("short");
        clock.advance(Duration.ofSeconds(10));
        server.answer("short", "{\"active\":false}");
        assertRefused(validator, "short", ErrorCode.INVALID_TOKEN, "token not active");
        assertEquals(4, server.calls(), "an answer is not reused past the token's exp");
    }

    @Test
    void theCacheIsBounded() throws Exception {
        try (TokenValidator small = validator(options().cacheMaxEntries(2))) {
            for (String token : new String[] {"token-1", "token-2", "token-3", "token-1"}) {
                server.answer(token, active(""));
                small.validate(token);
            }
            assertEquals(4, server.calls(), "token-1 was the least recently used when token-3 came");
        }
    }

    @Test
    void anOversizeTokenIsRefusedAndNotSent() {
        assertRefused(validator, "x".repeat(8 * 1024 + 1), ErrorCode.INVALID_REQUEST, "token too long");
        assertRefused(validator, " ", ErrorCode.INVALID_REQUEST, "no bearer token");
        assertEquals(0, server.calls());
    }

    @Test
    void anEndpointThatFailsMakesTokensUnjudgeableQuietly() throws Exception {
        server.answer(TOKEN, active(""));
        server.answer("not-json", "<html>maintenance</html>");

        String log = Stderr.of(() -> {
            server.status(500);
            assertUnavailable(TOKEN);
            server.status(200);
            assertUnavailable("not-json");
            server.stop();
            assertUnavailable(TOKEN);
        });

        Stderr.assertNoStackTrace(log);
        assertFalse(log.contains(TOKEN) || log.contains(SECRET), log);
        assertTrue(log.contains("HTTP 500"), log);
    }

    @Test
    void aHungEndpointIsGivenUpOnAfterTheTimeouts() throws Exception {
        server.answer(TOKEN, active(""));
        CountDownLatch hung = server.hang();
        try (TokenValidator impatient = validator(options().connectTimeout(Duration.ofMillis(200))
                .requestTimeout(Duration.ofMillis(200)))) {
            long start = System.nanoTime();
            String log = Stderr.of(() -> assertThrows(TokenValidationUnavailableException.class,
                    () -> impatient.validate(TOKEN)));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(waited.compareTo(Duration.ofSeconds(3)) < 0, "waited " + waited);
            Stderr.assertNoStackTrace(log);
        } finally {
            hung.countDown();
        }
    }

    @Test
    void theClientSecretIsNotShown() {
        assertFalse(options().build().toString().contains(SECRET));
    }

    @Test
    void optionsAreChecked() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options().clientCredentials("gateway", "")
                .build()).getMessage().startsWith("clientSecret"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options().cacheTtl(Duration.ofMinutes(11))
                .build()).getMessage().contains("cacheTtl"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options().endpoint("file:///tmp/x")
                .build()).getMessage().contains("http or https"));
        assertEquals(options().build(), options().build().toBuilder().build());
    }

    private void assertUnavailable(String token) {
        var unavailable = assertThrows(TokenValidationUnavailableException.class, () -> validator.validate(token));
        assertFalse(unavailable.getMessage().contains(token));
    }
}
