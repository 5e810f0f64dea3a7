package dev.mcpgateway.internal.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable hash map whose next version shares everything but the buckets a change touched, so publishing
 * a routing table after one registration copies a few small buckets instead of every route. Reads are a bucket
 * index and one {@link HashMap} lookup. The bucket count doubles as the map grows, so buckets stay at a handful
 * of entries and a change's cost does not grow with the table (the top-level array copy aside, a few
 * microseconds at 50,000 entries).
 */
final class SnapshotMap<K, V> {
    private static final int MIN_BUCKETS = 64;
    /** Average entries per bucket above which the bucket count doubles (to at most half this). */
    private static final int MAX_LOAD = 8;
    private static final SnapshotMap<?, ?> EMPTY = new SnapshotMap<>(new Map<?, ?>[MIN_BUCKETS], 0);

    private final Map<K, V>[] buckets;
    private final int size;

    private SnapshotMap(Map<?, ?>[] buckets, int size) {
        @SuppressWarnings("unchecked")
        Map<K, V>[] typed = (Map<K, V>[]) buckets;
        this.buckets = typed;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> SnapshotMap<K, V> empty() {
        return (SnapshotMap<K, V>) EMPTY;
    }

    V get(Object key) {
        Map<K, V> bucket = buckets[index(key, buckets.length)];
        return bucket == null ? null : bucket.get(key);
    }

    int size() {
        return size;
    }

    /** Every value, in no particular order. */
    List<V> values() {
        List<V> values = new ArrayList<>(size);
        for (Map<K, V> bucket : buckets) {
            if (bucket != null) {
                values.addAll(bucket.values());
            }
        }
        return values;
    }

    /** Every entry as a read-only map view built on demand (for the public API, not the hot path). */
    Map<K, V> toMap() {
        Map<K, V> map = new HashMap<>(size * 2);
        for (Map<K, V> bucket : buckets) {
            if (bucket != null) {
                map.putAll(bucket);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** Starts the next version. */
    Editor<K, V> edit() {
        return new Editor<>(this);
    }

    private static int index(Object key, int bucketCount) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (bucketCount - 1);
    }

    /** Collects changes to one version; each touched bucket is copied once. */
    static final class Editor<K, V> {
        private final Map<K, V>[] buckets;
        private final boolean[] copied;
        private int size;

        private Editor(SnapshotMap<K, V> base) {
            this.buckets = base.buckets.clone();
            this.copied = new boolean[buckets.length];
            this.size = base.size;
        }

        void put(K key, V value) {
            V old = writable(index(key, buckets.length)).put(key, value);
            if (old == null) {
                size++;
            }
        }

        void remove(K key) {
            int i = index(key, buckets.length);
            if (buckets[i] != null && buckets[i].containsKey(key)) {
                writable(i).remove(key);
                size--;
            }
        }

        SnapshotMap<K, V> build() {
            return size > buckets.length * MAX_LOAD ? new SnapshotMap<>(rehashed(), size) : new SnapshotMap<>(buckets, size);
        }

        /** All entries in twice (or more) as many buckets; every version after shares those instead. */
        private Map<?, ?>[] rehashed() {
            int count = buckets.length;
            while (size > count * (MAX_LOAD / 2)) {
                count *= 2;
            }
            @SuppressWarnings("unchecked")
            Map<K, V>[] grown = (Map<K, V>[]) new Map<?, ?>[count];
            for (Map<K, V> bucket : buckets) {
                if (bucket == null) {
                    continue;
                }
                for (Map.Entry<K, V> entry : bucket.entrySet()) {
                    int i = index(entry.getKey(), count);
                    if (grown[i] == null) {
                        grown[i] = new HashMap<>(MAX_LOAD);
                    }
                    grown[i].put(entry.getKey(), entry.getValue());
                }
            }
            return grown;
        }

        private Map<K, V> writable(int i) {
            if (!copied[i]) {
                buckets[i] = buckets[i] == null ? new HashMap<>(4) : new HashMap<>(buckets[i]);
                copied[i] = true;
            }
            return buckets[i];
        }
    }
}
