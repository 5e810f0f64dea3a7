package dev.mcpgateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimersTest {
    @Test
    void aCancelledTimerLeavesTheQueueAtOnceSoCallTimeoutsDoNotPileUp() throws Exception {
        ScheduledExecutorService timer = Timers.daemon("timers-test");
        try {
            List<ScheduledFuture<?>> timeouts = new ArrayList<>();
            for (int i = 0; i < 1000; i++) { // a call's timeout, one per call, cancelled when the call ends
                timeouts.add(timer.schedule(() -> { }, 60, TimeUnit.SECONDS));
            }
            timeouts.forEach(timeout -> timeout.cancel(false));

            assertEquals(0, ((ScheduledThreadPoolExecutor) timer).getQueue().size());
            CountDownLatch fired = new CountDownLatch(1);
            timer.schedule(fired::countDown, 1, TimeUnit.MILLISECONDS);
            assertTrue(fired.await(10, TimeUnit.SECONDS), "a timer still fires");
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void itsThreadIsADaemonNamedForWhatItTimes() throws Exception {
        ScheduledExecutorService timer = Timers.daemon("timers-test-name");
        try {
            Thread thread = timer.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
            assertEquals("timers-test-name", thread.getName());
            assertTrue(thread.isDaemon());
        } finally {
            timer.shutdownNow();
        }
    }
}
