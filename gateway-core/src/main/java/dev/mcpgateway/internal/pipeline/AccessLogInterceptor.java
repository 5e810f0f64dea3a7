package dev.mcpgateway.internal.pipeline;

import dev.mcpgateway.ToolCall;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.internal.LastInstance;
import dev.mcpgateway.internal.ToolCallPlumbing;
import dev.mcpgateway.internal.logging.Logfmt;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.AccessLogOptions;
import dev.mcpgateway.pipeline.CallInterceptor;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log ({@link AccessLogOptions}): the outermost call interceptor, so a line tells what the client saw —
 * refusals by the limits, retries and all — and how long it took. It writes what identifies a call and never what it
 * carries: no arguments, no results, no tokens.
 */
public final class AccessLogInterceptor implements CallInterceptor {
    private static final Logger log = LoggerFactory.getLogger(AccessLogOptions.LOGGER);

    private final double sampleRate;
    private final DoubleSupplier random;
    private final Function<String, String> pluginOf;
    private final LongSupplier nanoTime;

    /**
     * @param options  how many calls are logged
     * @param random   draws a number in [0, 1) per call, to sample (injected so tests decide)
     * @param pluginOf the plugin an instance belongs to, by instance id (null when it is gone)
     * @param nanoTime the clock durations are measured on
     */
    public AccessLogInterceptor(AccessLogOptions options, DoubleSupplier random, Function<String, String> pluginOf,
                                LongSupplier nanoTime) {
        this.sampleRate = options.sampleRate();
        this.random = random;
        this.pluginOf = pluginOf;
        this.nanoTime = nanoTime;
    }

    @Override
    public CompletableFuture<CallToolResult> intercept(Chain chain) {
        ToolCall call = chain.call();
        if (!(random.getAsDouble() < sampleRate) || !log.isInfoEnabled()) {
            return chain.proceed(call);
        }
        long start = nanoTime.getAsLong();
        LastInstance servedBy = new LastInstance(call);
        CompletableFuture<CallToolResult> outcome = chain.proceed(ToolCallPlumbing.onRouted(call, servedBy));
        outcome.whenComplete((result, error) -> log.info(line(call, servedBy.instance(),
                CallOutcome.of(result, error).tag(), (nanoTime.getAsLong() - start) / 1_000_000)));
        return outcome;
    }

    private String line(ToolCall call, String instance, String outcome, long millis) {
        Principal principal = call.principal();
        String session = call.client() instanceof SessionBound bound ? bound.sessionId() : null;
        return new Logfmt()
                .field("tool", call.name())
                .field("plugin", instance == null ? null : pluginOf.apply(instance))
                .field("instance", instance)
                .field("client", principal == null ? null : principal.subject())
                .field("session", session)
                .field("outcome", outcome)
                .field("duration_ms", Long.toString(millis))
                .field("trace_id", call.trace() == null ? null : call.trace().traceId())
                .toString();
    }
}
