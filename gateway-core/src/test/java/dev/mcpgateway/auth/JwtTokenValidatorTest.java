package dev.mcpgateway.auth;

import dev.mcpgateway.testing.Tokens;
import dev.mcpgateway.testing.JwksServer;
import static dev.mcpgateway.testing.Tokens.AUDIENCE;
import static dev.mcpgateway.testing.Tokens.EXPIRES;
import static dev.mcpgateway.testing.Tokens.ISSUER;
import static dev.mcpgateway.testing.Tokens.NOW;
import static dev.mcpgateway.testing.Tokens.assertRefused;
import static dev.mcpgateway.testing.Tokens.claims;
import static dev.mcpgateway.testing.Tokens.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.mcpgateway.auth.InvalidTokenException.ErrorCode;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Stderr;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a JWT validator accepts and refuses, against keys served by a real local JWKS endpoint. */
class JwtTokenValidatorTest {
    private static final RSAKey RSA = Tokens.rsaKey("rsa-1");
    private static final ECKey EC = Tokens.ecKey("ec-1");
    private static JwksServer jwks;

    private final FakeClock clock = new FakeClock(NOW);
    private TokenValidator validator;

    @BeforeAll
    static void startJwks() throws Exception {
        jwks = new JwksServer(new JWKSet(List.of(RSA, EC)));
    }

    @AfterAll
    static void stopJwks() {
        jwks.close();
    }

    @BeforeEach
    void createValidator() {
        validator = validator(options());
    }

    @AfterEach
    void closeValidator() {
        validator.close();
    }

    private static JwtValidatorOptions.Builder options() {
        return JwtValidatorOptions.builder().issuer(ISSUER).audiences(AUDIENCE).jwksUri(jwks.uri());
    }

    private TokenValidator validator(JwtValidatorOptions.Builder options) {
        return TokenValidators.jwt(options.build(), clock);
    }

    @Test
    void aValidRs256TokenGivesItsPrincipal() throws Exception {
        Principal principal = validator.validate(sign(RSA, claims().build()));

        assertEquals("alice", principal.subject());
        assertEquals(ISSUER, principal.issuer());
        assertEquals("inspector", principal.clientId());
        assertEquals(Set.of("tools:list", "tools:call"), principal.scopes());
        assertEquals(Set.of(AUDIENCE), principal.audiences());
        assertEquals(EXPIRES, principal.expiresAt());
        assertEquals(EXPIRES.getEpochSecond(), principal.claims().get("exp"));
        assertEquals("tools:list tools:call", principal.claims().get("scope"));
    }

    @Test
    void aValidEs256TokenWithScpArrayAndAzpGivesItsPrincipal() throws Exception {
        JWTClaimsSet claims = claims().claim("client_id", null).claim("scope", null).claim("azp", "desktop")
                .claim("scp", List.of("tools:call")).audience(List.of("other", AUDIENCE)).build();

        Principal principal = validator.validate(sign(EC, claims));

        assertEquals("desktop", principal.clientId());
        assertEquals(Set.of("tools:call"), principal.scopes());
        assertEquals(Set.of("other", AUDIENCE), principal.audiences());
        assertEquals(List.of("tools:call"), principal.claims().get("scp"));
        assertThrows(UnsupportedOperationException.class, () -> principal.claims().put("sub", "mallory"));
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) principal.claims().get("scp")).clear());
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String unsigned = new PlainJWT(claims().build()).serialize();
        assertRefused(validator, unsigned, ErrorCode.INVALID_TOKEN, "unsigned tokens are not accepted");

        // alg none with the kid of a trusted key and a signature part: still no signature anyone checks.
        String header = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}").toString();
        String[] valid = sign(RSA, claims().build()).split("\\.");
        assertRefused(validator, header + "." + valid[1] + "." + valid[2], ErrorCode.INVALID_TOKEN, "malformed token",
                RSA);
    }

    @Test
    void anHs256TokenSignedWithTheRsaPublicKeyIsRefused() throws Exception {
        // Algorithm confusion: a validator that took the algorithm from the token would verify this HMAC with the
        // public key it trusts, which anyone has, as the secret.
        OctetSequenceKey publicKeyAsSecret = new OctetSequenceKey.Builder(
                RSA.toPublicJWK().toRSAPublicKey().getEncoded()).keyID(RSA.getKeyID()).build();
        String confused = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(RSA.getKeyID()).build(),
                publicKeyAsSecret, claims().build());

        assertRefused(validator, confused, ErrorCode.INVALID_TOKEN, "signature algorithm not accepted", RSA);
    }

    @Test
    void anAlgorithmNotConfiguredIsRefusedEvenWithATrustedKey() {
        String rs384 = sign(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(RSA.getKeyID()).build(), RSA,
                claims().build());

        assertRefused(validator, rs384, ErrorCode.INVALID_TOKEN, "signature algorithm not accepted", RSA);
    }

    @Test
    void anExpiredTokenIsRefusedOnceTheClockSkewHasPassed() throws Exception {
        String token = sign(RSA, claims().build());
        clock.advance(Duration.between(NOW, EXPIRES).plusSeconds(59));
        validator.validate(token);

        clock.advance(Duration.ofSeconds(1));
        assertRefused(validator, token, ErrorCode.INVALID_TOKEN, "token expired", RSA);
    }

    @Test
    void aTokenFoundValidIsTakenAgainUncheckedForAMinuteThenCheckedAgain() throws Exception {
        String token = sign(RSA, claims().build());
        Principal first = validator.validate(token);

        assertSame(first, validator.validate(token), "remembered: the same principal, not checked again");
        clock.advance(Duration.ofSeconds(59));
        assertSame(first, validator.validate(token));
        clock.advance(Duration.ofSeconds(1));
        Principal again = validator.validate(token);
        assertNotSame(first, again, "a minute on, the signature and claims are checked again");
        assertEquals(first.subject(), again.subject());
    }

    @Test
    void aRememberedTokenIsStillRefusedOnceItExpired() throws Exception {
        String token = sign(RSA, claims().expirationTime(Date.from(NOW.plusSeconds(30))).build());
        validator.validate(token);

        clock.advance(Duration.ofSeconds(30 + 60)); // its exp, then the clock skew: before a minute of remembering
        assertRefused(validator, token, ErrorCode.INVALID_TOKEN, "token expired", RSA);
    }

    @Test
    void aTamperedCopyOfARememberedTokenIsRefused() throws Exception {
        String token = sign(RSA, claims().build());
        validator.validate(token);

        assertRefused(validator, withAdminScope(token), ErrorCode.INVALID_TOKEN, "signature invalid", RSA);
    }

    @Test
    void aTokenNotYetValidIsAcceptedWithinTheClockSkewOnly() throws Exception {
        Instant notBefore = NOW.plusSeconds(120);
        String token = sign(RSA, claims().notBeforeTime(Date.from(notBefore)).build());
        assertRefused(validator, token, ErrorCode.INVALID_TOKEN, "token not yet valid", RSA);

        clock.advance(Duration.ofSeconds(60));
        assertRefused(validator, token, ErrorCode.INVALID_TOKEN, "token not yet valid", RSA);
        clock.advance(Duration.ofSeconds(1));
        validator.validate(token);
    }

    @Test
    void aTokenWithoutExpiryIsRefused() {
        assertRefused(validator, sign(RSA, claims().expirationTime(null).build()), ErrorCode.INVALID_TOKEN,
                "token has no expiry", RSA);
    }

    @Test
    void aTokenWithoutSubjectIsRefused() {
        assertRefused(validator, sign(RSA, claims().subject(null).build()), ErrorCode.INVALID_TOKEN,
                "token has no subject", RSA);
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() {
        assertRefused(validator, sign(RSA, claims().issuer("https://evil.example.test/").build()),
                ErrorCode.INVALID_TOKEN, "wrong issuer", RSA);
        assertRefused(validator, sign(RSA, claims().issuer(null).build()), ErrorCode.INVALID_TOKEN, "wrong issuer",
                RSA);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        assertRefused(validator, sign(RSA, claims().audience("https://other.example.test/").build()),
                ErrorCode.INVALID_TOKEN, "wrong audience", RSA);
        assertRefused(validator, sign(RSA, claims().audience((String) null).build()), ErrorCode.INVALID_TOKEN,
                "wrong audience", RSA);
    }

    @Test
    void aTokenLackingARequiredScopeIsRefusedSayingWhichAreRequired() throws Exception {
        try (TokenValidator strict = validator(options().requiredScopes("tools:call", "admin"))) {
            InvalidTokenException refused = assertRefused(strict, sign(RSA, claims().build()),
                    ErrorCode.INSUFFICIENT_SCOPE, "insufficient scope", RSA);
            assertEquals(Set.of("tools:call", "admin"), refused.requiredScopes());

            strict.validate(sign(RSA, claims().claim("scope", "admin tools:call").build()));
        }
    }

    @Test
    void aTamperedPayloadIsRefused() {
        assertRefused(validator, withAdminScope(sign(RSA, claims().build())), ErrorCode.INVALID_TOKEN,
                "signature invalid", RSA);
    }

    /** {@code token} with its payload replaced by one granting {@code admin}, its signature kept. */
    private static String withAdminScope(String token) {
        String[] parts = token.split("\\.");
        String elevated = Base64URL.encode(claims().claim("scope", "admin").build().toString()
                .getBytes(StandardCharsets.UTF_8)).toString();
        return parts[0] + "." + elevated + "." + parts[2];
    }

    @Test
    void aTokenSignedByAnotherKeyUnderATrustedKidIsRefused() {
        RSAKey impostor = Tokens.rsaKey(RSA.getKeyID());

        assertRefused(validator, sign(impostor, claims().build()), ErrorCode.INVALID_TOKEN, "signature invalid",
                RSA, impostor);
    }

    @Test
    void anOversizeTokenIsRefusedUnparsed() {
        String token = sign(RSA, claims().claim("padding", "x".repeat(8 * 1024)).build());

        assertRefused(validator, token, ErrorCode.INVALID_REQUEST, "token too long", RSA);
    }

    @Test
    void anEmptyOrMalformedTokenIsRefused() {
        assertRefused(validator, "", ErrorCode.INVALID_REQUEST, "no bearer token");
        assertRefused(validator, "not-a-jwt", ErrorCode.INVALID_TOKEN, "malformed token");
        String[] parts = sign(RSA, claims().build()).split("\\.");
        String notJson = Base64URL.encode("[1,2]").toString();
        assertRefused(validator, parts[0] + "." + notJson + "." + parts[2], ErrorCode.INVALID_TOKEN,
                "malformed token", RSA);
    }

    @Test
    void theTypeHeaderMayBeAbsentOrAnAccessTokenTypeOnly() throws Exception {
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(RSA.getKeyID());
        validator.validate(sign(header.type(null).build(), RSA, claims().build()));
        validator.validate(sign(header.type(JOSEObjectType.JWT).build(), RSA, claims().build()));
        validator.validate(sign(header.type(new JOSEObjectType("application/AT+JWT")).build(), RSA, claims().build()));

        assertRefused(validator, sign(header.type(new JOSEObjectType("id_token+jwt")).build(), RSA, claims().build()),
                ErrorCode.INVALID_TOKEN, "token type not accepted", RSA);
        try (TokenValidator typed = validator(options().acceptedTypes("at+jwt").typeRequired(true))) {
            assertRefused(typed, sign(header.type(null).build(), RSA, claims().build()), ErrorCode.INVALID_TOKEN,
                    "token type not accepted", RSA);
        }
    }

    @Test
    void configuredPublicKeysNeedNoJwksEndpoint() throws Exception {
        try (TokenValidator configured = validator(options().keys(new JWKSet(EC)))) {
            assertEquals("alice", configured.validate(sign(EC, claims().build())).subject());
            assertRefused(configured, sign(RSA, claims().build()), ErrorCode.INVALID_TOKEN, "signature invalid", RSA);
        }
    }

    @Test
    void configuredSecretKeysValidateTheHmacAlgorithmChosen() throws Exception {
        OctetSequenceKey secret = new OctetSequenceKey.Builder(new byte[32]).keyID("shared").build();
        try (TokenValidator hmac = validator(options().keys(new JWKSet(secret)).algorithms("HS256"))) {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("shared").build();
            assertEquals("alice", hmac.validate(sign(header, secret, claims().build())).subject());
            assertRefused(hmac, sign(RSA, claims().build()), ErrorCode.INVALID_TOKEN,
                    "signature algorithm not accepted", RSA);
        }
    }

    @Test
    void refusalsAreLoggedAtDebugWithTheirReasonButNotTheToken() throws Exception {
        String expired = sign(RSA, claims().expirationTime(Date.from(NOW.minusSeconds(3600))).build());
        String[] parts = sign(RSA, claims().build()).split("\\.");
        String tampered = parts[0] + "." + Base64URL.encode(claims().subject("root").build().toString()) + "."
                + parts[2];
        String forgedKid = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("x\n[main] INFO forged line").build(),
                Tokens.ecKey("attacker"), claims().build());

        String log = Stderr.of(() -> {
            for (String token : List.of(expired, tampered, forgedKid)) {
                assertThrows(InvalidTokenException.class, () -> validator.validate(token));
            }
        });

        List<String> lines = log.lines().toList();
        assertEquals(3, lines.stream().filter(line -> line.contains("bearer token refused")).count(), log);
        assertTrue(lines.stream().anyMatch(line -> line.contains("(EXPIRED): Expired JWT")), log);
        assertTrue(lines.stream().anyMatch(line -> line.contains("(SIGNATURE)")), log);
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("[main] INFO forged")), "no forged line: " + log);
        for (String token : List.of(expired, tampered, forgedKid)) {
            for (String part : token.split("\\.")) {
                assertFalse(log.contains(part), "the log shows a token part: " + log);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPrincipalsClaimsAreImmutableAndMayHoldNulls() {
        var nested = new HashMap<String, Object>();
        nested.put("k", null);
        Principal principal = new Principal("s", "i", null, Set.of(), Set.of(), null, Map.of("n", nested));

        assertNull(((Map<?, ?>) principal.claims().get("n")).get("k"));
        assertThrows(UnsupportedOperationException.class, () -> ((Map<String, Object>) principal.claims().get("n"))
                .put("k", 1));
    }
}
