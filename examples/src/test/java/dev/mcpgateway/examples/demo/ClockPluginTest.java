package dev.mcpgateway.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.transport.http.HttpTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The clock demo plugin served over Streamable HTTP on loopback and reached through a gateway's HTTP transport. */
@Timeout(30)
class ClockPluginTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private ClockPlugin clock;
    private McpGateway gateway;

    @BeforeEach
    void start() throws Exception {
        clock = ClockPlugin.start("127.0.0.1", 0);
        gateway = McpGateway.builder()
                .config(GatewayConfig.builder().callTimeout(WAIT).build())
                .transport(new HttpTransport())
                .build();
        gateway.addPlugin(PluginManifest.builder("clock")
                .transport(TransportSpec.Http.of(clock.endpoint().toString()))
                .build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        try {
            gateway.close();
        } finally {
            clock.close();
        }
    }

    private CallToolResult call(String tool, ObjectNode arguments) throws Exception {
        return gateway.callTool("clock__" + tool, arguments).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void listensOnAnEphemeralLoopbackPortAndExposesItsTools() {
        URI endpoint = clock.endpoint();
        assertEquals("http", endpoint.getScheme());
        assertEquals("127.0.0.1", endpoint.getHost());
        assertTrue(endpoint.getPort() > 0, endpoint.toString());
        assertEquals("/mcp", endpoint.getPath());
        assertEquals(List.of("clock__add", "clock__now", "clock__sleep_ms"),
                gateway.listTools().stream().map(ExposedTool::exposedName).sorted().toList());
    }

    @Test
    void tellsTheTimeInUtcByDefaultAndInAGivenZone() throws Exception {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC);
        CallToolResult utc = call("now", Json.object());
        CallToolResult tokyo = call("now", Json.object().put("zone", "Asia/Tokyo"));
        OffsetDateTime after = OffsetDateTime.now(ZoneOffset.UTC);

        assertFalse(utc.isError(), utc.json().toString());
        OffsetDateTime utcTime = OffsetDateTime.parse(utc.firstText());
        assertEquals(ZoneOffset.UTC, utcTime.getOffset());
        assertFalse(utcTime.isBefore(before) || utcTime.isAfter(after), utcTime + " not within the call");
        assertEquals("UTC", utc.structuredContent().path("zone").asText());

        OffsetDateTime tokyoTime = OffsetDateTime.parse(tokyo.firstText());
        assertEquals(ZoneOffset.ofHours(9), tokyoTime.getOffset()); // Japan keeps no daylight saving time
        assertFalse(tokyoTime.isBefore(before) || tokyoTime.isAfter(after), tokyoTime + " not within the call");
    }

    @Test
    void answersABadZoneWithAToolErrorNamingValidOnes() throws Exception {
        CallToolResult bad = call("now", Json.object().put("zone", "Mars/Olympus"));

        assertTrue(bad.isError());
        assertEquals("unknown time zone 'Mars/Olympus'; use an IANA zone id such as UTC, Europe/Paris, "
                + "America/New_York or Asia/Tokyo, or an offset such as +02:00", bad.firstText());
    }

    @Test
    void addsExactly() throws Exception {
        assertEquals("5", call("add", Json.object().put("a", 2).put("b", 3)).firstText());
        assertEquals("0.3", call("add", Json.object().put("a", 0.1).put("b", 0.2)).firstText());
        assertEquals("-1.5", call("add", Json.object().put("a", -4).put("b", 2.5)).firstText());

        CallToolResult bad = call("add", Json.object().put("a", "two").put("b", 3));
        assertTrue(bad.isError());
        assertEquals("add needs two numbers, a and b, e.g. {\"a\": 2, \"b\": 3}; got a=\"two\", b=3", bad.firstText());
    }

    @Test
    void sleepsReportingProgressAndRefusesTooLongASleep() throws Exception {
        List<JsonNode> progress = new CopyOnWriteArrayList<>();
        CallToolResult slept = gateway.callTool(ToolCall.of("clock__sleep_ms", Json.object().put("ms", 20))
                .withProgress(progress::add)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertEquals("slept 20 ms", slept.firstText());
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0),
                progress.stream().map(report -> report.path("progress").asDouble()).toList());
        assertEquals("20 of 20 ms", progress.getLast().path("message").asText());

        CallToolResult tooLong = call("sleep_ms", Json.object().put("ms", ClockPlugin.MAX_SLEEP_MS + 1));
        assertTrue(tooLong.isError());
        assertEquals("ms must be an integer from 0 to 10000, got 10001", tooLong.firstText());
    }

    @Test
    void saysSoWhenItsPortIsTaken() {
        UncheckedIOException taken = assertThrows(UncheckedIOException.class,
                () -> ClockPlugin.start("127.0.0.1", clock.endpoint().getPort()));
        assertEquals("cannot listen on 127.0.0.1:" + clock.endpoint().getPort() + "; pick another port",
                taken.getMessage());
    }

    @Test
    void mainSaysWhereItListensOnStderrAndStopsOnSigterm() throws Exception {
        List<String> command = DemoProcesses.command(ClockPlugin.class);
        command.addAll(List.of("--port", "0"));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader stderr = process.errorReader(StandardCharsets.UTF_8)) {
            // Log lines may come first; the announcement is the line the runner and readers look for.
            String line;
            do {
                line = stderr.readLine();
            } while (line != null && !line.startsWith("Clock plugin listening on "));
            assertTrue(line != null && line.matches("Clock plugin listening on http://127\\.0\\.0\\.1:\\d+/mcp"),
                    String.valueOf(line));
            process.destroy();
            assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "SIGTERM must stop the clock plugin");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void releasesItsPortWhenClosed() {
        InetSocketAddress address = new InetSocketAddress(clock.endpoint().getHost(), clock.endpoint().getPort());
        clock.close();

        assertThrows(IOException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(address, 2_000);
            }
        });
    }
}
