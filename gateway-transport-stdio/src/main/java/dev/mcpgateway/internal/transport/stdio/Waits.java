package dev.mcpgateway.internal.transport.stdio;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for shutdown code that must finish its work even when its thread is interrupted: an interrupt
 * does not cut the wait short (that could leave a process running) but is restored when the wait ends.
 */
public final class Waits {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private Waits() {
    }

    /** Polls until the condition holds or the timeout passes; returns whether it holds. */
    public static boolean until(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(Math.min(left, POLL_NANOS));
                // A pending interrupt would make parkNanos return at once and turn this into a busy loop.
                interrupted |= Thread.interrupted();
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
