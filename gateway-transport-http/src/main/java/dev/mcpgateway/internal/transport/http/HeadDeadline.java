package dev.mcpgateway.internal.transport.http;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The time one exchange of an {@link Http1Pool} may wait for its response headers, kept by a timer that closes the
 * connection when it runs out (which ends the blocked read). Whichever comes first, the headers or the timer, wins:
 * a reader that finds it lost reports a timeout rather than a closed connection. Thread-safe.
 *
 * <p>A deadline is its own timer task, a {@link Callable} so that the scheduler wraps no adapter around it, and keeps
 * who won in a field of its own: the lambda, adapter and {@code AtomicBoolean} that each exchange allocated besides
 * the scheduler's task were about 60 bytes per call.
 */
final class HeadDeadline implements Callable<Void> {
    private static final AtomicIntegerFieldUpdater<HeadDeadline> SETTLED =
            AtomicIntegerFieldUpdater.newUpdater(HeadDeadline.class, "settled");

    private final Runnable expire;
    /** 1 once the headers or the timer won. */
    private volatile int settled;
    /** Written by the thread that armed it, before that thread can disarm it. */
    private ScheduledFuture<?> expiry;

    private HeadDeadline(Runnable expire) {
        this.expire = expire;
    }

    /**
     * A deadline {@code timeout} from now that runs {@code expire} when it passes first; null when there is no
     * {@code timer} or it stopped (the caller then bounds the wait another way).
     */
    static HeadDeadline arm(ScheduledExecutorService timer, Duration timeout, Runnable expire) {
        if (timer == null) {
            return null;
        }
        HeadDeadline deadline = new HeadDeadline(expire);
        long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? TimeUnit.DAYS.toNanos(365) : timeout.toNanos();
        try {
            deadline.expiry = timer.schedule(deadline, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
        return deadline;
    }

    /** The timer ran out: expires unless the headers came first. */
    @Override
    public Void call() {
        if (SETTLED.compareAndSet(this, 0, 1)) {
            expire.run();
        }
        return null;
    }

    /** Stops the timer; false if it had run out first (and so closed the connection). */
    boolean disarm() {
        if (!SETTLED.compareAndSet(this, 0, 1)) {
            return false;
        }
        expiry.cancel(false);
        return true;
    }
}
