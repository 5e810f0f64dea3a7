package dev.mcpgateway.internal.transport.http.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The outboxes whose writers are waiting, for one MCP endpoint: it asks the quiet ones for a keep-alive, and stops
 * them all when the endpoint closes. One sweep on the gateway's timer serves every stream, so a request waiting
 * for its answer arms no timer of its own (see {@code dev.mcpgateway.internal.Timers} for what that costs): a
 * stream quiet for the keep-alive interval gets its keep-alive within a quarter interval more. Thread-safe.
 */
final class WaitingOutboxes implements AutoCloseable {
    /** The shortest sweep period, whatever the keep-alive interval: a tighter one would only cost CPU. */
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Set<Outbox> waiting = ConcurrentHashMap.newKeySet();
    private final long keepAliveNanos;
    /** Null when the gateway's timer had stopped already: its endpoint answers nothing but 503 then. */
    private final ScheduledFuture<?> sweep;
    private volatile boolean closed;

    /** Sweeps on {@code timer} for outboxes quiet for {@code keepAliveNanos}. */
    WaitingOutboxes(ScheduledExecutorService timer, long keepAliveNanos) {
        this.keepAliveNanos = keepAliveNanos;
        long periodNanos = Math.max(MIN_PERIOD_NANOS, keepAliveNanos / 4);
        ScheduledFuture<?> scheduled;
        try {
            scheduled = timer.scheduleWithFixedDelay(this::sweep, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            scheduled = null;
        }
        this.sweep = scheduled;
    }

    /** Counts {@code outbox} as waiting until {@link #remove}; stops it at once if the endpoint closed already. */
    void add(Outbox outbox) {
        waiting.add(outbox);
        if (closed) { // close() may have run before the add
            outbox.stop();
        }
    }

    /** Forgets an outbox whose writer is done. */
    void remove(Outbox outbox) {
        waiting.remove(outbox);
    }

    /** Stops every waiting outbox and the sweep; outboxes added later are stopped as they come. */
    @Override
    public void close() {
        closed = true;
        if (sweep != null) {
            sweep.cancel(false);
        }
        for (Outbox outbox : waiting) {
            outbox.stop();
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Outbox outbox : waiting) {
            outbox.keepAliveIfQuiet(now, keepAliveNanos);
        }
    }
}
