package dev.mcpgateway.persistence.testing;

import dev.mcpgateway.persistence.RedisOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.UUID;

/**
 * A real Redis for tests, never a mock: the one the environment names ({@code REDIS_HOST}, {@code REDIS_PORT},
 * {@code REDIS_PASSWORD}; defaults {@code 127.0.0.1:6379}, no password). There is no embedded fallback: when none
 * accepts a connection within a second, {@link #options()} fails the test saying so.
 */
public final class TestRedis {
    private static final int PROBE_MILLIS = 1000;

    private TestRedis() {
    }

    /** Options for the environment's Redis on a channel of the test's own, so concurrent builds never hear each other. */
    public static RedisOptions.Builder options() {
        Map<String, String> env = System.getenv();
        String host = env.getOrDefault("REDIS_HOST", "127.0.0.1");
        int port = Integer.parseInt(env.getOrDefault("REDIS_PORT", "6379"));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), PROBE_MILLIS);
        } catch (IOException e) {
            throw new IllegalStateException("These tests need a Redis server: none accepts connections at " + host + ":"
                    + port + " (" + e.getMessage() + "). Start one (e.g. redis-server) or point REDIS_HOST and"
                    + " REDIS_PORT at one", e);
        }
        return RedisOptions.builder().host(host).port(port).password(env.get("REDIS_PASSWORD"))
                .channel("mcp-gateway:test:" + UUID.randomUUID());
    }
}
