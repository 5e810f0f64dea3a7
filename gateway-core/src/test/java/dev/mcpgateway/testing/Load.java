package dev.mcpgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.internal.ToolCallPlumbing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Continuous load for the resilience tests: virtual threads calling one tool through a gateway back to back until
 * stopped, counting the calls, the client-visible errors (as their messages), the slowest call and which instance
 * served each call. Each call waits at most the given time, so a stuck call shows as an error, not a hung test.
 *
 * <pre>{@code
 * try (Load load = new Load(gateway, 6, "mini__echo", Json.object().put("text", "load"), WAIT)) {
 *     load.awaitCalls(200);
 *     // break something, watch load.errors
 * }
 * }</pre>
 */
public final class Load implements AutoCloseable {
    /** Calls made so far, successful or not. */
    public final AtomicLong calls = new AtomicLong();
    /** The message of every call that failed, in the order they failed. */
    public final List<String> errors = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> servedByInstance = new ConcurrentHashMap<>();
    private final LongAccumulator maxLatencyNanos = new LongAccumulator(Math::max, 0);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final McpGateway gateway;
    private final String tool;
    private final JsonNode arguments;
    private final Duration wait;

    /**
     * Starts the callers at once.
     *
     * @param callers   how many virtual threads call side by side
     * @param tool      the exposed tool name, e.g. {@code mini__echo}
     * @param arguments its arguments, the same for every call
     * @param wait      how long one call, and {@link #awaitCalls} or {@link #stop()}, may take
     */
    public Load(McpGateway gateway, int callers, String tool, JsonNode arguments, Duration wait) {
        this.gateway = gateway;
        this.tool = tool;
        this.arguments = arguments;
        this.wait = wait;
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofVirtual().name("load-" + i).start(this::callInALoop));
        }
    }

    private void callInALoop() {
        while (running.get()) {
            long startNanos = System.nanoTime();
            String[] servedBy = new String[1];
            try {
                gateway.callTool(ToolCallPlumbing.onRouted(ToolCall.of(tool, arguments), id -> servedBy[0] = id))
                        .get(wait.toMillis(), TimeUnit.MILLISECONDS);
                servedByInstance.computeIfAbsent(servedBy[0], id -> new AtomicLong()).incrementAndGet();
            } catch (Exception e) {
                errors.add(e.getCause() != null ? e.getCause().getMessage() : e.toString());
            }
            maxLatencyNanos.accumulate(System.nanoTime() - startNanos);
            calls.incrementAndGet();
        }
    }

    /** Waits until {@code count} calls were made in all. */
    public void awaitCalls(long count) {
        Await.until(count + " calls made", wait, () -> calls.get() >= count);
    }

    /** How many calls the instance answered successfully. */
    public long servedBy(String instanceId) {
        AtomicLong served = servedByInstance.get(instanceId);
        return served == null ? 0 : served.get();
    }

    /** The slowest call so far, in milliseconds. */
    public long maxLatencyMillis() {
        return TimeUnit.NANOSECONDS.toMillis(maxLatencyNanos.get());
    }

    /** Stops the callers and waits for the calls they have in flight. */
    public void stop() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
