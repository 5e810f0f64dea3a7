package dev.mcpgateway.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.persistence.testing.TestRedis;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The embedded Redis that {@link TestRedis} falls back on where no server answers does what the stores ask of Redis,
 * even on a machine that has a server (so the fallback is exercised by every build, not only where it is needed).
 */
class EmbeddedRedisFallbackTest {
    private final TestRedis.Server server = TestRedis.embedded();
    private final String channel = TestRedis.options(server).build().channel();

    @Test
    void keysAreSetAndReadAndNothingIsWrittenToDisk() {
        try (Jedis jedis = new Jedis(server.host(), server.port())) {
            jedis.set(channel + ":key", "value");
            assertEquals("value", jedis.get(channel + ":key"));
            assertEquals(Map.of("save", ""), jedis.configGet("save"));
            assertEquals(Map.of("appendonly", "no"), jedis.configGet("appendonly"));
        }
    }

    @Test
    void aPublishedMessageReachesASubscriber() throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        JedisPubSub subscriber = new JedisPubSub() {
            @Override
            public void onSubscribe(String subscribed, int count) {
                // Published only once subscribed: pub/sub keeps nothing for a subscriber that is not there yet.
                try (Jedis publisher = new Jedis(server.host(), server.port())) {
                    publisher.publish(channel, "hello");
                }
            }

            @Override
            public void onMessage(String from, String message) {
                received.complete(message);
                unsubscribe();
            }
        };
        Thread listening = Thread.ofVirtual().start(() -> {
            try (Jedis jedis = new Jedis(server.host(), server.port())) {
                jedis.subscribe(subscriber, channel);
            }
        });
        assertEquals("hello", received.get(5, TimeUnit.SECONDS));
        listening.join(5000);
    }
}
