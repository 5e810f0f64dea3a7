package dev.mcpgateway.persistence.internal.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.persistence.RedisChangeEvents;
import dev.mcpgateway.persistence.RedisOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * The Redis side of {@link RedisChangeEvents}: publishes "instance X changed through gateway G" on one daemon thread
 * and listens on another, calling the gateway's reconcile callback for what other gateways published. A message is
 * {@code {"gateway": G, "instance": X, "kind": K}}: kind {@code change} (the store changed: reconcile; a message
 * without a kind, from an older gateway, is one), {@code rules} (the rule set changed; no instance) or {@code health}
 * (G saw X go unhealthy: probe it). A gateway that does not know a kind reconciles, which is always safe.
 *
 * <p>The listener sends a PING on its subscription every {@link RedisOptions#keepAlive()}, and closes a connection
 * that said nothing for that plus {@link RedisOptions#readTimeout()}: one that went silent (Redis or a network device
 * gone without closing it) is noticed within about that time, and replaced like any lost one.
 *
 * <p>Nothing here may hold up or fail a registry change: publishes are handed to a bounded queue and dropped when it
 * is full or Redis is away (the reconcile interval, and the pass every subscriber runs when it reconnects, catch up).
 * Redis going away and coming back is logged once each, whichever side noticed.
 */
public final class ChangeChannel implements AutoCloseable {
    // The operator-facing name: what they configured is RedisChangeEvents.
    private static final Logger log = LoggerFactory.getLogger(RedisChangeEvents.class);
    private static final int QUEUED_PUBLISHES = 1024;

    private final RedisOptions options;
    private final HostAndPort address;
    private final String gatewayId = UUID.randomUUID().toString();
    private final ThreadPoolExecutor publisher;
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private volatile Runnable onChange = () -> { };
    private volatile Consumer<String> onUnhealthy = id -> { };
    private final KeptSubscription subscription;
    private volatile boolean closed;
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
        // Whatever was published while the subscription was down went unheard: reconcile once it is back.
        this.subscription = new KeptSubscription(options, options.channel(), this::heard, this::changed, this::up,
                this::down);
    }

    /** This gateway's id in the messages it sends; messages carrying it are its own and ignored. */
    public String gatewayId() {
        return gatewayId;
    }

    /** Whether the subscriber is subscribed right now. */
    public boolean subscribed() {
        return subscription.subscribed();
    }

    /** Who to call when another gateway changed something. */
    public void onChange(Runnable reconcile) {
        this.onChange = Objects.requireNonNull(reconcile, "reconcile");
    }

    /** Who to call with an instance another gateway saw go unhealthy. */
    public void onUnhealthy(Consumer<String> probe) {
        this.onUnhealthy = Objects.requireNonNull(probe, "probe");
    }

    /**
     * Tells the other gateways of {@code kind} about instance {@code id} (null for none); returns at once, never
     * throws.
     */
    public void publish(Kind kind, String id) {
        if (closed) {
            return;
        }
        String message = message(kind, id);
        publisher.execute(() -> send(message)); // dropped when the queue is full: see the class comment
    }

    /** What a message tells. */
    public enum Kind {
        /** An instance changed in the store. */
        CHANGE,
        /** The routing rules changed in the store. */
        RULES,
        /** The sender saw an instance go unhealthy. */
        HEALTH;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private void send(String message) {
        try {
            if (publishing == null) {
                publishing = new Jedis(address, config(options.readTimeout()));
            }
            publishing.publish(options.channel(), message);
            up();
        } catch (RuntimeException e) {
            KeptSubscription.disconnect(publishing);
            publishing = null;
            down(e);
        }
    }

    /** A message on the channel, on the subscription's thread. */
    private void heard(String message) {
        JsonNode read = read(message);
        if (gatewayId.equals(read.path("gateway").asText(null))) {
            return; // our own
        }
        String instance = read.path("instance").asText(null);
        if (Kind.HEALTH.wire().equals(read.path("kind").asText()) && instance != null) {
            try {
                onUnhealthy.accept(instance);
            } catch (RuntimeException e) {
                log.warn("Probing an instance another gateway saw go unhealthy failed to start", e);
            }
        } else {
            changed(); // an event only makes the gateway read PostgreSQL, so an old one cannot undo a newer change
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
        subscription.close();
        publisher.shutdown(); // the publishes queued so far still go out
        try {
            long wait = options.connectTimeout().plus(options.readTimeout()).toMillis();
            if (publisher.awaitTermination(wait, TimeUnit.MILLISECONDS)) {
                KeptSubscription.disconnect(publishing); // its thread has ended: nothing else touches it now
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

    private String message(Kind kind, String id) {
        ObjectNode message = Json.object();
        message.put("gateway", gatewayId);
        if (id != null) {
            message.put("instance", id);
        }
        message.put("kind", kind.wire());
        return message.toString();
    }

    private static JsonNode read(String message) {
        try {
            return Json.mapper().readTree(message);
        } catch (JsonProcessingException e) {
            return Json.object(); // not ours; a stray message on the channel costs one reconciliation
        }
    }
}
