package dev.mcpgateway.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many requests the server and its front doors refused, per limit (named as its option, such as
 * {@code maxSessions} or {@code maxBodyBytesInFlight}), for metrics and operators. A flood must not flood the log
 * too: the first refusal of a limit is logged at warn, later ones only once a minute per limit, with the count.
 * Thread-safe; counting costs one {@link LongAdder} increment.
 */
public final class Rejections {
    private static final Logger log = LoggerFactory.getLogger(Rejections.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** Counts one refusal by the limit; {@code reason} is what the client was told, logged at most once a minute. */
    public void record(String limit, String reason) {
        Counter counter = counters.computeIfAbsent(limit, name -> new Counter());
        counter.count.increment();
        long now = System.nanoTime();
        long last = counter.lastLogged.get();
        if ((last == Long.MIN_VALUE || now - last >= LOG_INTERVAL_NANOS) && counter.lastLogged.compareAndSet(last, now)) {
            log.warn("Refused a request at the limit {} ({} refused so far; the next refusals of this limit are only "
                    + "counted for a minute): {}", limit, counter.count.sum(), reason);
        }
    }

    /** The refusals of one limit so far. */
    public long count(String limit) {
        Counter counter = counters.get(limit);
        return counter == null ? 0 : counter.count.sum();
    }

    /** The refusals so far of every limit that refused anything, by limit name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> counts = new TreeMap<>();
        counters.forEach((limit, counter) -> counts.put(limit, counter.count.sum()));
        return counts;
    }

    /** One limit's count and when it was last logged. */
    private static final class Counter {
        final LongAdder count = new LongAdder();
        final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    }
}
