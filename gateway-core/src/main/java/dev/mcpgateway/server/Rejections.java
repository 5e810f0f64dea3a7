package dev.mcpgateway.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
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
    /** Where each limit's count is published as {@code mcp.gateway.rejections}, once bound; else null. */
    private volatile MeterRegistry registry;

    /** Counts one refusal by the limit; {@code reason} is what the client was told, logged at most once a minute. */
    public void record(String limit, String reason) {
        Counter counter = counters.computeIfAbsent(limit, name -> publish(name, new Counter()));
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

    /**
     * Publishes every limit's count in the registry, as counter {@code mcp.gateway.rejections} tagged {@code limit}:
     * the limits that refused already and each one that refuses later. The MCP server binds it when its gateway
     * records metrics.
     */
    public void bindTo(MeterRegistry meters) {
        this.registry = meters;
        counters.forEach(this::publish);
    }

    private Counter publish(String limit, Counter counter) {
        MeterRegistry meters = registry;
        if (meters != null) {
            FunctionCounter.builder("mcp.gateway.rejections", counter.count, LongAdder::sum)
                    .description("Requests the server's limits and its front doors refused, by limit")
                    .tags("limit", limit).register(meters);
        }
        return counter;
    }

    /** One limit's count and when it was last logged. */
    private static final class Counter {
        final LongAdder count = new LongAdder();
        final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    }
}
