package dev.mcpgateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpgateway.auth.InvalidTokenException;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.auth.InvalidTokenException.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Keys and tokens made in the tests, and the check that a refusal says what it should and nothing more. */
public final class Tokens {
    public static final String ISSUER = "https://auth.example.test/";
    public static final String AUDIENCE = "https://gateway.example.test/mcp";
    /** The time of {@code new FakeClock()}, when tokens are issued. */
    public static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    public static final Instant EXPIRES = NOW.plusSeconds(600);

    private Tokens() {
    }

    public static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ecKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims a valid token holds: issued now for ten minutes, for this gateway, with two scopes. */
    public static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice").audience(AUDIENCE)
                .issueTime(Date.from(NOW)).expirationTime(Date.from(EXPIRES)).claim("client_id", "inspector")
                .claim("scope", "tools:list tools:call");
    }

    /** A token signed with {@code key} (RS256 for RSA keys, ES256 for EC ones), typ {@code at+jwt}. */
    public static String sign(JWK key, JWTClaimsSet claims) {
        JWSAlgorithm algorithm = key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
        return sign(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(new JOSEObjectType("at+jwt")).build(),
                key, claims);
    }

    public static String sign(JWSHeader header, JWK key, JWTClaimsSet claims) {
        try {
            JWSSigner signer = switch (key) {
                case RSAKey rsa -> new RSASSASigner(rsa);
                case ECKey ec -> new ECDSASigner(ec);
                case OctetSequenceKey secret -> new MACSigner(secret);
                default -> throw new IllegalArgumentException(key.getKeyType().getValue());
            };
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asserts that {@code token} is refused with {@code code} and exactly {@code description}, and that nothing of the
     * token (its parts, its subject, its key id) or of the keys shows in the exception.
     */
    public static InvalidTokenException assertRefused(TokenValidator validator, String token, ErrorCode code,
                                               String description, JWK... keys) {
        InvalidTokenException refused = assertThrows(InvalidTokenException.class, () -> validator.validate(token));
        assertEquals(code, refused.errorCode(), () -> "error code of a token refused as " + refused.description());
        assertEquals(description, refused.description());
        List<String> secrets = new ArrayList<>(List.of("alice"));
        for (String part : token.split("\\.")) {
            if (part.length() >= 8) {
                secrets.add(part);
            }
        }
        for (JWK key : keys) {
            secrets.add(key.getKeyID());
            switch (key) {
                case RSAKey rsa -> secrets.add(rsa.getModulus().toString());
                case ECKey ec -> secrets.add(ec.getX().toString());
                default -> { }
            }
        }
        String shown = refused.toString();
        for (String secret : secrets) {
            assertFalse(shown.contains(secret), () -> "the refusal '" + shown + "' shows " + secret);
        }
        assertNull(refused.getCause());
        assertEquals(0, refused.getStackTrace().length, "an answer, not a failure: no stack trace");
        return refused;
    }
}
