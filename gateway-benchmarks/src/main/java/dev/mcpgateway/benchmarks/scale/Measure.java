package dev.mcpgateway.benchmarks.scale;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** What the scale and health mains share: latency histograms, settled heap readings and number formatting. */
final class Measure {
    /** Longest latency a histogram records; anything slower is clamped, and would be reported as this. */
    private static final long MAX_RECORDED_NANOS = TimeUnit.SECONDS.toNanos(30);

    private Measure() {
    }

    /** A histogram of nanoseconds with three significant digits. */
    static Histogram nanosHistogram() {
        return new Histogram(MAX_RECORDED_NANOS, 3);
    }

    /** Records the nanoseconds since {@code startNanos}. */
    static void recordSince(Histogram histogram, long startNanos) {
        histogram.recordValue(Math.min(System.nanoTime() - startNanos, MAX_RECORDED_NANOS));
    }

    /** {@code n / p50 / p99 / max} in microseconds, as a markdown table row's cells. */
    static String micros(Histogram nanos) {
        return nanos.getTotalCount() + " | " + micros(nanos.getValueAtPercentile(50)) + " | "
                + micros(nanos.getValueAtPercentile(99)) + " | " + micros(nanos.getMaxValue());
    }

    /** Nanoseconds shown as microseconds with one decimal. */
    static String micros(double nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1_000.0);
    }

    /** A number with one decimal. */
    static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** A number with thousands separators. */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Bytes as MiB with one decimal. */
    static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /**
     * Heap in use once garbage is gone: several full collections with pauses between them, since one
     * {@code System.gc()} may leave objects that needed finalization or reference processing.
     */
    static long settledHeapBytes() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            sleep(Duration.ofMillis(100));
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** CPU time this JVM has used so far, all threads. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The machine as the report's reader needs it: cores, load, JDK, heap limit and collector. */
    static String machine() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        String collectors = String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList());
        return os.getAvailableProcessors() + " cores, load average " + oneDecimal(os.getSystemLoadAverage())
                + " at start, JDK " + Runtime.version() + ", max heap " + mebibytes(Runtime.getRuntime().maxMemory())
                + ", " + collectors;
    }

    /** Sleeps, keeping the interrupt flag if interrupted. */
    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
