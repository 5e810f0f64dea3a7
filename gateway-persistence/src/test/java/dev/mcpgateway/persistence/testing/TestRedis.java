package dev.mcpgateway.persistence.testing;

import dev.mcpgateway.persistence.RedisOptions;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import redis.embedded.RedisServer;
import redis.embedded.core.PortProvider;

/**
 * A real Redis for tests, never a mock. The server the environment names ({@code REDIS_HOST}, {@code REDIS_PORT},
 * {@code REDIS_PASSWORD}; defaults {@code 127.0.0.1:6379}, no password) when it accepts a connection within a second;
 * otherwise an embedded Redis from a Maven artifact (com.github.codemonstur:embedded-redis), started once per JVM.
 *
 * <p>Each test takes options on a channel of its own with {@link #options()}, so tests and concurrent builds on one
 * server never hear each other.
 */
public final class TestRedis {
    private static Server server;

    private TestRedis() {
    }

    /**
     * Where a test's Redis is.
     *
     * @param password its password, or null when it asks for none
     * @param origin   what it is, for messages: the environment's server or the embedded one
     */
    public record Server(String host, int port, String password, String origin) {
        @Override
        public String toString() {
            return origin + " Redis at " + host + ":" + port;
        }
    }

    /** The server tests use: found (or started) once per JVM. */
    public static synchronized Server server() {
        if (server == null) {
            server = find(System.getenv());
        }
        return server;
    }

    /** Options for {@link #server()} on a channel of the test's own, so concurrent builds never hear each other. */
    public static RedisOptions.Builder options() {
        return options(server());
    }

    /** Options for {@code server} on a channel of the test's own, so concurrent builds never hear each other. */
    public static RedisOptions.Builder options(Server server) {
        return RedisOptions.builder().host(server.host()).port(server.port()).password(server.password())
                .channel("mcp-gateway:test:" + UUID.randomUUID());
    }

    /** An embedded Redis of this JVM's own, started on first use (the fallback of {@link #server()}). */
    public static synchronized Server embedded() {
        return Embedded.SERVER;
    }

    private static Server find(Map<String, String> env) {
        String host = env.getOrDefault("REDIS_HOST", "127.0.0.1");
        int port = Integer.parseInt(env.getOrDefault("REDIS_PORT", "6379"));
        Server configured = new Server(host, port, env.get("REDIS_PASSWORD"), "the environment's");
        return Reachable.answers(host, port, "TestRedis", "an embedded Redis") ? configured : embedded();
    }

    // Holder: the embedded server starts when first asked for, and stops when the JVM does.
    private static final class Embedded {
        static final Server SERVER = start();

        private static Server start() {
            try {
                int port = PortProvider.newEphemeralPortProvider().get();
                // Loopback only, and nothing written to disk: a test's data lives as long as the JVM.
                RedisServer redis = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                        .setting("save \"\"").setting("appendonly no").build();
                redis.start(); // registers a shutdown hook of its own that stops the redis-server process
                return new Server("127.0.0.1", port, null, "an embedded");
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("no Redis for the tests: none answers where REDIS_HOST and REDIS_PORT"
                        + " say (default 127.0.0.1:6379), and the embedded one did not start (" + e.getMessage()
                        + "). Start a Redis (e.g. redis-server) or point REDIS_HOST and REDIS_PORT at one", e);
            }
        }
    }
}
