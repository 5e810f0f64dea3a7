package dev.mcpgateway.internal.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * Concurrent maps made at their first use, for a session's tables that most sessions never fill: a stateless session
 * is made for every request, and building its tables up front was a third of a kilobyte per call.
 */
final class LazyMaps {
    private LazyMaps() {
    }

    /**
     * The map in {@code owner}'s volatile field, made and set at the field's first use; callers racing to it get the
     * same map.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T, K, V> Map<K, V> of(AtomicReferenceFieldUpdater<T, Map> field, T owner) {
        Map<K, V> map = field.get(owner);
        if (map == null) {
            field.compareAndSet(owner, null, new ConcurrentHashMap<K, V>());
            map = field.get(owner);
        }
        return map;
    }
}
