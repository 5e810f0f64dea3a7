package dev.mcpgateway.internal.trace;

import dev.mcpgateway.ToolCall;
import dev.mcpgateway.internal.LastInstance;
import dev.mcpgateway.internal.ToolCallPlumbing;
import dev.mcpgateway.internal.pipeline.CallOutcome;
import dev.mcpgateway.internal.pipeline.Recorded;
import dev.mcpgateway.internal.pipeline.SessionBound;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.trace.TraceContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.micrometer.observation.transport.RequestReplySenderContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Reports tool calls to the host's Micrometer {@link ObservationRegistry}, the bridge to OpenTelemetry (or Brave)
 * through Micrometer Tracing, so the core depends on no tracer. Each call is two observations, as the OpenTelemetry
 * semantic conventions for MCP model a hop: the gateway receiving the call ({@value #SERVER}, a SERVER span whose
 * parent is the caller's {@code traceparent}) and the gateway calling the plugin ({@value #CLIENT}, a CLIENT span under
 * it). The plugin's parent is the CLIENT span: its context, as the host's propagator writes it, becomes the call's
 * {@link ToolCall#trace()}. A registry with no tracing handler writes none; the call then gets the gateway's own span
 * as it does without a registry.
 */
public final class ObservedCalls {
    /** The observation of the gateway serving a tool call. */
    public static final String SERVER = "mcp.gateway.tool.call";
    /** The observation of the gateway sending a tool call to its plugin (retries included). */
    public static final String CLIENT = "mcp.gateway.tool.call.upstream";

    private final ObservationRegistry registry;
    private final UnaryOperator<ToolCall> ownSpan;
    private final Function<String, String> pluginOf;

    /**
     * @param ownSpan  gives a call the gateway's own span, for when no tracer wrote one
     * @param pluginOf the plugin of an instance id, or null when it is gone
     */
    public ObservedCalls(ObservationRegistry registry, UnaryOperator<ToolCall> ownSpan,
                         Function<String, String> pluginOf) {
        this.registry = registry;
        this.ownSpan = ownSpan;
        this.pluginOf = pluginOf;
    }

    /** Runs the call (already in its span, see {@link ToolCall#trace()}) inside the two observations. */
    public CompletableFuture<CallToolResult> observe(ToolCall caller,
                                                     Function<ToolCall, CompletableFuture<CallToolResult>> run) {
        String name = "tools/call " + caller.name();
        RequestReplyReceiverContext<ToolCall, CallToolResult> received =
                new RequestReplyReceiverContext<>(ObservedCalls::traceField);
        received.setCarrier(caller);
        Observation server = started(Observation.createNotStarted(SERVER, () -> received, registry), name, caller);

        Map<String, String> headers = new HashMap<>(4);
        RequestReplySenderContext<Map<String, String>, CallToolResult> sent =
                new RequestReplySenderContext<>((carrier, key, value) -> carrier.put(key, value));
        sent.setCarrier(headers);
        Observation client = started(Observation.createNotStarted(CLIENT, () -> sent, registry)
                .parentObservation(server), name, caller);

        TraceContext written = TraceContext.parse(headers.get(TraceContext.TRACEPARENT),
                headers.get(TraceContext.TRACESTATE));
        LastInstance servedBy = new LastInstance(caller);
        ToolCall call = ToolCallPlumbing.onRouted(written == null ? ownSpan.apply(caller) : caller.withTrace(written),
                servedBy);
        CompletableFuture<CallToolResult> outcome;
        try {
            outcome = run.apply(call);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        // Ended before the caller sees the outcome: its spans are complete once it has the result.
        return Recorded.after(outcome, (result, error) -> {
            String tag = CallOutcome.of(result, error).tag();
            String instance = servedBy.instance();
            String plugin = instance == null ? null : pluginOf.apply(instance);
            received.setResponse(result);
            sent.setResponse(result);
            if (plugin != null) {
                sent.setRemoteServiceName(plugin);
            }
            for (Observation observation : new Observation[] {client, server}) {
                observation.lowCardinalityKeyValue("outcome", tag)
                        .lowCardinalityKeyValue("mcp.gateway.plugin", plugin == null ? "none" : plugin)
                        .highCardinalityKeyValue("mcp.gateway.instance", instance == null ? "none" : instance);
                if (error != null) {
                    observation.error(error);
                }
                observation.stop();
            }
        });
    }

    /**
     * Names and tags an observation with the OpenTelemetry MCP conventions' attributes and starts it. The span's name
     * is the conventions' {@code {mcp.method.name} {target}}, e.g. {@code tools/call get_weather}; the tool is a high
     * cardinality value, so a meter handler does not tag a timer with it.
     */
    private static Observation started(Observation observation, String name, ToolCall call) {
        observation.contextualName(name)
                .lowCardinalityKeyValue("mcp.method.name", "tools/call")
                .lowCardinalityKeyValue("gen_ai.operation.name", "execute_tool")
                .highCardinalityKeyValue("gen_ai.tool.name", call.name());
        if (call.client() instanceof SessionBound bound && bound.sessionId() != null) {
            observation.highCardinalityKeyValue("mcp.session.id", bound.sessionId());
        }
        return observation.start();
    }

    /** What the host's propagator reads from the caller: its {@code traceparent} and {@code tracestate}. */
    private static String traceField(ToolCall call, String key) {
        TraceContext trace = call == null ? null : call.trace();
        if (trace == null) {
            return null;
        }
        return switch (key) {
            case TraceContext.TRACEPARENT -> trace.traceparent();
            case TraceContext.TRACESTATE -> trace.tracestate();
            default -> null;
        };
    }
}
