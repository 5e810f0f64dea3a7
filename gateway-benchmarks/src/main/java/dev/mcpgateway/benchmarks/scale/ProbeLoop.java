package dev.mcpgateway.benchmarks.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * A health prober's loop without the verdicts: probes every instance once per interval, the instances spread evenly
 * over the interval as a real prober would (no bursts), for a fixed number of rounds, and counts the answers.
 */
final class ProbeLoop {
    /** Slices of each interval over which the instances are spread. */
    private static final int TICKS_PER_INTERVAL = 10;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What a run did.
     *
     * @param sent         probes sent
     * @param succeeded    probes answered
     * @param failed       probes that failed (error answer, timeout, no connection)
     * @param latencyNanos time to answer, successful probes only
     */
    record Result(long sent, long succeeded, long failed, Histogram latencyNanos) {
    }

    private ProbeLoop() {
    }

    /**
     * Probes each of {@code instances} {@code rounds} times, once per {@code interval}, and waits for every answer.
     *
     * @param probe sends one probe to an instance; its future completes with the answer or fails
     */
    static Result run(List<String> instances, Function<String, CompletableFuture<?>> probe, Duration interval,
                      int rounds) {
        Objects.requireNonNull(probe, "probe");
        long tickNanos = interval.toNanos() / TICKS_PER_INTERVAL;
        LongAdder succeeded = new LongAdder();
        LongAdder failed = new LongAdder();
        Histogram latency = Measure.nanosHistogram();
        List<CompletableFuture<?>> answers = new ArrayList<>(instances.size() * rounds);
        long start = System.nanoTime();
        long sent = 0;
        for (long tick = 0; tick < (long) rounds * TICKS_PER_INTERVAL; tick++) {
            long due = start + tick * tickNanos;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            for (int i = (int) (tick % TICKS_PER_INTERVAL); i < instances.size(); i += TICKS_PER_INTERVAL) {
                long sentAt = System.nanoTime();
                sent++;
                CompletableFuture<?> answer;
                try {
                    answer = probe.apply(instances.get(i));
                } catch (RuntimeException e) {
                    answer = CompletableFuture.failedFuture(e);
                }
                answers.add(answer.whenComplete((value, error) -> {
                    if (error == null) {
                        synchronized (latency) {
                            Measure.recordSince(latency, sentAt);
                        }
                        succeeded.increment();
                    } else {
                        failed.increment();
                    }
                }));
            }
        }
        awaitAll(answers);
        return new Result(sent, succeeded.sum(), failed.sum(), latency);
    }

    private static void awaitAll(List<CompletableFuture<?>> answers) {
        try {
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .exceptionally(error -> null) // failures are counted, not thrown
                    .get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("probes still unanswered after " + DRAIN_TIMEOUT, e);
        }
    }
}
