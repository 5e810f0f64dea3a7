package dev.mcpgateway.examples.runner;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds a shutdown: runs the close, and halts the process if it has not finished within the bound, so a SIGTERM always
 * ends the runner (a plugin that ignores its signals or a stuck close would otherwise hold it until an orchestrator
 * resorts to SIGKILL, or forever where none watches).
 */
final class ShutdownWatchdog implements Runnable {
    /** Under the 30 s that orchestrators (Kubernetes, systemd's default) wait before SIGKILL. */
    static final Duration DEFAULT_BOUND = Duration.ofSeconds(20);
    private static final Logger log = LoggerFactory.getLogger(ShutdownWatchdog.class);

    /** What ends the process when the bound passes; {@link Runtime#halt} in the runner. */
    interface Halt {
        void halt(int status);
    }

    private final Runnable close;
    private final Duration bound;
    private final Halt halt;

    ShutdownWatchdog(Runnable close, Duration bound, Halt halt) {
        this.close = close;
        this.bound = bound;
        this.halt = halt;
    }

    /** Closes, watched: if the close is still running after the bound, the process is halted with status 1. */
    @Override
    public void run() {
        CountDownLatch closed = new CountDownLatch(1);
        Thread watcher = Thread.ofPlatform().daemon(true).name("mcp-gateway-shutdown-watchdog").start(() -> {
            try {
                if (!closed.await(bound.toNanos(), TimeUnit.NANOSECONDS)) {
                    log.error("Shutting down took longer than {}; halting the process", bound);
                    halt.halt(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            close.run();
        } finally {
            closed.countDown();
        }
        try {
            watcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
