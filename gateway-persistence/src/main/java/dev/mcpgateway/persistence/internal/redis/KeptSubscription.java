package dev.mcpgateway.persistence.internal.redis;

import dev.mcpgateway.persistence.RedisOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * A Redis pub/sub subscription that stays up, for {@link ChangeChannel} and the session store: subscribes on its own
 * daemon thread and, after any loss, again with a capped, doubling back-off. It sends a PING every
 * {@link RedisOptions#keepAlive()} and closes a connection that said nothing for that plus
 * {@link RedisOptions#readTimeout()} (or was never confirmed in that time): Jedis reads a subscription without a
 * timeout, so a connection that went silent (Redis or a network device gone without closing it) would otherwise
 * never end. Its owner is told when Redis cannot be reached and when it answers again, and logs it as it says it.
 */
public final class KeptSubscription implements AutoCloseable {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final RedisOptions options;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onResubscribed;
    private final Runnable onUp;
    private final Consumer<RuntimeException> onDown;
    private final Thread thread;
    private final ScheduledExecutorService keepAlive;
    private final CountDownLatch closing = new CountDownLatch(1);
    /** The subscription in force, to PING; null between subscriptions. */
    private volatile Listener current;
    /** Its connection, to cut on close or when it goes silent. */
    private volatile Jedis connection;
    private volatile boolean subscribed;
    private volatile boolean closed;

    /**
     * Starts subscribing at once; an unreachable Redis is reported to {@code onDown} and retried, not thrown.
     *
     * @param onMessage      each message, on the subscription's thread
     * @param onResubscribed called when subscribed again after a loss: whatever was published meanwhile went unheard
     * @param onUp           called each time the subscription is confirmed
     * @param onDown         called with what went wrong each time the subscription is lost or cannot be made
     */
    public KeptSubscription(RedisOptions options, String channel, Consumer<String> onMessage, Runnable onResubscribed,
                            Runnable onUp, Consumer<RuntimeException> onDown) {
        this.options = Objects.requireNonNull(options, "options");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.onMessage = onMessage;
        this.onResubscribed = onResubscribed;
        this.onUp = onUp;
        this.onDown = onDown;
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("mcp-gateway-redis-keepalive").daemon(true).factory());
        long every = options.keepAlive().toMillis();
        keepAlive.scheduleWithFixedDelay(this::ping, every, every, TimeUnit.MILLISECONDS);
        this.thread = Thread.ofPlatform().name("mcp-gateway-redis-listen").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Whether it is subscribed right now. */
    public boolean subscribed() {
        return subscribed;
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        boolean missed = false;
        while (!closed) {
            Listener listener = new Listener(missed);
            Jedis jedis = null;
            try {
                jedis = new Jedis(new HostAndPort(options.host(), options.port()), DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis((int) options.connectTimeout().toMillis())
                        .socketTimeoutMillis((int) options.keepAlive().plus(options.readTimeout()).toMillis())
                        .password(options.password()).build());
                connection = jedis;
                if (closed) {
                    break;
                }
                current = listener;
                jedis.subscribe(listener, channel);
            } catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                onDown.accept(e);
            } finally {
                current = null;
                subscribed = false;
                disconnect(jedis);
            }
            missed = true;
            backoff = listener.confirmed ? FIRST_BACKOFF : backoff;
            try {
                if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** The keepalive: a PING on the subscription, and the watchdog that closes a silent connection. */
    private void ping() {
        Listener listener = current;
        if (listener == null) {
            return;
        }
        if (System.nanoTime() - listener.lastHeard > options.keepAlive().plus(options.readTimeout()).toNanos()) {
            disconnect(connection); // ends the blocking read; the loop subscribes again
            return;
        }
        if (subscribed) {
            try {
                listener.ping();
            } catch (RuntimeException e) {
                disconnect(connection); // the write failed: the connection is gone
            }
        }
    }

    /** One subscription's callbacks, on the subscription's thread. */
    private final class Listener extends JedisPubSub {
        private final boolean resubscribed;
        private volatile boolean confirmed;
        /** When Redis last said something on this subscription (or it began), for the watchdog. */
        private volatile long lastHeard = System.nanoTime();

        Listener(boolean resubscribed) {
            this.resubscribed = resubscribed;
        }

        @Override
        public void onSubscribe(String subscribedChannel, int count) {
            lastHeard = System.nanoTime();
            confirmed = true;
            subscribed = true;
            onUp.run();
            if (resubscribed) {
                onResubscribed.run();
            }
        }

        @Override
        public void onPong(String pattern) {
            lastHeard = System.nanoTime();
        }

        @Override
        public void onMessage(String from, String message) {
            lastHeard = System.nanoTime();
            onMessage.accept(message);
        }
    }

    /** Stops subscribing and closes the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing.countDown();
        keepAlive.shutdownNow();
        disconnect(connection);
        thread.interrupt();
        try {
            thread.join(options.connectTimeout().plus(options.readTimeout()).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes a connection that may already be broken. */
    static void disconnect(Jedis jedis) {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException e) {
                // closing a broken connection; nothing left to release
            }
        }
    }
}
