package dev.mcpgateway.internal.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's periodic pass over leases and tool grace periods: every {@code leaseCheckInterval} it evicts what
 * expired. A pass never throws, since an exception would end every later pass of the schedule; a failed pass is
 * logged (unless the gateway is closing) and the next one runs as planned.
 */
public final class LeasePass {
    private static final Logger log = LoggerFactory.getLogger(LeasePass.class);

    private final InMemoryRegistry registry;
    private final Duration every;
    private final BooleanSupplier closed;

    private LeasePass(InMemoryRegistry registry, Duration every, BooleanSupplier closed) {
        this.registry = registry;
        this.every = every;
        this.closed = closed;
    }

    /** Schedules the pass every {@code every} on {@code scheduler}; {@code closed} silences failures at shutdown. */
    public static void start(InMemoryRegistry registry, ScheduledExecutorService scheduler, Duration every,
                             BooleanSupplier closed) {
        LeasePass pass = new LeasePass(registry, every, closed);
        long millis = every.toMillis();
        scheduler.scheduleWithFixedDelay(pass::run, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            registry.evictExpired().exceptionally(error -> {
                failed(error);
                return List.of();
            });
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(Throwable error) {
        if (!closed.getAsBoolean()) {
            log.warn("The periodic pass over leases and tool grace periods failed; it runs again in {}", every, error);
        }
    }
}
