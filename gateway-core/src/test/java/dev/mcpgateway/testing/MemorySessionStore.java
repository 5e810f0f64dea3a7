package dev.mcpgateway.testing;

import dev.mcpgateway.server.SessionStore;
import dev.mcpgateway.server.SessionStoreUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link SessionStore} in memory, shared by every store of one {@link Hub} as gateways share Redis: one map of
 * session data (kept until removed; this double does not expire), and messages delivered asynchronously, on one
 * thread in order, to every store of the hub but the sender. {@link Hub#down(boolean)} makes every call fail, as an
 * unreachable store does. For core unit tests; the Redis store is tested against a real Redis.
 */
public final class MemorySessionStore implements SessionStore {

    /** What the gateways share: the data and the message bus. */
    public static final class Hub implements AutoCloseable {
        final Map<String, String> data = new ConcurrentHashMap<>();
        final List<MemorySessionStore> stores = new CopyOnWriteArrayList<>();
        final ExecutorService bus = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon(true).factory());
        final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        volatile boolean down;

        /** A store for one more gateway. */
        public MemorySessionStore store() {
            MemorySessionStore store = new MemorySessionStore(this);
            stores.add(store);
            return store;
        }

        /** Makes every store's calls fail (true) or work again (false). */
        public void down(boolean down) {
            this.down = down;
        }

        /** Forgets a session as the store does once no gateway renewed it (or as another gateway's DELETE did). */
        public void forget(String id) {
            data.remove(id);
        }

        /** How often a gateway read a session's data. */
        public int reads(String id) {
            AtomicInteger count = reads.get(id);
            return count == null ? 0 : count.get();
        }

        /** The data kept for a session, as the server wrote it. */
        public Optional<String> data(String id) {
            return Optional.ofNullable(data.get(id));
        }

        @Override
        public void close() {
            bus.shutdownNow();
        }
    }

    private final Hub hub;
    private volatile Consumer<String> receiver = message -> { };

    private MemorySessionStore(Hub hub) {
        this.hub = hub;
    }

    private void check() {
        if (hub.down) {
            throw new SessionStoreUnavailableException("the test made the store unavailable", null);
        }
    }

    @Override
    public void put(String id, String data, Duration idleTimeout) {
        check();
        hub.data.put(id, data);
    }

    @Override
    public Optional<String> get(String id) {
        check();
        hub.reads.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
        return Optional.ofNullable(hub.data.get(id));
    }

    @Override
    public void touch(Iterable<String> ids, Duration idleTimeout) {
        check();
    }

    @Override
    public void remove(String id) {
        check();
        hub.data.remove(id);
    }

    @Override
    public void publish(String message) {
        if (hub.down) {
            return; // lost, as a message published while Redis is away is
        }
        hub.bus.execute(() -> {
            for (MemorySessionStore store : hub.stores) {
                if (store != this) {
                    store.receiver.accept(message);
                }
            }
        });
    }

    @Override
    public void onMessage(Consumer<String> receiver) {
        this.receiver = receiver;
    }

    @Override
    public void close() {
        hub.stores.remove(this);
    }
}
