package dev.mcpgateway.internal.auth;

import dev.mcpgateway.auth.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Positive introspection answers, reused until their time is up, the least recently used going first once the cache
 * is full. Keyed by the SHA-256 of the token, so the cache holds no token: a heap dump of the gateway shows none.
 * Thread-safe (one lock: a lookup is a hash and a map access, far cheaper than the call it saves).
 */
final class IntrospectionCache {
    private record Cached(Principal principal, Instant until) {
    }

    private final int maxEntries;
    // Guarded by this. Access order: get() moves an entry to the end, the eldest is the least recently used.
    private final LinkedHashMap<String, Cached> entries;

    IntrospectionCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > IntrospectionCache.this.maxEntries;
            }
        };
    }

    /** The principal cached for {@code token}, or null when none is, or its time is up at {@code now}. */
    synchronized Principal get(String token, Instant now) {
        String key = key(token);
        Cached entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!now.isBefore(entry.until())) {
            entries.remove(key);
            return null;
        }
        return entry.principal();
    }

    /** Caches {@code principal} for {@code token} until {@code until} (nothing when that is not after {@code now}). */
    synchronized void put(String token, Principal principal, Instant now, Instant until) {
        if (until.isAfter(now)) {
            entries.put(key(token), new Cached(principal, until));
        }
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
