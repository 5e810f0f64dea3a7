package dev.mcpgateway.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.persistence.testing.TcpProxy;
import dev.mcpgateway.persistence.testing.TestRedis;
import dev.mcpgateway.server.SessionStoreUnavailableException;
import dev.mcpgateway.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Redis session store against a real Redis: data with expiry, messages between stores, an outage and its end. */
class RedisSessionStoreTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final Duration IDLE = Duration.ofMinutes(5);
    private final RedisOptions options = TestRedis.options().build();
    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    private RedisSessionStore open(RedisOptions options) {
        RedisSessionStore store = RedisSessionStore.open(options);
        opened.add(store);
        return store;
    }

    @Test
    void sessionsAreKeptReadRenewedAndForgotten() {
        RedisSessionStore a = open(options);
        RedisSessionStore b = open(options);
        a.put("s1", "{\"format\":1}", IDLE);

        assertEquals(Optional.of("{\"format\":1}"), b.get("s1"), "what one gateway keeps another reads");
        assertEquals(Optional.empty(), b.get("s2"));
        b.touch(List.of("s1", "s2"), IDLE); // an id no longer kept is ignored
        b.remove("s1");
        assertEquals(Optional.empty(), a.get("s1"));
        b.remove("s1"); // forgetting what is not kept does nothing
    }

    @Test
    void aSessionNobodyRenewsExpiresAndARenewedOneStays() {
        RedisSessionStore store = open(options);
        store.put("idle", "x", Duration.ofMillis(300));
        store.put("used", "y", Duration.ofMillis(300));
        store.touch(List.of("used"), IDLE);

        Await.until("the idle session expires", WITHIN, () -> store.get("idle").isEmpty());
        assertEquals(Optional.of("y"), store.get("used"));
    }

    @Test
    void messagesReachEveryOtherStoreOnTheChannel() {
        RedisSessionStore a = open(options);
        RedisSessionStore b = open(options);
        RedisSessionStore elsewhere = open(TestRedis.options().build()); // another channel: other gateways
        List<String> heardByB = new CopyOnWriteArrayList<>();
        List<String> heardElsewhere = new CopyOnWriteArrayList<>();
        b.onMessage(heardByB::add);
        elsewhere.onMessage(heardElsewhere::add);
        Await.until("both subscribed", WITHIN, () -> a.subscribed() && b.subscribed() && elsewhere.subscribed());

        a.publish("{\"kind\":\"deliver\"}");
        Await.until("B hears it", WITHIN, () -> heardByB.contains("{\"kind\":\"deliver\"}"));
        assertTrue(heardElsewhere.isEmpty(), "gateways on another channel hear nothing");
    }

    @Test
    void anOutageFailsCallsCleanlyAndTheStoreRecoversOnItsOwn() throws Exception {
        TcpProxy proxy = TcpProxy.to(options.host(), options.port());
        opened.add(proxy);
        RedisOptions proxied = TestRedis.options().channel(options.channel()).port(proxy.port())
                .host("127.0.0.1").build();
        RedisSessionStore a = open(proxied);
        RedisSessionStore b = open(options);
        List<String> heardByA = new CopyOnWriteArrayList<>();
        a.onMessage(heardByA::add);
        a.put("s1", "kept", IDLE);
        Await.until("A subscribed", WITHIN, a::subscribed);

        proxy.cut();
        SessionStoreUnavailableException refused = assertThrows(SessionStoreUnavailableException.class,
                () -> a.get("s1"));
        assertTrue(refused.getMessage().contains("could not read session s1"), refused.getMessage());
        assertThrows(SessionStoreUnavailableException.class, () -> a.put("s2", "lost", IDLE));
        a.publish("dropped"); // never throws
        Await.until("A notices it no longer hears the others", WITHIN, () -> !a.subscribed());

        proxy.restore();
        Await.until("A reads again and hears the others again", WITHIN, () -> {
            try {
                return a.get("s1").isPresent() && a.subscribed();
            } catch (SessionStoreUnavailableException stillDown) {
                return false;
            }
        });
        Await.until("a message from B reaches A", WITHIN, () -> {
            b.publish("back");
            return heardByA.contains("back");
        });
        assertEquals(Optional.empty(), b.get("s2"), "nothing was half-written while Redis was away");
    }
}
