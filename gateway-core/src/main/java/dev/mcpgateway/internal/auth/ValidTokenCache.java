package dev.mcpgateway.internal.auth;

import dev.mcpgateway.auth.ApiKeys;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What was learnt of tokens found valid (by introspection, or by a JWT's signature and claims: a principal, and what
 * it takes to trust it again), reused until their time is up, the least recently used going first once the cache is
 * full. Keyed by the SHA-256 of the token, so the cache holds no token: a heap dump of the gateway shows none.
 * Thread-safe (one lock, taken after hashing: a lookup is a hash and a map access, far cheaper than the
 * introspection call or the signature check it saves).
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
    T get(String token, Instant now) {
        String key = key(token); // hashed outside the lock: it is most of the cost of a lookup
        synchronized (this) {
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
    }

    /** Caches {@code value} for {@code token} until {@code until} (nothing when that is not after {@code now}). */
    void put(String token, T value, Instant now, Instant until) {
        if (until.isAfter(now)) {
            String key = key(token);
            synchronized (this) {
                entries.put(key, new Cached<>(value, until));
            }
        }
    }

    /** Forgets what is cached for {@code token}. */
    void remove(String token) {
        String key = key(token);
        synchronized (this) {
            entries.remove(key);
        }
    }

    private static String key(String token) {
        return ApiKeys.sha256Hex(token);
    }
}
