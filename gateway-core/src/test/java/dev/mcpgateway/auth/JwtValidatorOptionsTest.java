package dev.mcpgateway.auth;

import dev.mcpgateway.testing.Tokens;
import static dev.mcpgateway.testing.Tokens.AUDIENCE;
import static dev.mcpgateway.testing.Tokens.ISSUER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The defaults of {@link JwtValidatorOptions}, and the settings refused, each saying what to fix. */
class JwtValidatorOptionsTest {
    private static final RSAKey RSA = Tokens.rsaKey("rsa-1");
    private static final OctetSequenceKey SECRET = new OctetSequenceKey.Builder(new byte[32]).keyID("shared").build();

    private static JwtValidatorOptions.Builder valid() {
        return JwtValidatorOptions.builder().issuer(ISSUER).audiences(AUDIENCE)
                .jwksUri("https://auth.example.test/jwks.json");
    }

    private static String refused(UnaryOperator<JwtValidatorOptions.Builder> change) {
        return assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build()).getMessage();
    }

    @Test
    void theDefaults() {
        JwtValidatorOptions options = valid().build();

        assertEquals(Set.of("RS256", "ES256"), options.algorithms());
        assertEquals(Duration.ofSeconds(60), options.clockSkew());
        assertEquals(Set.of(), options.requiredScopes());
        assertEquals(Duration.ofMinutes(5), options.jwksCacheTtl());
        assertEquals(Duration.ofSeconds(30), options.jwksRefreshMinInterval());
        assertEquals(Duration.ofSeconds(2), options.jwksConnectTimeout());
        assertEquals(Duration.ofSeconds(2), options.jwksReadTimeout());
        assertEquals(256 * 1024, options.jwksSizeLimitBytes());
        assertEquals(8 * 1024, options.maxTokenChars());
        assertEquals(Set.of("JWT", "at+jwt"), options.acceptedTypes());
        assertFalse(options.typeRequired());
        assertEquals(options, options.toBuilder().build());
    }

    @Test
    void issuerAudienceAndExactlyOneKeySourceAreRequired() {
        assertTrue(refused(b -> b.issuer(" ")).startsWith("issuer:"));
        assertTrue(refused(b -> b.audiences()).contains("at least one aud"));
        assertTrue(refused(b -> b.audiences("")).contains("blank"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JwtValidatorOptions.builder().issuer(ISSUER)
                .audiences(AUDIENCE).build()).getMessage().contains("got neither"));
        assertTrue(refused(b -> b.jwksUri("ftp://auth.example.test/jwks")).contains("http or https"));
        assertTrue(refused(b -> b.jwksUri("/jwks.json")).contains("absolute"));
    }

    @Test
    void keysAndJwksUriReplaceEachOther() {
        JwtValidatorOptions configured = valid().keys(new JWKSet(RSA)).build();
        assertNull(configured.jwksUri());
        assertNull(configured.toBuilder().jwksUri("https://auth.example.test/jwks").build().keys());
    }

    @Test
    void ofConfiguredKeyPairsOnlyThePublicPartIsKept() {
        JwtValidatorOptions options = valid().keys(new JWKSet(RSA)).build();

        assertFalse(options.keys().getKeys().getFirst().isPrivate());
    }

    @Test
    void noneAndUnsupportedAlgorithmsAreRefused() {
        assertTrue(refused(b -> b.algorithms("none")).contains("unsigned tokens are never accepted"));
        assertTrue(refused(b -> b.algorithms("EdDSA")).contains("not supported"));
        assertTrue(refused(b -> b.algorithms()).contains("at least one"));
    }

    @Test
    void hmacIsOnlyPossibleWithConfiguredSecretKeysChosenExplicitly() {
        assertTrue(refused(b -> b.algorithms("RS256", "HS256")).contains("HS256 (HMAC) needs configured secret"));
        assertTrue(refused(b -> b.keys(new JWKSet(RSA)).algorithms("HS256")).contains("with public keys"));
        assertTrue(refused(b -> b.keys(new JWKSet(SECRET))).contains("choose them explicitly"));
        assertTrue(refused(b -> b.keys(new JWKSet(SECRET)).algorithms("HS256", "RS256")).contains("got RS256"));
        assertTrue(refused(b -> b.keys(new JWKSet(List.of(SECRET, RSA))).algorithms("HS256"))
                .contains("not both"));

        assertEquals(Set.of("HS256"), valid().keys(new JWKSet(SECRET)).algorithms("HS256").build().algorithms());
    }

    @Test
    void limitsAreChecked() {
        assertTrue(refused(b -> b.clockSkew(Duration.ofMinutes(6))).contains("clockSkew must be between 0 s and 300 s"));
        assertTrue(refused(b -> b.clockSkew(Duration.ofSeconds(-1))).contains("clockSkew"));
        assertTrue(refused(b -> b.requiredScopes("a b")).contains("one scope per entry"));
        assertTrue(refused(b -> b.jwksCacheTtl(Duration.ofSeconds(30))).contains("jwksCacheTtl"));
        assertTrue(refused(b -> b.jwksRefreshMinInterval(Duration.ofMinutes(5))).contains("shorter than jwksCacheTtl"));
        assertTrue(refused(b -> b.jwksReadTimeout(Duration.ofSeconds(11))).contains("jwksReadTimeout"));
        assertTrue(refused(b -> b.jwksConnectTimeout(Duration.ZERO)).contains("jwksConnectTimeout"));
        assertTrue(refused(b -> b.jwksSizeLimitBytes(100)).contains("jwksSizeLimitBytes"));
        assertTrue(refused(b -> b.maxTokenChars(10)).contains("maxTokenChars"));
        assertTrue(refused(b -> b.acceptedTypes().typeRequired(true)).contains("refuse every token"));
    }

    @Test
    void aJwksUriIsAUri() {
        assertEquals(URI.create("http://127.0.0.1:8080/jwks"), valid().jwksUri("http://127.0.0.1:8080/jwks").build()
                .jwksUri());
    }
}
