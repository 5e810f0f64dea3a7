package dev.mcpgateway.persistence.internal.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.persistence.RedisChangeEvents;
import dev.mcpgateway.persistence.RedisOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;

/**
 * The Redis side of {@link RedisChangeEvents}: publishes "instance X changed through gateway G" on one daemon thread
 * and listens on another, calling the gateway's reconcile callback for what other gateways published.
 *
 * <p>Nothing here may hold up or fail a registry change: publishes are handed to a bounded queue and dropped when it
 * is full or Redis is away (the reconcile interval, and the pass every subscriber runs when it reconnects, catch up).
 * Redis going away and coming back is logged once each, whichever side noticed.
 */
public final class ChangeChannel implements AutoCloseable {
    // The operator-facing name: what they configured is RedisChangeEvents.
    private static final Logger log = LoggerFactory.getLogger(RedisChangeEvents.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int QUEUED_PUBLISHES = 1024;

    private final RedisOptions options;
    private final HostAndPort address;
    private final String gatewayId = UUID.randomUUID().toString();
    private final ThreadPoolExecutor publisher;
    private final Thread subscriber;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private volatile Runnable onChange = () -> { };
    private volatile boolean subscribed;
    private volatile boolean closed;
    /** The subscriber's connection, to cut on close. */
    private volatile Jedis listening;
    /** The publisher thread's connection; touched only there. */
    private Jedis publishing;

    /** Starts listening at once; an unreachable Redis is logged, and retried with back-off, not thrown. */
    public ChangeChannel(RedisOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.address = new HostAndPort(options.host(), options.port());
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUED_PUBLISHES),
                Thread.ofPlatform().name("mcp-gateway-redis-publish").daemon(true).factory(),
                new ThreadPoolExecutor.DiscardPolicy());
        this.subscriber = Thread.ofPlatform().name("mcp-gateway-redis-listen").daemon(true).unstarted(this::listen);
        subscriber.start();
    }

    /** This gateway's id in the messages it sends; messages carrying it are its own and ignored. */
    public String gatewayId() {
        return gatewayId;
    }

    /** Whether the subscriber is subscribed right now. */
    public boolean subscribed() {
        return subscribed;
    }

    /** Who to call when another gateway changed something. */
    public void onChange(Runnable reconcile) {
        this.onChange = Objects.requireNonNull(reconcile, "reconcile");
    }

    /** Tells the other gateways that instance {@code id} changed; returns at once, never throws. */
    public void publish(String id) {
        if (closed) {
            return;
        }
        String message = message(id);
        publisher.execute(() -> send(message)); // dropped when the queue is full: see the class comment
    }

    private void send(String message) {
        try {
            if (publishing == null) {
                publishing = new Jedis(address, config(options.readTimeout()));
            }
            publishing.publish(options.channel(), message);
            up();
        } catch (RuntimeException e) {
            disconnect(publishing);
            publishing = null;
            down(e);
        }
    }

    /** The subscriber thread: subscribe, and after each loss wait a capped, doubling back-off and subscribe again. */
    private void listen() {
        Duration backoff = FIRST_BACKOFF;
        boolean missed = false;
        while (!closed) {
            Jedis jedis = null;
            Subscription subscription = new Subscription(missed);
            try {
                // No read timeout: a subscriber waits for messages as long as none come.
                jedis = new Jedis(address, config(Duration.ZERO));
                listening = jedis;
                if (closed) {
                    break;
                }
                jedis.subscribe(subscription, options.channel());
            } catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                down(e);
            } finally {
                subscribed = false;
                disconnect(jedis);
            }
            missed = true; // whatever was published meanwhile went unheard: reconcile once back
            backoff = subscription.confirmed ? FIRST_BACKOFF : backoff;
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

    /** One subscription's callbacks, on the subscriber thread. */
    private final class Subscription extends JedisPubSub {
        private final boolean reconcileWhenSubscribed;
        private volatile boolean confirmed;

        Subscription(boolean reconcileWhenSubscribed) {
            this.reconcileWhenSubscribed = reconcileWhenSubscribed;
        }

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            confirmed = true;
            subscribed = true;
            up();
            if (reconcileWhenSubscribed) {
                changed();
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            if (!gatewayId.equals(sender(message))) {
                changed(); // an event only makes the gateway read PostgreSQL, so an old one cannot undo a newer change
            }
        }
    }

    private void changed() {
        try {
            onChange.run();
        } catch (RuntimeException e) {
            log.warn("Reconciling on a change event failed to start", e);
        }
    }

    /** Stops both threads and closes both connections. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing.countDown();
        disconnect(listening); // ends the blocking subscribe
        subscriber.interrupt();
        publisher.shutdown(); // the publishes queued so far still go out
        try {
            long wait = options.connectTimeout().plus(options.readTimeout()).toMillis();
            subscriber.join(wait);
            if (publisher.awaitTermination(wait, TimeUnit.MILLISECONDS)) {
                disconnect(publishing); // its thread has ended: nothing else touches it now
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JedisClientConfig config(Duration readTimeout) {
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) options.connectTimeout().toMillis())
                .socketTimeoutMillis((int) readTimeout.toMillis())
                .password(options.password())
                .build();
    }

    private void down(RuntimeException e) {
        if (reachable.compareAndSet(true, false)) {
            // Jedis's messages name host and port, never the password.
            log.warn("Redis at {} cannot be reached ({}); change events are neither sent nor heard until it is back"
                    + " (reconnecting with back-off). Registrations go on in PostgreSQL, and gateways follow each"
                    + " other every storeReconcileInterval meanwhile", options.target(), e.getMessage());
        }
    }

    private void up() {
        if (reachable.compareAndSet(false, true)) {
            log.info("Redis at {} can be reached again; change events flow again", options.target());
        }
    }

    private String message(String id) {
        ObjectNode message = Json.object();
        message.put("gateway", gatewayId);
        message.put("instance", id);
        return message.toString();
    }

    private static String sender(String message) {
        try {
            return Json.mapper().readTree(message).path("gateway").asText(null);
        } catch (JsonProcessingException e) {
            return null; // not ours; a stray message on the channel costs one reconciliation
        }
    }

    private static void disconnect(Jedis jedis) {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException e) {
                // closing a broken connection; nothing left to release
            }
        }
    }
}
