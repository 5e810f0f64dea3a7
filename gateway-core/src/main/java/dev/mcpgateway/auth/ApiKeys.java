package dev.mcpgateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Makes API keys for {@link ApiKey}: a new random key, and the SHA-256 the gateway keeps instead of it. A key is
 * {@value #PREFIX} followed by 32 random bytes in unpadded base64url: 256 bits, so an unsalted fast hash is enough (no
 * dictionary holds it), and the prefix lets a gateway that also takes JWTs tell the two apart
 * ({@link TokenValidators#either(TokenValidator, TokenValidator)}) and secret scanners find leaked keys.
 */
public final class ApiKeys {
    /** Never used itself, only cloned: a digest is not thread-safe. */
    private static final MessageDigest SHA_256 = newSha256();
    /** What every generated key starts with. */
    public static final String PREFIX = "mgw_";
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** A new key, {@value #PREFIX} and 43 base64url characters; show it once and keep only its {@link #sha256Hex}. */
    public static String generate() {
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The SHA-256 of the key's UTF-8 bytes as 64 lower-case hex digits, what {@link ApiKey#sha256()} holds. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(Objects.requireNonNull(key, "key")));
    }

    /** Whether a bearer token is meant as an API key: it starts with {@value #PREFIX}. */
    public static boolean isApiKey(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    private static byte[] sha256(String key) {
        MessageDigest sha256;
        try {
            // Hashed on every request that carries a key: a clone costs far less than a provider lookup.
            sha256 = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            sha256 = newSha256();
        }
        return sha256.digest(key.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
