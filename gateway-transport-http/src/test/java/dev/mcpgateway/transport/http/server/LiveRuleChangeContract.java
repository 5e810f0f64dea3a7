package dev.mcpgateway.transport.http.server;

import static dev.mcpgateway.transport.http.server.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.routing.ToolRoute;
import dev.mcpgateway.testing.Load;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The management API's promises under way, whichever server carries it: a plugin registered over HTTP is routable
 * the moment its {@code 201} arrives (with the end-to-end latency of 200 registrations printed, not asserted), and a
 * routing rule changed over HTTP while calls run re-routes them at once without failing one.
 */
@Timeout(120)
abstract class LiveRuleChangeContract extends ApiFixture {
    private static final Duration LOAD_WAIT = Duration.ofSeconds(30);
    private static final int REGISTRATIONS = 200;
    /** Calls per measured segment: with a random split at p, the share's standard deviation is under 1%. */
    private static final int CALLS_BEFORE = 2_000;
    private static final int CALLS_AFTER = 4_000;

    @Test
    void aRegisteredPluginIsRoutableWhenItsAnswerArrives() {
        long[] nanos = new long[REGISTRATIONS];
        for (int i = 0; i < REGISTRATIONS; i++) {
            String plugin = String.format(Locale.ROOT, "p%03d", i);
            long start = System.nanoTime();
            expect(201, api.send("POST", "api/v1/plugins", """
                    {"instanceId": "%s-1", "name": "%s", "version": "1.0.0",
                     "transport": {"type": "http", "url": "http://127.0.0.1:1/mcp"},
                     "tools": [{"name": "echo", "inputSchema": {"type": "object"}}]}""".formatted(plugin, plugin)));
            ToolRoute route = gateway.routingTable().routeByExposedName(plugin + "__echo");
            nanos[i] = System.nanoTime() - start;
            assertNotNull(route, plugin + "__echo is listed when the 201 arrives");
            assertTrue(route.isRoutable(), plugin + "__echo is routable when the 201 arrives");
            assertTrue(gateway.listTools().stream().anyMatch(tool -> tool.exposedName().equals(plugin + "__echo")));
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "[%s] register -> routable over HTTP, %d registrations: p50 %.2f ms, "
                        + "p95 %.2f ms, max %.2f ms%n", getClass().getSimpleName(), REGISTRATIONS,
                millis(nanos[REGISTRATIONS / 2]), millis(nanos[REGISTRATIONS * 95 / 100]),
                millis(nanos[REGISTRATIONS - 1]));
    }

    @Test
    void aRuleChangedUnderLoadReRoutesAtOnceWithoutAFailedCall() {
        for (String version : List.of("1.0.0", "2.0.0")) {
            expect(201, api.send("POST", "api/v1/plugins", """
                    {"instanceId": "weather-%s", "name": "weather", "version": "%s",
                     "transport": {"type": "http", "url": "http://127.0.0.1:1/mcp"},
                     "tools": [{"name": "echo", "inputSchema": {"type": "object"}}]}""".formatted(version, version)));
        }
        expect(201, api.send("PUT", "api/v1/rules/weather-canary", """
                {"match": "weather/*",
                 "targets": [{"weight": 90, "versions": "1.x"}, {"weight": 10, "versions": "2.x"}]}"""));

        try (Load load = new Load(gateway, 8, "weather__echo", Json.object().put("text", "load"), LOAD_WAIT)) {
            load.awaitCalls(CALLS_BEFORE);
            long v1Before = load.servedBy("weather-1.0.0");
            long v2Before = load.servedBy("weather-2.0.0");

            expect(200, api.send("PUT", "api/v1/rules/weather-canary", """
                    {"match": "weather/*",
                     "targets": [{"weight": 50, "versions": "1.x"}, {"weight": 50, "versions": "2.x"}]}"""));
            // Calls routed by the old table may still finish after this; a handful among thousands.
            long v1AtChange = load.servedBy("weather-1.0.0");
            long v2AtChange = load.servedBy("weather-2.0.0");
            load.awaitCalls(load.calls.get() + CALLS_AFTER);
            long v1After = load.servedBy("weather-1.0.0") - v1AtChange;
            long v2After = load.servedBy("weather-2.0.0") - v2AtChange;
            load.stop();

            double before = (double) v1Before / (v1Before + v2Before);
            double after = (double) v1After / (v1After + v2After);
            System.out.printf(Locale.ROOT, "[%s] live rule change under load: 1.x share %.3f of %d calls at 90/10, "
                            + "%.3f of %d calls after PUT 50/50, %d calls failed%n", getClass().getSimpleName(),
                    before, v1Before + v2Before, after, v1After + v2After, load.errors.size());
            assertEquals(List.of(), load.errors, "no call fails while the rule changes");
            assertTrue(Math.abs(before - 0.9) < 0.03, "90/10 before the change: " + before);
            assertTrue(Math.abs(after - 0.5) < 0.05, "50/50 after the change: " + after);
        }
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
