package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShutdownWatchdogTest {
    private final List<Integer> halted = new CopyOnWriteArrayList<>();

    @Test
    void aCloseWithinTheBoundEndsWithoutAHalt() {
        List<String> closed = new CopyOnWriteArrayList<>();
        new ShutdownWatchdog(() -> closed.add("closed"), Duration.ofSeconds(10), halted::add).run();

        assertEquals(List.of("closed"), closed);
        assertEquals(List.of(), halted);
    }

    @Test
    void aCloseThatHangsPastTheBoundHaltsTheProcess() throws InterruptedException {
        CountDownLatch halt = new CountDownLatch(1);
        ShutdownWatchdog watchdog = new ShutdownWatchdog(() -> {
            try {
                halt.await(); // a close that never ends by itself: only the halt releases it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Duration.ofMillis(50), status -> {
            halted.add(status);
            halt.countDown();
        });

        watchdog.run();

        assertTrue(halt.await(0, TimeUnit.SECONDS));
        assertEquals(List.of(1), halted);
    }
}
