package dev.mcpgateway.internal.pipeline;

import dev.mcpgateway.RateLimits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import dev.mcpgateway.internal.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token buckets of the rate limits, by key, bounded: when a new key would pass the cap, the buckets that are full
 * again go first (forgetting them is lossless: a new bucket starts full), and if that is not enough the least recently
 * used go too, down to nine tenths of the cap so the sweep runs once per many new keys, not on every one. Evicting a
 * bucket that is not full lets its client burst again early: the price of bounded memory, logged.
 */
final class BucketTable {
    private static final Logger log = LoggerFactory.getLogger(BucketTable.class);

    private final ConcurrentHashMap<Object, TokenBucket> buckets = new ConcurrentHashMap<>();
    /** Under a flood of new clients every sweep would warn: a few per interval say it, the rest are counted. */
    private final RateLimitedLog evictions = RateLimitedLog.warnings(log, "rate limits");
    private final int maxBuckets;

    BucketTable(int maxBuckets) {
        this.maxBuckets = maxBuckets;
    }

    /** The bucket of a key, made (and room made for it) if there is none. */
    TokenBucket bucket(Object key, RateLimits.Rate rate, long nowNanos) {
        TokenBucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= maxBuckets) {
            evict(nowNanos);
        }
        return buckets.computeIfAbsent(key, k -> new TokenBucket(rate, nowNanos));
    }

    private record Used(Object key, TokenBucket bucket, long nanos) {
    }

    int size() {
        return buckets.size();
    }

    private synchronized void evict(long nowNanos) {
        if (buckets.size() < maxBuckets) {
            return; // another thread just swept
        }
        buckets.values().removeIf(bucket -> bucket.isFull(nowNanos));
        int target = Math.max(0, maxBuckets - Math.max(1, maxBuckets / 10));
        if (buckets.size() <= target) {
            return;
        }
        // A snapshot of when each was used: sorting on values that change under the sort would break its contract.
        List<Used> oldest = new ArrayList<>(buckets.size());
        buckets.forEach((key, bucket) -> oldest.add(new Used(key, bucket, bucket.updatedNanos())));
        oldest.sort(Comparator.comparingLong(Used::nanos));
        int excess = buckets.size() - target;
        for (int i = 0; i < excess && i < oldest.size(); i++) {
            buckets.remove(oldest.get(i).key(), oldest.get(i).bucket());
        }
        evictions.log("Rate limits: {} buckets in use (RateLimits.maxBuckets {}); forgot the {} least recently used before"
                + " they refilled, so those clients may burst again early; raise maxBuckets if this repeats",
                buckets.size() + excess, maxBuckets, excess);
    }
}
