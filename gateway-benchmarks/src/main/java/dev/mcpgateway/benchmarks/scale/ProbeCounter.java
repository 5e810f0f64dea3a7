package dev.mcpgateway.benchmarks.scale;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.mcp.Implementation;
import dev.mcpgateway.mcp.ServerCapabilities;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.Transport;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Wraps a transport so that the health probes the gateway's own monitor sends over its connections ({@code ping},
 * {@code server/discover}) are counted and timed where they leave the gateway, without changing them: the benchmark
 * measures the real monitor, and needs to know how many probes it sent in a window.
 */
final class ProbeCounter {
    private static final Set<String> PROBE_METHODS = Set.of("ping", "server/discover");

    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Set<String> methods = ConcurrentHashMap.newKeySet();
    private Histogram latencyNanos = Measure.nanosHistogram();

    /** The transport, its connections' probes counted here. */
    Transport counting(Transport transport) {
        return new Transport() {
            @Override
            public String type() {
                return transport.type();
            }

            @Override
            public CompletableFuture<PluginConnection> connect(PluginInstance instance, ConnectionContext context) {
                return transport.connect(instance, context).thenApply(Counted::new);
            }

            @Override
            public void close() {
                transport.close();
            }
        };
    }

    /** What was counted since the last reset. */
    synchronized Window snapshot() {
        return new Window(succeeded.sum() + failed.sum(), succeeded.sum(), failed.sum(), latencyNanos.copy(),
                Set.copyOf(methods));
    }

    /** Starts counting afresh (probes in flight are counted when they settle). */
    synchronized void reset() {
        succeeded.reset();
        failed.reset();
        latencyNanos = Measure.nanosHistogram();
    }

    private synchronized void record(long sentAt, Throwable error) {
        if (error == null) {
            Measure.recordSince(latencyNanos, sentAt);
            succeeded.increment();
        } else {
            failed.increment();
        }
    }

    /**
     * Probes counted in a window.
     *
     * @param sent         probes that settled (answered or failed)
     * @param succeeded    probes answered
     * @param failed       probes that failed (timeout, no connection, error answer)
     * @param latencyNanos time to answer, answered probes only
     * @param methods      the MCP methods the monitor probed with
     */
    record Window(long sent, long succeeded, long failed, Histogram latencyNanos, Set<String> methods) {
    }

    /** A connection whose probes are counted; everything else passes straight through. */
    private final class Counted implements PluginConnection {
        private final PluginConnection connection;

        Counted(PluginConnection connection) {
            this.connection = connection;
        }

        @Override
        public CompletableFuture<JsonNode> request(String method, JsonNode params, CallOptions options) {
            if (!PROBE_METHODS.contains(method)) {
                return connection.request(method, params, options);
            }
            methods.add(method);
            long sentAt = System.nanoTime();
            return connection.request(method, params, options).whenComplete((result, error) -> record(sentAt, error));
        }

        @Override
        public void notify(String method, JsonNode params) {
            connection.notify(method, params);
        }

        @Override
        public String protocolVersion() {
            return connection.protocolVersion();
        }

        @Override
        public ServerCapabilities capabilities() {
            return connection.capabilities();
        }

        @Override
        public Implementation serverInfo() {
            return connection.serverInfo();
        }

        @Override
        public boolean isOpen() {
            return connection.isOpen();
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
