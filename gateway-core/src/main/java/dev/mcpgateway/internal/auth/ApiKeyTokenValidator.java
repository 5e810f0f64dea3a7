package dev.mcpgateway.internal.auth;

import dev.mcpgateway.auth.ApiKey;
import dev.mcpgateway.auth.ApiKeys;
import dev.mcpgateway.auth.InvalidTokenException;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenValidator;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Validates API keys: the presented token is hashed with SHA-256 and looked up among the configured hashes, so the
 * keys themselves are never held. Nothing is fetched and nothing blocks. Thread-safe: the keys are fixed at build.
 */
public final class ApiKeyTokenValidator implements TokenValidator {
    /** The issuer of every API key principal: the gateway itself, not an authorization server. */
    public static final String ISSUER = "urn:mcp-gateway:api-key";
    /** Generated keys are 47 characters; this leaves room for keys made elsewhere, and no more. */
    static final int MAX_KEY_CHARS = 512;

    /** The keys by their hash's bytes as hex: the lookup. */
    private final Map<String, Entry> byHash;
    private final Clock clock;

    private record Entry(ApiKey key, byte[] hash, Principal principal) {
    }

    /**
     * @param keys  the accepted keys, at least one, with distinct names and hashes
     * @param clock the time expiries are judged by
     */
    public ApiKeyTokenValidator(Collection<ApiKey> keys, Clock clock) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("API keys: at least one key, else no token could ever be accepted");
        }
        Map<String, Entry> entries = new HashMap<>();
        Map<String, ApiKey> byName = new LinkedHashMap<>();
        for (ApiKey key : keys) {
            if (byName.putIfAbsent(key.name(), key) != null) {
                throw new IllegalArgumentException("two API keys are named '" + key.name() + "'; names identify the"
                        + " clients, give each key its own");
            }
            if (entries.containsKey(key.sha256())) {
                throw new IllegalArgumentException("API keys '" + entries.get(key.sha256()).key().name() + "' and '"
                        + key.name() + "' have the same sha256, so they are the same key; make one per client");
            }
            entries.put(key.sha256(), new Entry(key, HexFormat.of().parseHex(key.sha256()), principal(key)));
        }
        this.byHash = Map.copyOf(entries);
        this.clock = clock;
    }

    @Override
    public Principal validate(String bearerToken) throws InvalidTokenException {
        Rejection.checkPresentAndShort(bearerToken, MAX_KEY_CHARS);
        String presented = ApiKeys.sha256Hex(bearerToken);
        Entry entry = byHash.get(presented);
        // The map finds the candidate; the constant-time comparison is the decision, as with any secret.
        if (entry == null || !MessageDigest.isEqual(entry.hash(), HexFormat.of().parseHex(presented))) {
            throw Rejection.API_KEY.refuse("no configured API key has this hash");
        }
        if (entry.key().expiredAt(clock.instant())) {
            throw Rejection.API_KEY.refuse("API key '" + entry.key().name() + "' expired at "
                    + entry.key().expiresAt());
        }
        return entry.principal();
    }

    /** The principal of a key, made once: the same for every request with it. */
    private static Principal principal(ApiKey key) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", key.subject());
        claims.put("iss", ISSUER);
        claims.put("client_id", key.name());
        claims.put("scope", String.join(" ", key.scopes().stream().sorted().toList()));
        if (key.expiresAt() != null) {
            claims.put("exp", key.expiresAt().getEpochSecond());
        }
        return new Principal(key.subject(), ISSUER, key.name(), key.scopes(), Set.of(), key.expiresAt(),
                claims);
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    /** The key names only: the hashes stay out of logs. */
    @Override
    public String toString() {
        return "ApiKeyTokenValidator" + byHash.values().stream().map(entry -> entry.key().name()).sorted().toList();
    }
}
