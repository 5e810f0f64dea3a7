package dev.mcpgateway.persistence;

import dev.mcpgateway.persistence.internal.redis.KeptSubscription;
import dev.mcpgateway.server.SessionStore;
import dev.mcpgateway.server.SessionStoreUnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.SetParams;

/**
 * Client sessions shared through Redis, so that gateways using the same Redis (and {@link RedisOptions#channel()})
 * serve every legacy client session, whichever gateway began it: each session's data is one string key
 * {@code <channel>:session:<id>} expiring after the server's idle timeout, renewed by the gateways its client uses;
 * messages between the gateways (for a client's stream held by another, an answer to another's question) travel on
 * pub/sub channel {@code <channel>:sessions}.
 *
 * <pre>{@code
 * SessionStore sessions = RedisSessionStore.open(RedisOptions.fromEnvironment(System.getenv()).build());
 * McpServer server = McpServer.create(gateway, ServerOptions.defaults(), sessions);
 * }</pre>
 *
 * <p>Commands wait at most {@link RedisOptions#readTimeout()} and fail with {@link SessionStoreUnavailableException};
 * the gateway then serves what it holds. Publishes go out on one daemon thread from a bounded queue and are dropped
 * when Redis is away. Opening does not need Redis to be up.
 */
public final class RedisSessionStore implements SessionStore {
    private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);
    private static final int QUEUED_PUBLISHES = 4096;

    private final RedisOptions options;
    private final JedisPooled redis;
    private final String keyPrefix;
    private final String channel;
    private final ThreadPoolExecutor publisher;
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private volatile Consumer<String> receiver = message -> { };
    private final KeptSubscription subscription;

    private RedisSessionStore(RedisOptions options) {
        this.options = options;
        this.redis = new JedisPooled(new HostAndPort(options.host(), options.port()), DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) options.connectTimeout().toMillis())
                .socketTimeoutMillis((int) options.readTimeout().toMillis())
                .password(options.password()).build());
        this.keyPrefix = options.channel() + ":session:";
        this.channel = options.channel() + ":sessions";
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUED_PUBLISHES),
                Thread.ofPlatform().name("mcp-gateway-redis-sessions-publish").daemon(true).factory(),
                new ThreadPoolExecutor.DiscardPolicy());
        this.subscription = new KeptSubscription(options, channel, message -> receiver.accept(message), () -> { },
                this::up, this::down);
    }

    /** A store on the Redis the options name; Redis need not be up yet. */
    public static RedisSessionStore open(RedisOptions options) {
        return new RedisSessionStore(Objects.requireNonNull(options, "options"));
    }

    /** Whether the store hears the other gateways right now. */
    public boolean subscribed() {
        return subscription.subscribed();
    }

    @Override
    public void put(String id, String data, Duration idleTimeout) {
        call("keep session " + id, () -> redis.set(keyPrefix + id, data,
                SetParams.setParams().px(idleTimeout.toMillis())));
    }

    @Override
    public Optional<String> get(String id) {
        return Optional.ofNullable(call("read session " + id, () -> redis.get(keyPrefix + id)));
    }

    @Override
    public void touch(Iterable<String> ids, Duration idleTimeout) {
        call("renew sessions", () -> {
            try (PipelineBase pipeline = redis.pipelined()) {
                for (String id : ids) {
                    pipeline.pexpire(keyPrefix + id, idleTimeout.toMillis());
                }
                pipeline.sync(); // one round trip for all of them
            }
            return null;
        });
    }

    @Override
    public void remove(String id) {
        call("forget session " + id, () -> redis.del(keyPrefix + id));
    }

    /**
     * Runs a command, once more on a broken connection: the pool may still hold connections from before an outage,
     * which are all let go of first (every command here may be repeated without harm).
     */
    private <T> T call(String what, Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisConnectionException first) {
            try {
                redis.getPool().clear();
                return command.get();
            } catch (RuntimeException e) {
                throw unavailable(what, e);
            }
        } catch (RuntimeException e) {
            throw unavailable(what, e);
        }
    }

    @Override
    public void publish(String message) {
        publisher.execute(() -> {
            try {
                redis.publish(channel, message);
            } catch (RuntimeException e) {
                log.debug("A session message to the other gateways was lost: {}", e.getMessage());
            }
        });
    }

    @Override
    public void onMessage(Consumer<String> receiver) {
        this.receiver = Objects.requireNonNull(receiver, "receiver");
    }

    @Override
    public void close() {
        subscription.close();
        publisher.shutdown();
        try {
            publisher.awaitTermination(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        redis.close();
    }

    private void down(RuntimeException e) {
        if (reachable.compareAndSet(true, false)) {
            // Jedis's messages name host and port, never the password.
            log.warn("Redis at {} cannot be reached ({}); client sessions begun on other gateways are still served"
                    + " here, but messages between gateways (notifications for a stream held elsewhere, answers to"
                    + " another gateway's questions) are lost until it is back (reconnecting with back-off)",
                    options.target(), e.getMessage());
        }
    }

    private void up() {
        if (reachable.compareAndSet(false, true)) {
            log.info("Redis at {} can be reached again; messages between gateways about sessions flow again",
                    options.target());
        }
    }

    private SessionStoreUnavailableException unavailable(String what, RuntimeException e) {
        // Jedis's messages name host and port, never the password.
        return new SessionStoreUnavailableException("Redis at " + options.target() + " could not " + what + ": "
                + e.getMessage(), e);
    }
}
