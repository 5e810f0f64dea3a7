package dev.mcpgateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * The caching hints of a 2026-07-28 result ({@code ttlMs}, {@code cacheScope}): how long a client may consider it
 * fresh and whether a shared cache may serve it to others. Either part may be absent (a legacy server gives none).
 *
 * @param ttl   how long the result may be considered fresh, or null when the server said nothing
 * @param scope who may cache it, or null when the server said nothing
 */
public record CacheHint(Duration ttl, Scope scope) {
    /** The {@code ttlMs} member of a result. */
    public static final String TTL_MS = "ttlMs";
    /** The {@code cacheScope} member of a result. */
    public static final String CACHE_SCOPE = "cacheScope";
    /** No hint at all. */
    public static final CacheHint NONE = new CacheHint(null, null);

    /** Who may cache a result. */
    public enum Scope {
        /** Holds nothing specific to the caller: any cache may keep it and serve it to anyone. */
        PUBLIC,
        /** May depend on who asked: reusable only within the same authorization context. */
        PRIVATE;

        /** The wire spelling, {@code public} or {@code private}. */
        public String wire() {
            return this == PUBLIC ? "public" : "private";
        }
    }

    public CacheHint {
        if (ttl != null && ttl.isNegative()) {
            throw new IllegalArgumentException("a cache ttl must not be negative, got " + ttl);
        }
    }

    /**
     * The hints a result carries. A negative or non-integral {@code ttlMs} counts as none (clients are told to treat
     * it as 0), and so does an unknown scope.
     */
    public static CacheHint of(JsonNode result) {
        if (result == null) {
            return NONE;
        }
        JsonNode ttl = result.get(TTL_MS);
        JsonNode scope = result.get(CACHE_SCOPE);
        Duration ttlGiven = ttl != null && ttl.canConvertToLong() && ttl.isIntegralNumber() && ttl.asLong() >= 0
                ? Duration.ofMillis(ttl.asLong()) : null;
        Scope scopeGiven = scope == null ? null : switch (scope.asText()) {
            case "public" -> Scope.PUBLIC;
            case "private" -> Scope.PRIVATE;
            default -> null;
        };
        return ttlGiven == null && scopeGiven == null ? NONE : new CacheHint(ttlGiven, scopeGiven);
    }

    /**
     * The hint of something made from both: fresh only as long as the shorter-lived part, private if either is.
     * What one side leaves out, the other decides.
     */
    public CacheHint and(CacheHint other) {
        Duration shorter = ttl == null ? other.ttl : other.ttl == null || ttl.compareTo(other.ttl) <= 0 ? ttl : other.ttl;
        Scope stricter = scope == Scope.PRIVATE || other.scope == Scope.PRIVATE ? Scope.PRIVATE
                : scope != null ? scope : other.scope;
        return new CacheHint(shorter, stricter);
    }

    /**
     * Writes both members on a result, filling what this hint leaves out with the given defaults; members the
     * result already carries validly are kept.
     */
    public void writeTo(ObjectNode result, Duration defaultTtl, Scope defaultScope) {
        CacheHint present = of(result);
        Duration ttlOut = present.ttl != null ? present.ttl : ttl != null ? ttl : defaultTtl;
        Scope scopeOut = present.scope != null ? present.scope : scope != null ? scope : defaultScope;
        result.put(TTL_MS, ttlOut.toMillis());
        result.put(CACHE_SCOPE, scopeOut.wire());
    }
}
