package dev.mcpgateway.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.CallInterceptor;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry bridge as a host wires it: Micrometer Tracing's OpenTelemetry bridge on an
 * {@link ObservationRegistry} given to the gateway, the OpenTelemetry SDK exporting the spans. Each tool call is a
 * SERVER span under the caller's trace and a CLIENT span under it, whose context is what the plugin receives.
 */
class OpenTelemetryBridgeTest {
    private static final String CLIENT_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    /** The trace context each attempt carried to its plugin. */
    private final List<TraceContext> sentToPlugin = new CopyOnWriteArrayList<>();
    private McpGateway gateway;

    @AfterEach
    void close() {
        gateway.close();
        provider.close();
    }

    private ObservationRegistry tracing() {
        ContextPropagators propagators = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
        io.opentelemetry.api.trace.Tracer otel = provider.get("mcp-gateway-test");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        OtelTracer tracer = new OtelTracer(otel, current, event -> { },
                new OtelBaggageManager(current, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(propagators, otel);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
        return registry;
    }

    private void start(ObservationRegistry observations) {
        CallInterceptor recordTrace = chain -> {
            sentToPlugin.add(chain.call().trace());
            return chain.proceed(chain.call());
        };
        gateway = McpGateway.builder().observationRegistry(observations).attemptInterceptor(recordTrace).build();
        gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds", (args, ctx) -> CallToolResult.text(String.valueOf(args.path("a").asInt()
                        + args.path("b").asInt())))
                .build()).join();
    }

    private SpanData span(SpanKind kind) {
        List<SpanData> spans = exported.getFinishedSpanItems().stream().filter(s -> s.getKind() == kind).toList();
        assertEquals(1, spans.size(), "one " + kind + " span: " + exported.getFinishedSpanItems());
        return spans.getFirst();
    }

    @Test
    void aCallIsAServerSpanUnderTheCallersTraceAndAClientSpanThePluginHangsUnder() {
        start(tracing());

        CallToolResult result = gateway.callTool(ToolCall.of("calc__add", Json.object().put("a", 1).put("b", 2))
                .withTrace(TraceContext.parse(CLIENT_TRACEPARENT, "vendor=abc"))).join();

        assertEquals("3", result.firstText());
        SpanData server = span(SpanKind.SERVER);
        SpanData client = span(SpanKind.CLIENT);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", server.getTraceId(), "the caller's trace");
        assertEquals("00f067aa0ba902b7", server.getParentSpanId(), "under the caller's span");
        assertEquals(server.getSpanId(), client.getParentSpanId());
        assertEquals(server.getTraceId(), client.getTraceId());
        assertEquals("tools/call calc__add", server.getName(), "the MCP conventions' {method} {target}");
        assertEquals("tools/call calc__add", client.getName());
        assertEquals("tools/call", server.getAttributes().get(AttributeKey.stringKey("mcp.method.name")));
        assertEquals("calc__add", server.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name")));
        assertEquals("execute_tool", client.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")));
        assertEquals("success", client.getAttributes().get(AttributeKey.stringKey("outcome")));
        assertEquals("calc", client.getAttributes().get(AttributeKey.stringKey("mcp.gateway.plugin")));
        assertTrue(client.getAttributes().get(AttributeKey.stringKey("mcp.gateway.instance")).startsWith("calc-"));

        TraceContext plugin = sentToPlugin.getFirst();
        assertEquals(client.getTraceId(), plugin.traceId());
        assertEquals(client.getSpanId(), plugin.parentId(), "the plugin's parent is the gateway's CLIENT span");
        assertTrue(plugin.sampled());
    }

    @Test
    void aCallWithoutTraceContextStartsATraceThePluginJoins() {
        start(tracing());

        gateway.callTool("calc__add", Json.object().put("a", 2).put("b", 2)).join();

        SpanData server = span(SpanKind.SERVER);
        assertFalse(server.getParentSpanContext().isValid(), "a root span");
        assertEquals(server.getTraceId(), sentToPlugin.getFirst().traceId());
        assertEquals(span(SpanKind.CLIENT).getSpanId(), sentToPlugin.getFirst().parentId());
    }

    @Test
    void aFailedCallEndsBothSpansWithTheErrorAndItsOutcome() {
        start(tracing());

        CompletionException failed = assertThrows(CompletionException.class,
                () -> gateway.callTool("calc__nope", Json.object()).join());

        assertNotNull(failed.getCause());
        for (SpanData span : List.of(span(SpanKind.SERVER), span(SpanKind.CLIENT))) {
            assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode(), span.toString());
            assertEquals("no_route", span.getAttributes().get(AttributeKey.stringKey("outcome")));
            assertEquals("none", span.getAttributes().get(AttributeKey.stringKey("mcp.gateway.instance")));
        }
    }

    @Test
    void aRegistryWithoutTracingTimesCallsAndTheGatewayKeepsItsOwnSpan() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        start(observations);

        gateway.callTool(ToolCall.of("calc__add", Json.object().put("a", 1).put("b", 1))
                .withTrace(TraceContext.parse(CLIENT_TRACEPARENT, null))).join();

        Timer served = meters.find("mcp.gateway.tool.call").tag("outcome", "success").tag("mcp.gateway.plugin", "calc")
                .timer();
        assertNotNull(served, meters.getMetersAsString());
        assertEquals(1, served.count());
        assertEquals(1, meters.find("mcp.gateway.tool.call.upstream").timer().count());
        assertTrue(meters.find("mcp.gateway.tool.call").tag("gen_ai.tool.name", "calc__add").timers().isEmpty(),
                "the tool is a high-cardinality value, no tag of the timer");
        TraceContext plugin = sentToPlugin.getFirst();
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", plugin.traceId(), "no tracer wrote one: the gateway's own");
        assertNotEquals("00f067aa0ba902b7", plugin.parentId());
    }
}
