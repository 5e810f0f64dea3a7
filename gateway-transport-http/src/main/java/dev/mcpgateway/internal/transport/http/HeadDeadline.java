package dev.mcpgateway.internal.transport.http;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The time one exchange of an {@link Http1Pool} may wait for its response headers, kept by a timer that closes the
 * connection when it runs out (which ends the blocked read). Whichever comes first, the headers or the timer, wins:
 * a reader that finds it lost reports a timeout rather than a closed connection. Thread-safe.
 */
final class HeadDeadline {
    private final AtomicBoolean settled = new AtomicBoolean();
    /** Written by the thread that armed it, before that thread can disarm it. */
    private ScheduledFuture<?> expiry;

    private HeadDeadline() {
    }

    /**
     * A deadline {@code timeout} from now that runs {@code expire} when it passes first; null when there is no
     * {@code timer} or it stopped (the caller then bounds the wait another way).
     */
    static HeadDeadline arm(ScheduledExecutorService timer, Duration timeout, Runnable expire) {
        if (timer == null) {
            return null;
        }
        HeadDeadline deadline = new HeadDeadline();
        long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? TimeUnit.DAYS.toNanos(365) : timeout.toNanos();
        try {
            deadline.expiry = timer.schedule(() -> {
                if (deadline.settled.compareAndSet(false, true)) {
                    expire.run();
                }
            }, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
        return deadline;
    }

    /** Stops the timer; false if it had run out first (and so closed the connection). */
    boolean disarm() {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        expiry.cancel(false);
        return true;
    }
}
