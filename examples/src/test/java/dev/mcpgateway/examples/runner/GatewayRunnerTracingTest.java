package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.mcpgateway.examples.demo.ClockPlugin;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner's {@code tracing:} section end to end: a tool call through the real front door carrying a
 * {@code traceparent} header, exported as OTLP/HTTP protobuf to a collector listening on loopback; and the section's
 * checks and environment variables.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GatewayRunnerTracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final GatewayRunner.Options OPTIONS =
            new GatewayRunner.Options(false, Duration.ofSeconds(20), List.of());

    private final HttpClient http = HttpClient.newHttpClient();
    /** The bodies the collector received, with their content types. */
    private final List<byte[]> exported = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private HttpServer collector;
    private ClockPlugin clock;

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.stop(0);
        }
        if (clock != null) {
            clock.close();
        }
    }

    private String startCollector() throws Exception {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            try (exchange) {
                contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                exported.add(exchange.getRequestBody().readAllBytes());
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
        });
        collector.start();
        return "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces";
    }

    private HttpResponse<String> post(GatewayRunner runner, String session, String body, String traceparent)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + runner.endpoint().getAuthority()
                        + "/mcp")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25");
        }
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void aCallThroughTheFrontDoorIsExportedOverOtlpUnderTheClientsTrace() throws Exception {
        String endpoint = startCollector();
        clock = ClockPlugin.start("127.0.0.1", 0);
        RunnerConfig config = RunnerConfig.defaults().withServer(RunnerConfig.Server.at("127.0.0.1", 0))
                .withPlugins(List.of(RunnerConfig.Plugin.http("clock", clock.endpoint(), Map.of())))
                .withTracing(new TracingConfig(endpoint, null, "gateway-under-test"));

        try (GatewayRunner runner = GatewayRunner.start(config, OPTIONS)) {
            String session = post(runner, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                    + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\","
                    + "\"version\":\"1\"}}}", null).headers().firstValue("Mcp-Session-Id").orElseThrow();
            HttpResponse<String> called = post(runner, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":"
                    + "\"tools/call\",\"params\":{\"name\":\"clock__add\",\"arguments\":{\"a\":2,\"b\":3}}}",
                    "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01");
            assertEquals(200, called.statusCode(), called.body());
            assertFalse(called.body().contains("\"error\""), called.body());
        } // closing the runner flushes the spans still queued

        assertFalse(exported.isEmpty(), "the collector received the spans");
        assertTrue(contentTypes.stream().allMatch("application/x-protobuf"::equals), contentTypes.toString());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        exported.forEach(all::writeBytes);
        byte[] body = all.toByteArray();
        assertTrue(contains(body, HexFormat.of().parseHex(TRACE_ID)), "the client's trace id");
        assertTrue(contains(body, HexFormat.of().parseHex(CLIENT_SPAN)), "the client's span as the parent");
        assertTrue(contains(body, "tools/call clock__add".getBytes(StandardCharsets.UTF_8)), "the span's name");
        assertTrue(contains(body, "gateway-under-test".getBytes(StandardCharsets.UTF_8)), "the service name");
    }

    @Test
    void theSectionIsCheckedAndReadFromOpenTelemetrysVariables() {
        assertFalse(RunnerConfig.defaults().tracing().enabled(), "off by default");
        RunnerConfig fromEnv = ConfigLoader.fromEnvironment(Map.of(
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces",
                "OTEL_SERVICE_NAME", "edge-gateway"));
        assertEquals(new TracingConfig("http://collector:4318/v1/traces", 1.0, "edge-gateway"), fromEnv.tracing());

        ConfigException notHttp = assertThrows(ConfigException.class, () -> ConfigLoader.parse("t.yaml",
                "tracing:\n  otlpEndpoint: collector:4318\n", Map.of()));
        assertTrue(notHttp.getMessage().contains("tracing.otlpEndpoint must be an http(s) URL"), notHttp.getMessage());
        ConfigException ratio = assertThrows(ConfigException.class, () -> ConfigLoader.parse("t.yaml",
                "tracing:\n  otlpEndpoint: http://c:4318/v1/traces\n  sampleRatio: 2\n", Map.of()));
        assertTrue(ratio.getMessage().contains("tracing.sampleRatio must be between 0 and 1"), ratio.getMessage());
    }
}
