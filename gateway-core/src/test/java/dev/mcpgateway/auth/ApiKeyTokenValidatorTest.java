package dev.mcpgateway.auth;

import static dev.mcpgateway.testing.Tokens.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.auth.InvalidTokenException.ErrorCode;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Stderr;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** API keys hashed at rest: generating them, judging them, and API keys beside another validator. */
class ApiKeyTokenValidatorTest {
    private static final String KEY = ApiKeys.generate();
    private static final String OTHER_KEY = ApiKeys.generate();

    private final FakeClock clock = new FakeClock(NOW);

    @Test
    void generatedKeysAreRandomPrefixedAndHashedAsSha256Hex() {
        assertTrue(KEY.matches("mgw_[A-Za-z0-9_-]{43}"), KEY);
        assertNotEquals(KEY, OTHER_KEY);
        // The SHA-256 of "abc" (FIPS 180-2 example).
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeys.sha256Hex("abc"));
        assertTrue(ApiKeys.sha256Hex(KEY).matches("[0-9a-f]{64}"));
        assertTrue(ApiKeys.isApiKey(KEY));
        assertFalse(ApiKeys.isApiKey("eyJhbGciOi.x.y"));
    }

    @Test
    void aKnownKeyGivesItsPrincipal() throws Exception {
        ApiKey ci = ApiKey.builder("ci", ApiKeys.sha256Hex(KEY)).scopes("gateway:read", "tools:invoke")
                .expiresAt(NOW.plus(Duration.ofDays(1))).build();
        ApiKey ops = ApiKey.builder("ops", ApiKeys.sha256Hex(OTHER_KEY).toUpperCase(Locale.ROOT))
                .subject("team-ops").build();
        try (TokenValidator validator = TokenValidators.apiKeys(List.of(ci, ops), clock)) {
            Principal principal = validator.validate(KEY);
            assertEquals("apikey:ci", principal.subject());
            assertEquals("urn:mcp-gateway:api-key", principal.issuer());
            assertEquals("ci", principal.clientId());
            assertEquals(Set.of("gateway:read", "tools:invoke"), principal.scopes());
            assertEquals(Set.of(), principal.audiences());
            assertEquals(NOW.plus(Duration.ofDays(1)), principal.expiresAt());
            assertEquals("gateway:read tools:invoke", principal.claims().get("scope"));

            Principal operator = validator.validate(OTHER_KEY);
            assertEquals("team-ops", operator.subject(), "an upper-case hash is the same hash");
            assertEquals(Set.of(), operator.scopes());
        }
    }

    @Test
    void unknownExpiredAndMisspelledKeysAreRefusedAlikeWithoutALeak() throws Exception {
        ApiKey ci = ApiKey.builder("ci", ApiKeys.sha256Hex(KEY)).expiresAt(NOW.plusSeconds(60)).build();
        try (TokenValidator validator = TokenValidators.apiKeys(List.of(ci), clock)) {
            String log = Stderr.of(() -> {
                assertRefused(validator, OTHER_KEY);
                assertRefused(validator, KEY.toUpperCase(Locale.ROOT));
                assertRefused(validator, ci.sha256()); // the hash from the configuration is not the key
                clock.advance(Duration.ofSeconds(60));
                assertRefused(validator, KEY);
            });
            assertFalse(log.contains(KEY) || log.contains(OTHER_KEY) || log.contains(ci.sha256()), log);
            assertTrue(log.contains("API key 'ci' expired"), "the operator learns why, from the log: " + log);
            Stderr.assertNoStackTrace(log);
            InvalidTokenException missing = assertThrows(InvalidTokenException.class, () -> validator.validate(" "));
            assertEquals(ErrorCode.INVALID_REQUEST, missing.errorCode());
        }
    }

    private static void assertRefused(TokenValidator validator, String token) {
        InvalidTokenException refused = assertThrows(InvalidTokenException.class, () -> validator.validate(token));
        assertEquals(ErrorCode.INVALID_TOKEN, refused.errorCode());
        assertEquals("api key not accepted", refused.description(), "one answer for unknown and expired keys");
    }

    @Test
    void neitherTheKeysNorTheirHashesAppearInToString() {
        ApiKey ci = ApiKey.builder("ci", ApiKeys.sha256Hex(KEY)).scopes("gateway:read").build();
        TokenValidator validator = TokenValidators.apiKeys(List.of(ci), clock);
        for (String text : List.of(ci.toString(), validator.toString(),
                TokenValidators.either(validator, new Recording()).toString())) {
            assertFalse(text.contains(ci.sha256()) || text.contains(KEY), text);
            assertTrue(text.contains("ci"), text);
        }
    }

    @Test
    void badKeysAreRefusedAtBuild() {
        String hash = ApiKeys.sha256Hex(KEY);
        assertMessage("an API key's name is 1 to 64 letters", () -> ApiKey.builder("c i", hash).build());
        IllegalArgumentException pasted = assertThrows(IllegalArgumentException.class,
                () -> ApiKey.builder("ci", KEY).build());
        assertTrue(pasted.getMessage().startsWith("the sha256 of API key 'ci' must be 64 hex digits"));
        assertTrue(pasted.getMessage().contains("look like the key itself"), pasted.getMessage());
        assertFalse(pasted.getMessage().contains(KEY), "the pasted key is not repeated");
        assertMessage("the sha256 of API key 'ci' must be 64 hex digits", () -> ApiKey.builder("ci",
                hash.substring(1) + "g").build());
        assertMessage("the scopes of API key 'ci': one scope per entry", () -> ApiKey.builder("ci", hash)
                .scopes("a b").build());
        ApiKey ci = ApiKey.builder("ci", hash).build();
        assertMessage("API keys: at least one key", () -> TokenValidators.apiKeys(List.of()));
        assertMessage("two API keys are named 'ci'", () -> TokenValidators.apiKeys(List.of(ci,
                ApiKey.builder("ci", ApiKeys.sha256Hex(OTHER_KEY)).build())));
        assertMessage("API keys 'ci' and 'ci2' have the same sha256", () -> TokenValidators.apiKeys(List.of(ci,
                ApiKey.builder("ci2", hash).build())));
    }

    @Test
    void eitherSendsPrefixedTokensToTheKeysAndTheRestToTheOther() throws Exception {
        Recording other = new Recording();
        TokenValidator keys = TokenValidators.apiKeys(List.of(ApiKey.builder("ci", ApiKeys.sha256Hex(KEY)).build()),
                clock);
        TokenValidator either = TokenValidators.either(keys, other);

        assertEquals("apikey:ci", either.validate(KEY).subject());
        assertEquals(List.of(), other.seen);
        assertSame(Recording.PRINCIPAL, either.validate("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
        assertEquals(List.of("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), other.seen);
        assertThrows(InvalidTokenException.class, () -> either.validate(OTHER_KEY));
        assertEquals(1, other.seen.size(), "an unknown API key is not passed on to the other validator");

        either.close();
        assertTrue(other.closed.get());
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, build);
        assertTrue(refused.getMessage().startsWith(start), refused.getMessage());
    }

    /** A validator that accepts every token it is given, remembering them. */
    private static final class Recording implements TokenValidator {
        static final Principal PRINCIPAL = new Principal("alice", "https://issuer.example/", null, Set.of(), Set.of(),
                null, Map.of());
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public Principal validate(String bearerToken) {
            seen.add(bearerToken);
            return PRINCIPAL;
        }

        @Override
        public void close() {
            closed.set(true);
        }

        @Override
        public String toString() {
            return "Recording";
        }
    }
}
