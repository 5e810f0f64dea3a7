package dev.mcpgateway.internal.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class RateLimitedLogTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final RecordingLogger logger = new RecordingLogger();
    private final AtomicLong nanos = new AtomicLong(123_456_789L);
    private final RateLimitedLog log = new RateLimitedLog(logger, Level.WARN, "plugin 'files'", 3, INTERVAL, nanos::get);

    @Test
    void aFloodIsLoggedUpToTheBurstThenCountedAndTheCountSaidWhenTheNextIntervalBegins() {
        for (int i = 1; i <= 1_601; i++) {
            log.log("plugin 'files' wrote garbage #{}", i);
        }
        assertEquals(List.of("WARN plugin 'files' wrote garbage #1", "WARN plugin 'files' wrote garbage #2",
                "WARN plugin 'files' wrote garbage #3"), logger.lines);

        nanos.addAndGet(INTERVAL.toNanos() - 1);
        log.log("plugin 'files' wrote garbage #{}", "late");
        assertEquals(3, logger.lines.size(), "the interval has not ended");

        nanos.addAndGet(1);
        log.log("plugin 'files' wrote garbage #{}", "next");
        assertEquals(List.of("WARN plugin 'files': 1,599 more like this in the last 10 s were not logged",
                "WARN plugin 'files' wrote garbage #next"), logger.lines.subList(3, 5));
    }

    @Test
    void aQuietIntervalSaysNothingAndFlushSaysWhatWasHeldBackOnce() {
        log.log("one");
        nanos.addAndGet(INTERVAL.toNanos() * 5);
        log.log("two");
        log.flush();
        assertEquals(List.of("WARN one", "WARN two"), logger.lines);

        for (int i = 0; i < 5; i++) {
            log.log("more");
        }
        log.flush();
        log.flush();
        assertEquals(List.of("WARN more", "WARN more",
                "WARN plugin 'files': 3 more like this in the last 10 s were not logged"), logger.lines.subList(2, 5));
        assertEquals(5, logger.lines.size());
    }

    @Test
    void theBurstAndIntervalAreValidated() {
        assertEquals("burst must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new RateLimitedLog(logger, Level.WARN, "x", 0, INTERVAL, nanos::get)).getMessage());
        assertEquals("interval must be at least 1 ms, got PT0S", assertThrows(IllegalArgumentException.class,
                () -> new RateLimitedLog(logger, Level.WARN, "x", 1, Duration.ZERO, nanos::get)).getMessage());
    }

    /** Keeps each line as {@code LEVEL message}. */
    private static final class RecordingLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        final List<String> lines = new ArrayList<>();

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String format, Object[] arguments,
                                                   Throwable throwable) {
            lines.add(level + " " + MessageFormatter.basicArrayFormat(format, arguments));
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
