package dev.mcpgateway.benchmarks.load;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Drives one target with N load clients (platform threads, one connection each) in closed or open loop, and
 * measures the run: latency histogram, throughput, errors, and what the process spent on it (CPU, GC, heap).
 * The load clients run in this JVM, next to the gateway they measure; their own CPU is measured apart.
 */
final class LoadRunner {
    /** The longest latency the histograms hold: anything slower is a broken run anyway. */
    static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long an open-loop client that fell behind may go on sending overdue requests after the run's end. */
    private static final long OVERDUE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Closed loop: each client sends its next request when the previous answer arrives. Open: at a fixed rate. */
    enum Mode {
        CLOSED, OPEN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One run's settings.
     *
     * @param mode          closed or open loop
     * @param clients       concurrent load clients (connections)
     * @param warmup        how long to send before measuring, at least
     * @param warmupLimit   closed loop: how long to send before measuring at most, while the JIT is still busy
     *                      ({@link Warmup}); the warm-up is fixed when this is not longer than {@code warmup}
     * @param duration      how long to measure
     * @param ratePerSecond the open-loop request rate over all clients (ignored in closed loop)
     * @param requestLimit  the most requests measured, 0 for no limit (tests use it to keep runs tiny)
     */
    record RunSpec(Mode mode, int clients, Duration warmup, Duration warmupLimit, Duration duration,
                   double ratePerSecond, long requestLimit) {
        RunSpec {
            if (clients < 1) {
                throw new IllegalArgumentException("at least 1 client, got " + clients);
            }
            if (mode == Mode.OPEN && !(ratePerSecond > 0)) {
                throw new IllegalArgumentException("an open-loop run needs a positive rate, got " + ratePerSecond);
            }
        }
    }

    /**
     * What one run measured.
     *
     * @param requests     requests answered in the measured window (the latency histogram holds exactly these)
     * @param errors       answers among them that were errors (JSON-RPC error, {@code isError}, non-200)
     * @param failures     calls that got no answer at all (connection broke); not in the histogram
     * @param seconds      the measured window
     * @param warmupSeconds how long the run sent before measuring
     * @param latency      per-request latency in ns: from send (closed) or from the intended send time (open)
     * @param sendLag      open loop only: how late each request left after its intended time, in ns
     * @param jvmCores     this JVM's CPU time over the window, in cores (load clients included)
     * @param loadGenCores the load clients' own threads' CPU time, in cores
     * @param childCores   child processes' CPU time (stdio plugins), in cores
     * @param allocatedBytes bytes allocated on the heap by the whole JVM during the window (load clients included)
     * @param loadGenAllocatedBytes bytes the load clients' own threads allocated during the window
     * @param heapUsedBytes heap in use at the end of the run
     * @param gcCount      collections during the window
     * @param gcMillis     time spent collecting during the window
     * @param clients      each load client's own figures, in client order
     */
    record RunResult(RunSpec spec, long requests, long errors, long failures, double seconds, double warmupSeconds,
                     Histogram latency,
                     Histogram sendLag, double jvmCores, double loadGenCores, double childCores, long allocatedBytes,
                     long loadGenAllocatedBytes, long heapUsedBytes, long gcCount, long gcMillis,
                     List<ClientRun> clients) {
        double throughputPerSecond() {
            return seconds > 0 ? requests / seconds : 0;
        }

        /** Heap bytes allocated per answered request: steadier than throughput on a busy machine. */
        double allocatedBytesPerRequest() {
            return requests > 0 ? (double) allocatedBytes / requests : Double.NaN;
        }

        /** Heap bytes per answered request allocated by everything but the load clients (gateway and plugin). */
        double allocatedBytesPerRequestBeyondLoadGen() {
            return requests > 0 ? (double) (allocatedBytes - loadGenAllocatedBytes) / requests : Double.NaN;
        }

        /** JVM CPU time per answered request, in microseconds. */
        double cpuMicrosPerRequest() {
            return requests > 0 ? jvmCores * seconds * 1e6 / requests : Double.NaN;
        }

        double percentileMicros(double percentile) {
            return micros(latency, percentile);
        }
    }

    /**
     * One load client's share of a run. In open loop a client that falls behind its schedule shows here as a high
     * latency with a short service time (it was late, not slow) or a long one (its answers were slow).
     *
     * @param requests          answered requests it measured
     * @param latencyP95Micros  its latency's p95 (from the intended send time in open loop)
     * @param serviceP50Micros  its service time's p50: from the actual send to the answer
     * @param serviceP99Micros  its service time's p99
     * @param serviceMaxMicros  its longest service time
     * @param serviceMaxAtMillis when the request with the longest service time was sent, from the start of measuring
     * @param lagMaxMicros      open loop: its largest send lag, how far behind its schedule a request left; 0 in
     *                          closed loop
     */
    record ClientRun(long requests, double latencyP95Micros, double serviceP50Micros, double serviceP99Micros,
                     double serviceMaxMicros, double serviceMaxAtMillis, double lagMaxMicros) {
        static ClientRun of(Worker worker) {
            boolean served = worker.slowestService >= 0;
            return new ClientRun(worker.requests, micros(worker.latency, 95), micros(worker.service, 50),
                    micros(worker.service, 99), served ? worker.slowestService / 1_000.0 : Double.NaN,
                    served ? (worker.slowestSentAt - worker.window.start) / 1e6 : Double.NaN,
                    worker.lag.getMaxValue() / 1_000.0);
        }
    }

    /** A histogram's percentile of nanoseconds, in microseconds; NaN when it holds nothing. */
    private static double micros(Histogram nanos, double percentile) {
        return nanos.getTotalCount() == 0 ? Double.NaN : nanos.getValueAtPercentile(percentile) / 1_000.0;
    }

    private LoadRunner() {
    }

    /** Runs the load described by {@code spec} against {@code target}. */
    static RunResult run(Target target, RunSpec spec) throws Exception {
        List<Worker> workers = new ArrayList<>(spec.clients());
        try {
            for (int i = 0; i < spec.clients(); i++) {
                workers.add(new Worker(target, i, target.open(i)));
            }
            long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20); // threads start before it
            long minimumEnd = startNanos + spec.warmup().toNanos();
            // An open loop's schedule is set from its start, so its window is too; a closed loop's opens once warm.
            Window window = new Window();
            if (spec.mode() == Mode.OPEN) {
                window.open(minimumEnd, spec.duration());
            }
            AtomicLong budget = new AtomicLong(spec.requestLimit() > 0 ? spec.requestLimit() : Long.MAX_VALUE);
            List<Thread> threads = new ArrayList<>();
            for (Worker worker : workers) {
                worker.prepare(spec, startNanos, window, budget);
                threads.add(Thread.ofPlatform().name("load-client-" + worker.index).daemon(true).start(worker));
            }
            if (spec.mode() == Mode.CLOSED) {
                long limitEnd = startNanos + spec.warmupLimit().toNanos();
                window.open(Warmup.ofThisJvm(LoadRunner::sleepUntil).awaitEnd(minimumEnd, limitEnd), spec.duration());
            }
            sleepUntil(window.start);
            Sample before = Sample.now();
            for (Thread thread : threads) {
                thread.join();
            }
            Sample after = Sample.now();
            return result(spec, workers, before, after, (window.start - startNanos) / 1e9);
        } finally {
            for (Worker worker : workers) {
                worker.closeCaller();
            }
        }
    }

    private static RunResult result(RunSpec spec, List<Worker> workers, Sample before, Sample after,
                                    double warmupSeconds) {
        Histogram latency = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        Histogram lag = spec.mode() == Mode.OPEN ? new Histogram(HIGHEST_TRACKABLE_NANOS, 3) : null;
        long requests = 0;
        long errors = 0;
        long failures = 0;
        long loadGenCpu = 0;
        long loadGenAllocated = 0;
        List<ClientRun> clients = new ArrayList<>(workers.size());
        for (Worker worker : workers) {
            clients.add(ClientRun.of(worker));
            latency.add(worker.latency);
            if (lag != null) {
                lag.add(worker.lag);
            }
            requests += worker.requests;
            errors += worker.errors;
            failures += worker.failures;
            loadGenCpu += Math.max(0, worker.cpuAtEnd - worker.cpuAtMeasureStart);
            loadGenAllocated += Math.max(0, worker.allocatedAtEnd - worker.allocatedAtMeasureStart);
        }
        double wallNanos = Math.max(1, after.nanos - before.nanos);
        return new RunResult(spec, requests, errors, failures, wallNanos / 1e9, warmupSeconds, latency, lag,
                (after.processCpu - before.processCpu) / wallNanos, loadGenCpu / wallNanos,
                (after.childCpu - before.childCpu) / wallNanos, after.allocated - before.allocated, loadGenAllocated,
                after.heapUsed, after.gcCount - before.gcCount, after.gcMillis - before.gcMillis, List.copyOf(clients));
    }

    private static void sleepUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * When measuring starts and ends, for every client: set before a run for an open loop, and once warm for a
     * closed one, whose clients read it before each request (the start first, so a client that sees it sees the end).
     */
    private static final class Window {
        volatile long start = Long.MAX_VALUE;
        volatile long end = Long.MAX_VALUE;

        void open(long from, Duration duration) {
            end = from + duration.toNanos();
            start = from;
        }
    }

    /** Process-wide counters at one instant. */
    private record Sample(long nanos, long processCpu, long childCpu, long allocated, long heapUsed, long gcCount,
                          long gcMillis) {
        static Sample now() {
            long count = 0;
            long millis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
            long children = ProcessHandle.current().descendants()
                    .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
            return new Sample(System.nanoTime(), OS.getProcessCpuTime(), children,
                    THREADS.getTotalThreadAllocatedBytes(),
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), count, millis);
        }
    }

    /** One load client: its caller, its own histogram and counters (merged after the run). */
    private static final class Worker implements Runnable {
        final Target target;
        final int index;
        Target.Caller caller;
        final Histogram latency = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        final Histogram lag = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        final Histogram service = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        long slowestService = -1;
        long slowestSentAt;
        long requests;
        long errors;
        long failures;
        long cpuAtMeasureStart = -1;
        long cpuAtEnd;
        long allocatedAtMeasureStart = -1;
        long allocatedAtEnd;
        private RunSpec spec;
        private long startNanos;
        private Window window;
        private AtomicLong budget;

        Worker(Target target, int index, Target.Caller caller) {
            this.target = target;
            this.index = index;
            this.caller = caller;
        }

        void prepare(RunSpec runSpec, long start, Window measured, AtomicLong requestBudget) {
            spec = runSpec;
            startNanos = start;
            window = measured;
            budget = requestBudget;
        }

        @Override
        public void run() {
            try {
                if (spec.mode() == Mode.CLOSED) {
                    closedLoop();
                } else {
                    openLoop();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                cpuAtEnd = THREADS.getCurrentThreadCpuTime();
                allocatedAtEnd = THREADS.getCurrentThreadAllocatedBytes();
                if (cpuAtMeasureStart < 0) {
                    cpuAtMeasureStart = cpuAtEnd;
                    allocatedAtMeasureStart = allocatedAtEnd;
                }
            }
        }

        private void closedLoop() {
            sleepUntil(startNanos);
            while (true) {
                long sent = System.nanoTime();
                long from = window.start;
                if (sent >= window.end) {
                    return;
                }
                boolean measured = sent >= from;
                if (measured && !enterMeasured()) {
                    return;
                }
                Boolean answer = callOnce();
                if (measured && answer != null) {
                    long took = Math.min(System.nanoTime() - sent, HIGHEST_TRACKABLE_NANOS);
                    latency.recordValue(took);
                    served(sent, took);
                    count(answer);
                }
                if (caller == null) {
                    return;
                }
            }
        }

        private void openLoop() throws InterruptedException {
            long intervalNanos = Math.max(1, Math.round(spec.clients() * 1e9 / spec.ratePerSecond()));
            OpenLoopSchedule schedule = new OpenLoopSchedule(System::nanoTime, LoadRunner::parkNanos, startNanos,
                    intervalNanos * index / spec.clients(), intervalNanos);
            while (true) {
                long intended = schedule.awaitNext();
                long sent = System.nanoTime();
                long from = window.start;
                long until = window.end;
                if (intended >= until || sent >= until + OVERDUE_GRACE_NANOS) {
                    return;
                }
                boolean measured = intended >= from;
                if (measured && !enterMeasured()) {
                    return;
                }
                Boolean answer = callOnce();
                if (measured && answer != null) {
                    long answered = System.nanoTime();
                    latency.recordValue(Math.min(answered - intended, HIGHEST_TRACKABLE_NANOS));
                    served(sent, Math.min(answered - sent, HIGHEST_TRACKABLE_NANOS));
                    lag.recordValue(Math.min(Math.max(0, sent - intended), HIGHEST_TRACKABLE_NANOS));
                    count(answer);
                }
                if (caller == null) {
                    return;
                }
            }
        }

        /** Notes the start of measurement and takes one request from the budget; false when it is spent. */
        private boolean enterMeasured() {
            if (cpuAtMeasureStart < 0) {
                cpuAtMeasureStart = THREADS.getCurrentThreadCpuTime();
                allocatedAtMeasureStart = THREADS.getCurrentThreadAllocatedBytes();
            }
            return budget.getAndDecrement() > 0;
        }

        private void served(long sent, long took) {
            service.recordValue(took);
            if (took > slowestService) {
                slowestService = took;
                slowestSentAt = sent;
            }
        }

        private void count(boolean ok) {
            requests++;
            if (!ok) {
                errors++;
            }
        }

        /** One call: true or false for an answer, null if none came (then the caller is reopened, or dropped). */
        private Boolean callOnce() {
            try {
                return caller.call();
            } catch (Exception e) {
                if (System.nanoTime() >= window.start) {
                    failures++;
                }
                closeCaller();
                try {
                    caller = target.open(index);
                } catch (Exception reopen) {
                    caller = null;
                }
                return null;
            }
        }

        void closeCaller() {
            if (caller != null) {
                try {
                    caller.close();
                } catch (Exception e) {
                    // the run is over for this caller either way
                }
            }
        }
    }

    private static void parkNanos(long nanos) {
        sleepUntil(System.nanoTime() + nanos);
    }
}
