package dev.mcpgateway.internal.metrics;

import dev.mcpgateway.ToolCall;
import dev.mcpgateway.internal.LastInstance;
import dev.mcpgateway.internal.ToolCallPlumbing;
import dev.mcpgateway.internal.pipeline.CallOutcome;
import dev.mcpgateway.internal.pipeline.Recorded;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.metrics.MetricsOptions;
import dev.mcpgateway.pipeline.CallInterceptor;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.routing.ToolRoute;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The outermost call interceptor: times every tool call, from before the host's interceptors to its outcome, into
 * {@code mcp.tool.calls} tagged by plugin, tool, instance (the last attempt's) and outcome. The timers are resolved
 * once per tool, instance and outcome and kept, so a call costs two map lookups and one recording, never building
 * tags. Tools get their own tag up to {@link MetricsOptions#maxToolTags()}; the rest, and names no plugin serves
 * (which a client may invent at will), share {@code tool="other"}, so the series stay bounded.
 */
final class ToolCallMeters implements CallInterceptor {
    static final String NAME = "mcp.tool.calls";
    static final String OTHER = "other";
    static final String UNKNOWN = "unknown";
    /** The instance tag of a call that reached no instance. */
    static final String NO_INSTANCE = "none";

    private final MeterRegistry registry;
    private final MetricsOptions options;
    private final double[] percentiles;
    private final Supplier<RoutingTable> table;
    private final ConcurrentHashMap<String, ToolMeters> tools = new ConcurrentHashMap<>();
    private final ToolMeters other = new ToolMeters(OTHER);

    ToolCallMeters(MeterRegistry registry, MetricsOptions options, Supplier<RoutingTable> table) {
        this.registry = registry;
        this.options = options;
        this.percentiles = options.percentiles().stream().mapToDouble(Double::doubleValue).toArray();
        this.table = table;
    }

    @Override
    public CompletableFuture<CallToolResult> intercept(Chain chain) {
        ToolCall call = chain.call();
        CallRecord record = new CallRecord(call, System.nanoTime());
        CompletableFuture<CallToolResult> outcome;
        try {
            outcome = chain.proceed(ToolCallPlumbing.onRouted(call, record));
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        return Recorded.after(outcome, record);
    }

    /** How many tools have a tag of their own (for tests of the cap). */
    int toolTags() {
        return tools.size();
    }

    /** The tag of a tool's name: its own up to the cap, else {@code other}; the MCP server's timer shares it. */
    String toolTag(String name) {
        return tool(name).tag;
    }

    /** Forgets an instance that left, and removes its series: instance ids come and go, series must not pile up. */
    void forgetInstance(String instanceId) {
        other.forget(instanceId);
        tools.values().forEach(tool -> tool.forget(instanceId));
    }

    /** The meters of a tool: its own, or the shared {@code other} ones beyond the cap and for unknown names. */
    private ToolMeters tool(String name) {
        ToolMeters tool = tools.get(name);
        if (tool != null) {
            return tool;
        }
        if (tools.size() >= options.maxToolTags() || table.get().routeByExposedName(name) == null) {
            return other;
        }
        synchronized (tools) { // only the first call of each tool gets here
            tool = tools.get(name);
            if (tool == null) {
                if (tools.size() >= options.maxToolTags()) {
                    return other;
                }
                tool = new ToolMeters(name);
                tools.put(name, tool);
            }
            return tool;
        }
    }

    private Timer timer(String plugin, String tool, String instance, CallOutcome outcome) {
        return Timer.builder(NAME)
                .description("Tool calls through the gateway, by plugin, tool, instance and outcome")
                .tags("plugin", plugin, "tool", tool, "instance", instance, "outcome", outcome.tag())
                .publishPercentiles(percentiles)
                .publishPercentileHistogram(options.histogram())
                .register(registry);
    }

    /** A tool's timers, by the instance that served the call, or by plugin for calls that reached none. */
    private final class ToolMeters {
        final String tag;
        final ConcurrentHashMap<String, Meters> byInstance = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, Meters> unsent = new ConcurrentHashMap<>();

        ToolMeters(String tag) {
            this.tag = tag;
        }

        Meters of(String callName, String instanceId) {
            if (instanceId != null) {
                Meters meters = byInstance.get(instanceId);
                return meters != null ? meters : byInstance.computeIfAbsent(instanceId,
                        id -> new Meters(pluginOf(table.get().instances().get(id)), tag, id));
            }
            // Only calls that failed before routing get here; they may pay for a look at the routing table.
            ToolRoute route = table.get().routeByExposedName(callName);
            String plugin = route == null || route.endpoints().isEmpty() ? UNKNOWN
                    : route.endpoints().getFirst().instance().pluginName();
            Meters meters = unsent.get(plugin);
            return meters != null ? meters : unsent.computeIfAbsent(plugin, p -> new Meters(p, tag, NO_INSTANCE));
        }

        void forget(String instanceId) {
            Meters meters = byInstance.remove(instanceId);
            if (meters != null) {
                meters.remove();
            }
        }
    }

    private static String pluginOf(PluginInstance instance) {
        return instance == null ? UNKNOWN : instance.pluginName();
    }

    /** The timers of one plugin, tool and instance, one per outcome, each registered when first needed. */
    private final class Meters {
        final String plugin;
        final String tool;
        final String instance;
        final Timer[] timers = new Timer[CallOutcome.ALL.length];

        Meters(String plugin, String tool, String instance) {
            this.plugin = plugin;
            this.tool = tool;
            this.instance = instance;
        }

        Timer timer(CallOutcome outcome) {
            Timer timer = timers[outcome.ordinal()];
            if (timer == null) {
                // Racing calls may both register: the registry hands both the same timer.
                timer = ToolCallMeters.this.timer(plugin, tool, instance, outcome);
                timers[outcome.ordinal()] = timer;
            }
            return timer;
        }

        void remove() {
            for (Timer timer : timers) {
                if (timer != null) {
                    registry.remove(timer);
                }
            }
        }
    }

    /** One call: when it began, the instance its last attempt went to, and the recording of its outcome. */
    private final class CallRecord extends LastInstance implements BiConsumer<CallToolResult, Throwable> {
        private final String name;
        private final long startNanos;

        CallRecord(ToolCall call, long startNanos) {
            super(call);
            this.name = call.name();
            this.startNanos = startNanos;
        }

        @Override
        public void accept(CallToolResult result, Throwable error) {
            tool(name).of(name, instance()).timer(CallOutcome.of(result, error))
                    .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }
}
