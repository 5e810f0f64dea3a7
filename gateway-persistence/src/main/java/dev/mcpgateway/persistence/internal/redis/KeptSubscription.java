package dev.mcpgateway.persistence.internal.redis;

import dev.mcpgateway.persistence.RedisOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * A Redis pub/sub subscription that stays up: subscribes on its own daemon thread, pings while subscribed and drops a
 * connection that stops answering (a silently dead network never ends a blocking read, which a subscription has no
 * timeout on), and after any loss subscribes again with a capped, doubling back-off. Loss and recovery are logged
 * once each, by the caller's logger, in the caller's words.
 */
public final class KeptSubscription implements AutoCloseable {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final RedisOptions options;
    private final String channel;
    private final Duration pingInterval;
    private final Consumer<String> onMessage;
    private final Runnable onResubscribed;
    private final Logger log;
    private final String lost;
    private final Thread thread;
    private final ScheduledExecutorService pinger;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Jedis connection;
    private volatile Listener listener;
    private volatile boolean subscribed;
    private volatile boolean closed;
    private boolean down;

    /**
     * Starts subscribing at once; an unreachable Redis is logged and retried, not thrown.
     *
     * @param pingInterval   how often to ping while subscribed; a connection silent for three of them is dropped
     * @param onMessage      each message, on the subscription's thread
     * @param onResubscribed called when subscribed again after a loss: whatever was published meanwhile went unheard
     * @param lost           what the loss means, for the one warning logged when it happens
     */
    public KeptSubscription(RedisOptions options, String channel, Duration pingInterval, Consumer<String> onMessage,
                            Runnable onResubscribed, Logger log, String lost) {
        this.options = Objects.requireNonNull(options, "options");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.pingInterval = pingInterval;
        this.onMessage = onMessage;
        this.onResubscribed = onResubscribed;
        this.log = log;
        this.lost = lost;
        this.pinger = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("mcp-gateway-redis-ping").daemon(true).factory());
        pinger.scheduleWithFixedDelay(this::ping, pingInterval.toMillis(), pingInterval.toMillis(),
                TimeUnit.MILLISECONDS);
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
            Listener current = new Listener(missed);
            Jedis jedis = null;
            try {
                jedis = new Jedis(new HostAndPort(options.host(), options.port()), DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis((int) options.connectTimeout().toMillis())
                        .password(options.password()).build());
                connection = jedis;
                listener = current;
                if (closed) {
                    break;
                }
                jedis.subscribe(current, channel);
            } catch (RuntimeException e) {
                if (!closed && !down) {
                    down = true;
                    // Jedis's messages name host and port, never the password.
                    log.warn("Redis at {} cannot be reached ({}); {} (reconnecting with back-off)", options.target(),
                            e.getMessage(), lost);
                }
            } finally {
                subscribed = false;
                listener = null;
                disconnect(jedis);
            }
            missed = true;
            backoff = current.confirmed ? FIRST_BACKOFF : backoff;
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

    /** Pings the subscription; drops its connection when nothing came back for three intervals. */
    private void ping() {
        Listener current = listener;
        if (current == null || !current.confirmed) {
            return;
        }
        if (System.nanoTime() - current.lastHeardNanos > pingInterval.multipliedBy(3).toNanos()) {
            log.debug("Redis subscription on {} silent for three pings; reconnecting", channel);
            disconnect(connection); // ends the blocking read; the loop subscribes again
            return;
        }
        try {
            current.ping();
        } catch (RuntimeException e) {
            disconnect(connection);
        }
    }

    /** One subscription's callbacks, on the subscription's thread. */
    private final class Listener extends JedisPubSub {
        private final boolean resubscribed;
        private volatile boolean confirmed;
        private volatile long lastHeardNanos = System.nanoTime();

        Listener(boolean resubscribed) {
            this.resubscribed = resubscribed;
        }

        @Override
        public void onSubscribe(String subscribedChannel, int count) {
            lastHeardNanos = System.nanoTime();
            confirmed = true;
            subscribed = true;
            if (down) {
                down = false;
                log.info("Redis at {} can be reached again", options.target());
            }
            if (resubscribed) {
                onResubscribed.run();
            }
        }

        @Override
        public void onPong(String pattern) {
            lastHeardNanos = System.nanoTime();
        }

        @Override
        public void onMessage(String from, String message) {
            lastHeardNanos = System.nanoTime();
            try {
                onMessage.accept(message);
            } catch (RuntimeException e) {
                log.warn("Handling a message from Redis channel {} failed", channel, e);
            }
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
        pinger.shutdownNow();
        disconnect(connection);
        thread.interrupt();
        try {
            thread.join(options.connectTimeout().plus(options.readTimeout()).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

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
