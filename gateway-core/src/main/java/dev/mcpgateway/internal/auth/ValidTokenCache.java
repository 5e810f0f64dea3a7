package dev.mcpgateway.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What was learnt of tokens found valid (by introspection, or by a JWT's signature and claims: a principal, and what it
 * takes to trust it again), reused until their time is up, the least recently used going first once the cache is full. Keyed by the SHA-256 of the token, so the cache
 * holds no token: a heap dump of the gateway shows none. Thread-safe (one lock: a lookup is a hash and a map access,
 * far cheaper than the introspection call or the signature check it saves).
 */
final class ValidTokenCache<T> {
    private record Cached<T>(T value, Instant until) {
    }

    private final int maxEntries;
    // Guarded by this. Access order: get() moves an entry to the end, the eldest is the least recently used.
    private final LinkedHashMap<String, Cached<T>> entries;

    ValidTokenCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached<T>> eldest) {
                return size() > ValidTokenCache.this.maxEntries;
            }
        };
    }

    /** What is cached for {@code token}, or null when nothing is, or its time is up at {@code now}. */
    synchronized T get(String token, Instant now) {
        String key = key(token);
        Cached<T> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!now.isBefore(entry.until())) {
            entries.remove(key);
            return null;
        }
        return entry.value();
    }

    /** Caches {@code value} for {@code token} until {@code until} (nothing when that is not after {@code now}). */
    synchronized void put(String token, T value, Instant now, Instant until) {
        if (until.isAfter(now)) {
            entries.put(key(token), new Cached<>(value, until));
        }
    }

    /** Forgets what is cached for {@code token}. */
    synchronized void remove(String token) {
        entries.remove(key(token));
    }

    synchronized int size() {
        return entries.size();
    }

    private static String key(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
