package dev.mcpgateway.internal.logging;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One kind of log line that a plugin can make the gateway write at will (a line of garbage on its stdout, an answer
 * to a request nobody waits for, a line on its stderr), logged at most {@code burst} times per {@code interval}. A
 * misbehaving plugin would otherwise fill the disk: one writing garbage in a loop made 1,600 warnings a second.
 * What is held back is counted and said in one line when the next interval begins or at {@link #flush()}, e.g.
 * {@code plugin 'files': 1,598 more like this in the last 10 s were not logged}.
 *
 * <p>Make one per plugin (or per connection) and kind of line, so that one plugin's flood neither hides another's
 * lines nor a different problem of its own. Thread-safe.
 */
public final class RateLimitedLog {
    /** For warnings about what a plugin sent: the first few show the problem, more add nothing. */
    public static final int WARNING_BURST = 10;
    /** For a plugin's own log lines (stderr, {@code notifications/message}), which are worth more of. */
    public static final int OUTPUT_BURST = 200;
    /** The interval both are counted over. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Logger logger;
    private final Level level;
    private final String subject;
    private final int burst;
    private final Duration interval;
    private final LongSupplier nanoTime;
    // Guarded by this.
    private boolean started;
    private long windowStart;
    private int logged;
    private long suppressed;

    /**
     * @param logger   where the lines go
     * @param level    their level
     * @param subject  who they are about, starting the line that counts what was held back, e.g. {@code plugin 'files'}
     * @param burst    how many are logged per interval, at least 1
     * @param interval how long an interval is, at least 1 ms
     * @param nanoTime the time source, {@link System#nanoTime()} but in tests
     */
    public RateLimitedLog(Logger logger, Level level, String subject, int burst, Duration interval,
                          LongSupplier nanoTime) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.level = Objects.requireNonNull(level, "level");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms, got " + interval);
        }
        this.burst = burst;
        this.interval = interval;
    }

    /** {@link #WARNING_BURST} warnings per {@link #INTERVAL}. */
    public static RateLimitedLog warnings(Logger logger, String subject) {
        return new RateLimitedLog(logger, Level.WARN, subject, WARNING_BURST, INTERVAL, System::nanoTime);
    }

    /** {@link #OUTPUT_BURST} lines at INFO per {@link #INTERVAL}. */
    public static RateLimitedLog output(Logger logger, String subject) {
        return new RateLimitedLog(logger, Level.INFO, subject, OUTPUT_BURST, INTERVAL, System::nanoTime);
    }

    /** Whether a line would reach the log at all: lets a caller skip building one (decoding bytes) that would not. */
    public boolean isEnabled() {
        return logger.isEnabledForLevel(level);
    }

    /** Logs the line (SLF4J format and arguments, no throwable) unless this interval's burst is used up. */
    public void log(String format, Object... arguments) {
        long heldBack;
        boolean logIt;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            heldBack = 0;
            if (!started || now - windowStart >= interval.toNanos()) {
                heldBack = suppressed;
                started = true;
                windowStart = now;
                logged = 0;
                suppressed = 0;
            }
            logIt = logged < burst;
            if (logIt) {
                logged++;
            } else {
                suppressed++;
            }
        }
        // Outside the lock: a slow appender must not hold up the threads counting.
        report(heldBack);
        if (logIt) {
            logger.atLevel(level).log(format, arguments);
        }
    }

    /** Says how many lines were held back since the last such report, if any: for when the plugin is gone. */
    public void flush() {
        long heldBack;
        synchronized (this) {
            heldBack = suppressed;
            suppressed = 0;
        }
        report(heldBack);
    }

    private void report(long heldBack) {
        if (heldBack > 0) {
            logger.atLevel(level).log("{}: {} more like this in the last {} were not logged", subject,
                    String.format(Locale.ROOT, "%,d", heldBack), describe(interval));
        }
    }

    private static String describe(Duration interval) {
        return interval.toMillis() % 1000 == 0 ? interval.toSeconds() + " s" : interval.toMillis() + " ms";
    }
}
