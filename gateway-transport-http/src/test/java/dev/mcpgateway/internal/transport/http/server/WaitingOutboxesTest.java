package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The keep-alive sweep that replaced a timed wait per request, and the stop of every waiting writer. */
class WaitingOutboxesTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aQuietStreamIsAskedForAKeepAliveByTheSweep() {
        WaitingOutboxes waiting = new WaitingOutboxes(timer, TimeUnit.MILLISECONDS.toNanos(20));
        Outbox outbox = new Outbox();
        waiting.add(outbox);

        assertNull(assertTimeoutPreemptively(BOUND, () -> outbox.take()), "a keep-alive, as take's null");
        waiting.close();
    }

    @Test
    void anOutboxAskedTwiceWithinOneQuietIntervalQueuesOneKeepAlive() throws Exception {
        Outbox outbox = new Outbox();
        long quiet = TimeUnit.SECONDS.toNanos(15);
        long later = System.nanoTime() + quiet;
        outbox.keepAliveIfQuiet(later, quiet);
        outbox.keepAliveIfQuiet(later + 1, quiet);
        outbox.complete(null);

        assertNull(outbox.take());
        assertInstanceOf(Outbox.Final.class, outbox.take(), "no second keep-alive before the end");
    }

    @Test
    void anOutboxThatKeepsNothingAliveIsNeverAskedToAndNorIsARefusedOne() throws Exception {
        Outbox batch = new Outbox(false);
        Outbox refused = new Outbox();
        refused.refuse();
        long quiet = TimeUnit.SECONDS.toNanos(15);
        for (Outbox outbox : new Outbox[] {batch, refused}) {
            outbox.keepAliveIfQuiet(System.nanoTime() + quiet, quiet);
            outbox.complete(null);

            assertInstanceOf(Outbox.Final.class, outbox.take());
        }
    }

    @Test
    void closingStopsTheWaitingWritersAndTheSweepAndStopsLaterOnesAtOnce() throws Exception {
        WaitingOutboxes waiting = new WaitingOutboxes(timer, TimeUnit.SECONDS.toNanos(15));
        Outbox before = new Outbox();
        waiting.add(before);

        waiting.close();
        Outbox after = new Outbox();
        waiting.add(after);

        assertSame(Outbox.STOP, before.take());
        assertSame(Outbox.STOP, after.take());
        assertTrue(timer.getQueue().stream().allMatch(task -> ((Future<?>) task).isCancelled()),
                "the sweep is cancelled");
    }

    @Test
    void aGatewayWhoseTimerStoppedStillGetsItsOutboxesStopped() throws Exception {
        timer.shutdownNow();
        WaitingOutboxes waiting = new WaitingOutboxes(timer, TimeUnit.SECONDS.toNanos(15));
        Outbox outbox = new Outbox();
        waiting.add(outbox);

        waiting.close();
        assertSame(Outbox.STOP, outbox.take());
    }
}
