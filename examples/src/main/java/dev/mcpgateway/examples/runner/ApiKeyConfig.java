package dev.mcpgateway.examples.runner;

import dev.mcpgateway.auth.ApiKey;
import java.time.Instant;
import java.util.List;

/**
 * One entry of {@code auth.apiKeys}: an API key a machine client may present as its bearer token, kept as the
 * SHA-256 of the key, never the key. {@code mcp-gateway apikey --name NAME} makes a key and prints this entry for it
 * ({@link ApiKeyCommand}).
 *
 * @param name    the key's name, the client id of its requests in logs and audit (required; letters, digits,
 *                {@code . _ -})
 * @param sha256  the SHA-256 of the key as 64 hex digits (required)
 * @param scopes  the scopes the key grants (default none); an entry may hold several separated by spaces
 * @param subject who the key speaks for (default {@code apikey:<name>})
 * @param expires when the key stops working, such as {@code 2027-01-01T00:00:00Z} or {@code 2027-01-01} (midnight
 *                UTC); default never
 */
public record ApiKeyConfig(String name, String sha256, List<String> scopes, String subject, Instant expires) {
    /** How to make a key and its entry, said wherever one is missing or malformed. */
    static final String HOW_TO_MAKE = "make a key and its entry with: mcp-gateway apikey --name NAME";

    public ApiKeyConfig {
        scopes = AuthConfig.split(scopes);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an API key needs a name, the client it is for; " + HOW_TO_MAKE);
        }
        if (sha256 == null || sha256.isBlank()) {
            throw new IllegalArgumentException("API key '" + name + "' needs its sha256; " + HOW_TO_MAKE);
        }
        try {
            sha256 = apiKey(name, sha256, scopes, subject, expires).sha256(); // in lower case, as compared
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + (e.getMessage().contains("sha256")
                    ? "; " + HOW_TO_MAKE : ""), e);
        }
    }

    /** The key as the validator takes it. */
    ApiKey apiKey() {
        return apiKey(name, sha256, scopes, subject, expires);
    }

    private static ApiKey apiKey(String name, String sha256, List<String> scopes, String subject, Instant expires) {
        return ApiKey.builder(name, sha256).scopes(scopes).subject(subject).expiresAt(expires).build();
    }

    /** The entry without its hash: configurations end up in logs. */
    @Override
    public String toString() {
        return "ApiKeyConfig[name=" + name + ", scopes=" + scopes + ", subject=" + subject + ", expires=" + expires
                + "]";
    }
}
