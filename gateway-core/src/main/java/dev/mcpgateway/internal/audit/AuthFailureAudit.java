package dev.mcpgateway.internal.audit;

import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.registry.RegistryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit of clients failing to authenticate, which they can make as often as they like: coalesced
 * ({@link AuthFailureWindows}: at most one record per surface, reason and address every {@link #WINDOW}, carrying
 * the count, and {@link #PER_SECOND} in all), each record one audit line and, with a registry store, one
 * {@link RegistryStore#recordAuthFailure} row. Rows are written on a thread of its own behind a bounded queue, so
 * neither a slow store nor one that is down holds up a request or fails it; when the queue is full, records are
 * dropped from the store (not from the log), with one WARN. Thread-safe.
 */
public final class AuthFailureAudit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuthFailureAudit.class);
    /** How long failures alike are counted into one record. */
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** The most records per second, all kinds together. */
    static final int PER_SECOND = 20;
    /** The most kinds counted at once; further client addresses count as one. */
    static final int MAX_KINDS = 4096;
    /** Records waiting for the store; a store that is down fails each within its timeouts, so few wait. */
    static final int QUEUED = 256;

    private final Supplier<RegistryStore> store;
    private final Clock clock;
    private final AuthFailureWindows windows = new AuthFailureWindows(WINDOW, PER_SECOND, MAX_KINDS);
    private final ScheduledFuture<?> sweep;
    private final ThreadPoolExecutor writer;
    private final AtomicBoolean dropping = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();

    /**
     * @param store     the registry store in force (it may be set once the gateway is built)
     * @param clock     decides the windows
     * @param scheduler tells the counts of passed windows, every second
     */
    public AuthFailureAudit(Supplier<RegistryStore> store, Clock clock, ScheduledExecutorService scheduler) {
        this.store = store;
        this.clock = clock;
        this.writer = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUED),
                Thread.ofPlatform().name("mcp-gateway-auth-audit").daemon(true).factory(), (task, pool) -> dropped());
        this.sweep = scheduler.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
    }

    /** Audits one failure: at once, or counted into a later record. Returns at once; never throws. */
    public void failed(AuthFailure failure) {
        tell(windows.failed(failure, clock.instant()));
    }

    /** Tells the counts of the windows that passed. */
    void flush() {
        tell(windows.expired(clock.instant()));
    }

    private void tell(List<AuthFailureWindows.Coalesced> records) {
        RegistryStore kept = store.get();
        for (AuthFailureWindows.Coalesced record : records) {
            AuditLines.authFailed(record.latest(), record.count());
            if (kept != RegistryStore.none() && !writer.isShutdown()) {
                writer.execute(() -> write(kept, record));
            }
        }
    }

    private void write(RegistryStore kept, AuthFailureWindows.Coalesced record) {
        if (writer.getQueue().isEmpty() && dropping.compareAndSet(true, false)) {
            log.info("Authentication failures are recorded in the registry store again");
        }
        try {
            kept.recordAuthFailure(record.latest(), record.count());
            if (failing.compareAndSet(true, false)) {
                log.info("Authentication failures can be recorded in the registry store again");
            }
        } catch (RuntimeException e) {
            if (failing.compareAndSet(false, true)) {
                // Its class only: a store's own message may name its connection, credentials included.
                log.warn("An authentication failure could not be recorded in the registry store ({}); the audit trail"
                        + " misses them until it can (the audit log has them)", e.getClass().getName());
            }
        }
    }

    private void dropped() {
        if (dropping.compareAndSet(false, true)) {
            log.warn("{} authentication failure records wait for the registry store; dropping further ones until it"
                    + " catches up (the audit log has them)", QUEUED);
        }
    }

    /** Tells what is still counted, then stops; the records queued so far are still written, for a short while. */
    @Override
    public void close() {
        sweep.cancel(false);
        tell(windows.drain());
        writer.shutdown();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
