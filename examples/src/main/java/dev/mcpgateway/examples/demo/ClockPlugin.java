package dev.mcpgateway.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.inprocess.ToolContext;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A demo MCP server over Streamable HTTP, built with the gateway itself. Its tools: {@code now {zone?}} (the time in
 * ISO-8601), {@code add {a, b}} (exact decimal sum) and {@code sleep_ms {ms}} (waits, reporting progress; at most
 * {@value #MAX_SLEEP_MS} ms).
 */
public final class ClockPlugin implements AutoCloseable {
    /** The port {@link #main} listens on without {@code --port}. */
    public static final int DEFAULT_PORT = 8081;
    /** The longest {@code sleep_ms} accepts. */
    public static final long MAX_SLEEP_MS = 10_000;

    // sleep_ms reports progress this many times.
    private static final int SLEEP_STEPS = 10;

    private final McpGateway gateway;
    private final McpServer server;
    private final McpHttpServer http;

    private ClockPlugin(McpGateway gateway, McpServer server, McpHttpServer http) {
        this.gateway = gateway;
        this.server = server;
        this.http = http;
    }

    /**
     * Starts the clock plugin's MCP endpoint on {@code host} and {@code port} (0 picks a free port).
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static ClockPlugin start(String host, int port) {
        McpGateway gateway = DemoServers.gatewayServing(plugin());
        McpServer server = McpServer.create(gateway);
        boolean started = false;
        try {
            ClockPlugin clock = new ClockPlugin(gateway, server,
                    McpHttpServer.start(server, HttpFrontDoorOptions.builder().host(host).port(port).build()));
            started = true;
            return clock;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + "; pick another port", e);
        } finally {
            if (!started) {
                server.close();
                gateway.close();
            }
        }
    }

    /**
     * Serves on 127.0.0.1 ({@code --port N}, default {@value #DEFAULT_PORT}) until the process is stopped, and
     * says where on stderr.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = parsePort(args);
        ClockPlugin clock = start("127.0.0.1", port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            clock.close();
            stopped.countDown();
        }, "clock-plugin-shutdown"));
        System.err.println("Clock plugin listening on " + clock.endpoint());
        stopped.await();
    }

    /** The plugin's tools as an in-process plugin named {@code clock}. */
    public static InProcessPlugin plugin() {
        return InProcessPlugin.builder("clock").version("1.0.0")
                .tool(Tool.builder("now")
                        .description("The current time in ISO-8601, in a time zone (default UTC)")
                        .inputSchema(DemoServers.property(DemoServers.objectSchema(), "zone", "string",
                                "an IANA time zone such as Europe/Paris (default UTC)"))
                        .build(), (arguments, context) -> now(arguments))
                .tool(Tool.builder("add")
                        .description("Adds two numbers exactly")
                        .inputSchema(DemoServers.property(DemoServers.property(DemoServers.objectSchema("a", "b"),
                                "a", "number", "the first addend"), "b", "number", "the second addend"))
                        .build(), (arguments, context) -> add(arguments))
                .tool(Tool.builder("sleep_ms")
                        .description("Waits ms milliseconds (at most " + MAX_SLEEP_MS + "), reporting progress")
                        .inputSchema(DemoServers.property(DemoServers.objectSchema("ms"), "ms", "integer",
                                "how long to wait, 0 to " + MAX_SLEEP_MS))
                        .build(), ClockPlugin::sleep)
                .build();
    }

    /** The MCP endpoint clients connect to, e.g. {@code http://127.0.0.1:8081/mcp}. */
    public URI endpoint() {
        return http.endpoint();
    }

    /** Stops serving and releases the port. */
    @Override
    public void close() {
        try {
            http.close();
        } finally {
            server.close();
            gateway.close();
        }
    }

    private static CallToolResult now(JsonNode arguments) {
        String zoneName = arguments.path("zone").asText("UTC");
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            return CallToolResult.error("unknown time zone '" + zoneName + "'; use an IANA zone id such as UTC, "
                    + "Europe/Paris, America/New_York or Asia/Tokyo, or an offset such as +02:00");
        }
        ZonedDateTime time = ZonedDateTime.now(zone);
        String iso = time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return CallToolResult.structured(iso, Json.object().put("zone", zone.getId()).put("iso", iso));
    }

    private static CallToolResult add(JsonNode arguments) {
        JsonNode a = arguments.path("a");
        JsonNode b = arguments.path("b");
        if (!a.isNumber() || !b.isNumber()) {
            return CallToolResult.error("add needs two numbers, a and b, e.g. {\"a\": 2, \"b\": 3}; got a=" + a
                    + ", b=" + b);
        }
        BigDecimal sum = a.decimalValue().add(b.decimalValue());
        return CallToolResult.structured(sum.toPlainString(), Json.object().put("sum", sum));
    }

    private static CallToolResult sleep(JsonNode arguments, ToolContext context) throws InterruptedException {
        JsonNode ms = arguments.path("ms");
        if (!ms.canConvertToLong() || !ms.isIntegralNumber() || ms.asLong() < 0 || ms.asLong() > MAX_SLEEP_MS) {
            return CallToolResult.error("ms must be an integer from 0 to " + MAX_SLEEP_MS + ", got " + ms);
        }
        long total = ms.asLong();
        long start = System.nanoTime();
        for (int step = 1; step <= SLEEP_STEPS; step++) {
            long until = start + TimeUnit.MILLISECONDS.toNanos(total * step / SLEEP_STEPS);
            long wait = until - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (context.isCancelled()) {
                return CallToolResult.error("sleep_ms was cancelled after " + total * (step - 1) / SLEEP_STEPS + " ms");
            }
            context.progress(step, (double) SLEEP_STEPS, total * step / SLEEP_STEPS + " of " + total + " ms");
        }
        return CallToolResult.text("slept " + total + " ms");
    }

    private static int parsePort(String[] args) {
        if (args.length == 0) {
            return DEFAULT_PORT;
        }
        if (args.length == 2 && args[0].equals("--port")) {
            try {
                int port = Integer.parseInt(args[1]);
                if (port >= 0 && port <= 65_535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below with the usage
            }
        }
        throw new IllegalArgumentException("usage: ClockPlugin [--port N] with N from 0 to 65535 (default "
                + DEFAULT_PORT + "); got " + String.join(" ", args));
    }
}
