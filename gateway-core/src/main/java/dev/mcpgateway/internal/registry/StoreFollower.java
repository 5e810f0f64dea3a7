package dev.mcpgateway.internal.registry;

import dev.mcpgateway.registry.RegistryStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a gateway's store reconciliations: every {@code storeReconcileInterval}, and whenever the store says something
 * changed elsewhere ({@link RegistryStore#onChangedElsewhere}). Passes never overlap, and pokes coalesce: while a pass
 * runs, any number of pokes make exactly one pass more, which reads everything they could have been about.
 */
public final class StoreFollower {
    private static final Logger log = LoggerFactory.getLogger(StoreFollower.class);
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int RUNNING_AND_PENDING = 2;

    private final Supplier<CompletableFuture<?>> pass;
    private final AtomicInteger state = new AtomicInteger(IDLE);

    private StoreFollower(Supplier<CompletableFuture<?>> pass) {
        this.pass = pass;
    }

    /**
     * Schedules {@code pass} every {@code every} on {@code scheduler} and hands the store the poke that runs it now.
     *
     * @param pass one reconciliation; returns a future that ends with it
     */
    public static StoreFollower start(RegistryStore store, ScheduledExecutorService scheduler, Duration every,
                                      Supplier<CompletableFuture<?>> pass) {
        StoreFollower follower = new StoreFollower(pass);
        long millis = every.toMillis();
        scheduler.scheduleWithFixedDelay(follower::onSchedule, millis, millis, TimeUnit.MILLISECONDS);
        store.onChangedElsewhere(follower::poke);
        return follower;
    }

    /** Something changed elsewhere: a pass now, or one more after the running one. Returns at once. */
    public void poke() {
        if (state.getAndUpdate(s -> Math.min(s + 1, RUNNING_AND_PENDING)) == IDLE) {
            run();
        }
    }

    /** The schedule skips a turn while a pass runs, as the pass running covers it. */
    private void onSchedule() {
        if (state.compareAndSet(IDLE, RUNNING)) {
            run();
        }
    }

    private void run() {
        CompletableFuture<?> running;
        try {
            running = pass.get();
        } catch (RuntimeException e) {
            // Never rethrown: on the scheduler an exception would end every later turn.
            log.warn("Starting a registry store reconciliation failed; it runs again at the next turn or change", e);
            running = CompletableFuture.completedFuture(null);
        }
        // A failed pass was logged by the reconciler; the pending one (if any) still runs.
        running.whenComplete((done, error) -> {
            if (state.decrementAndGet() != IDLE) {
                run();
            }
        });
    }
}
