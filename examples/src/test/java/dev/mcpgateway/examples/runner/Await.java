package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition the runner reaches on its own threads (a reload, a file event), up to a deadline. */
final class Await {
    private Await() {
    }

    /** Checks every 20 ms until {@code condition} holds; fails with {@code what} and its last state at the deadline. */
    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not reached within " + timeout + ": " + what.get());
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
