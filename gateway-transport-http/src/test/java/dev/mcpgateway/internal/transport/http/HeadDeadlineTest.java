package dev.mcpgateway.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeadDeadlineTest {
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void headersInTimeWinAndTheTimerIsCancelled() {
        timer.setRemoveOnCancelPolicy(true);
        AtomicInteger expired = new AtomicInteger();
        HeadDeadline deadline = HeadDeadline.arm(timer, Duration.ofMinutes(5), expired::incrementAndGet);

        assertNotNull(deadline);
        assertTrue(deadline.disarm());
        assertTrue(timer.getQueue().isEmpty(), "the timer's task is gone");
        assertFalse(deadline.disarm(), "settled once");
        assertEquals(0, expired.get());
    }

    @Test
    void aTimerThatRunsOutFirstExpiresOnceAndTheHeadersLose() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicInteger expiries = new AtomicInteger();
        HeadDeadline deadline = HeadDeadline.arm(timer, Duration.ofNanos(1), () -> {
            expiries.incrementAndGet();
            ran.countDown();
        });

        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertFalse(deadline.disarm());
        assertNull(deadline.call(), "a second run does nothing");
        assertEquals(1, expiries.get(), "the connection was closed once");
    }

    @Test
    void withoutATimerOrWithOneStoppedThereIsNoDeadline() {
        assertNull(HeadDeadline.arm(null, Duration.ofSeconds(1), () -> { }));
        timer.shutdown();
        assertNull(HeadDeadline.arm(timer, Duration.ofSeconds(1), () -> { }));
    }
}
