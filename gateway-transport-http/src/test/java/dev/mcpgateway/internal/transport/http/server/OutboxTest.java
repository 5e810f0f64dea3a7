package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The hand-over from any thread to the one thread writing an exchange: nothing lost, no wake-up missed. */
class OutboxTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    @Test
    void everyMessageFromManySendersReachesTheWriterBeforeTheFinalOne() throws Exception {
        int senders = 4;
        int perSender = 200; // 800 in all, within the outbox's capacity
        Outbox outbox = new Outbox(false);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> sent = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < senders; s++) {
                int sender = s;
                sent.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < perSender; i++) {
                        int key = sender * perSender + i;
                        assertTrue(outbox.send(new JsonRpcNotification("n", Json.object().put("k", key))));
                        if (i % 16 == 0) {
                            Thread.yield(); // lets the writer catch up and park between messages
                        }
                    }
                    return null;
                }));
            }
            Future<Set<Integer>> written = threads.submit(() -> {
                Set<Integer> keys = new HashSet<>();
                while (true) {
                    Object item = outbox.take();
                    if (item instanceof Outbox.Final) {
                        return keys;
                    }
                    keys.add(((JsonRpcNotification) item).params().get("k").intValue());
                }
            });
            go.countDown();
            for (Future<?> sender : sent) {
                assertTimeoutPreemptively(BOUND, () -> sender.get());
            }
            outbox.complete(JsonRpcResponse.success(RequestId.of(1), Json.object()));

            Set<Integer> keys = assertTimeoutPreemptively(BOUND, () -> written.get());
            assertEquals(senders * perSender, keys.size(), "every message written once");
        }
    }

    @Test
    void aWriterParkedForItsAnswerWakesWhenTheAnswerComes() throws Exception {
        Outbox outbox = new Outbox(false);
        AtomicReference<Object> taken = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                taken.set(outbox.take());
            } catch (InterruptedException e) {
                taken.set(e);
            }
        });
        assertTimeoutPreemptively(BOUND, () -> {
            while (writer.getState() != Thread.State.WAITING) { // parked in take, nothing queued yet
                Thread.onSpinWait();
            }
        });
        outbox.complete(JsonRpcResponse.success(RequestId.of(7), Json.object()));

        assertTimeoutPreemptively(BOUND, () -> writer.join());
        assertEquals(RequestId.of(7), assertInstanceOf(Outbox.Final.class, taken.get()).response().id());
    }

    @Test
    void anInterruptedWriterStopsWaitingAndAStoppedOutboxRefusesMessages() throws Exception {
        Outbox outbox = new Outbox(false);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, outbox::take);
        assertFalse(Thread.interrupted(), "the interrupt is reported once, as by a blocking queue");

        outbox.stop();
        assertSame(Outbox.STOP, assertTimeoutPreemptively(BOUND, () -> outbox.take()));
        assertFalse(outbox.send(new JsonRpcNotification("late", null)));
    }
}
