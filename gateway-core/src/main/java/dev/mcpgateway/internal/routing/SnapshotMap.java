package dev.mcpgateway.internal.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable hash map whose next version shares everything but the buckets a change touched, so publishing
 * a routing table after one registration copies a few small buckets instead of every route. Reads are a bucket
 * index and one {@link HashMap} lookup.
 */
final class SnapshotMap<K, V> {
    private static final int BUCKETS = 1024;
    private static final SnapshotMap<?, ?> EMPTY = new SnapshotMap<>(new Map<?, ?>[BUCKETS], 0);

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
        Map<K, V> bucket = buckets[index(key)];
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

    private static int index(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (BUCKETS - 1);
    }

    /** Collects changes to one version; each touched bucket is copied once. */
    static final class Editor<K, V> {
        private final Map<K, V>[] buckets;
        private final boolean[] copied = new boolean[BUCKETS];
        private int size;

        private Editor(SnapshotMap<K, V> base) {
            this.buckets = base.buckets.clone();
            this.size = base.size;
        }

        void put(K key, V value) {
            V old = writable(index(key)).put(key, value);
            if (old == null) {
                size++;
            }
        }

        void remove(K key) {
            int i = index(key);
            if (buckets[i] != null && buckets[i].containsKey(key)) {
                writable(i).remove(key);
                size--;
            }
        }

        SnapshotMap<K, V> build() {
            return new SnapshotMap<>(buckets, size);
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
