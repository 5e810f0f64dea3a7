package dev.mcpgateway.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.jsonrpc.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthCheckOptionsTest {

    @Test
    void theDefaultsProbeEveryTenSecondsAndTakeADeadInstanceOutWithinTwoIntervals() {
        HealthCheckOptions defaults = HealthCheckOptions.defaults();

        assertTrue(defaults.enabled());
        assertEquals(Duration.ofSeconds(10), defaults.interval());
        assertEquals(Duration.ofSeconds(3), defaults.timeout());
        assertEquals(Duration.ofSeconds(1), defaults.recheckInterval());
        assertEquals(2, defaults.unhealthyThreshold());
        assertEquals(2, defaults.healthyThreshold());
        assertEquals(0.1, defaults.jitter());
        assertEquals(HealthProbe.protocol(), defaults.probe());
        Duration worstCase = defaults.interval().plus(defaults.interval().multipliedBy(1).dividedBy(10))
                .plus(defaults.timeout().multipliedBy(2)).plus(defaults.recheckInterval());
        assertTrue(worstCase.compareTo(defaults.interval().multipliedBy(2)) < 0, "out within " + worstCase);
        assertEquals(defaults, GatewayConfig.defaults().healthChecks());
    }

    @Test
    void aShortIntervalShrinksTheTimeoutAndRecheckLeftAtTheirDefaults() {
        HealthCheckOptions options = HealthCheckOptions.builder().interval(Duration.ofMillis(500)).build();

        assertEquals(Duration.ofMillis(250), options.timeout());
        assertEquals(Duration.ofMillis(500), options.recheckInterval());
        assertEquals(Duration.ofMillis(500), GatewayConfig.builder().healthCheckInterval(Duration.ofMillis(500)).build()
                .healthChecks().interval(), "the builder's convenience sets the default options' interval");
    }

    @Test
    void invalidValuesAreRejectedWithWhatToFix() {
        assertMessage("the health-check interval must be at least 10 ms, got 5 ms",
                () -> HealthCheckOptions.builder().interval(Duration.ofMillis(5)).build());
        assertMessage("the health-check timeout must be positive and shorter than the interval (1000 ms), got 1000 ms;"
                        + " shorten the timeout or lengthen the interval",
                () -> HealthCheckOptions.builder().interval(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(1)).build());
        assertMessage("the health-check recheck interval must be positive and at most the interval (10000 ms), got"
                + " 20000 ms", () -> HealthCheckOptions.builder().recheckInterval(Duration.ofSeconds(20)).build());
        assertMessage("unhealthyThreshold (failed probes in a row before an instance is taken out of rotation) must be"
                + " at least 1, got 0", () -> HealthCheckOptions.builder().unhealthyThreshold(0).build());
        assertMessage("healthyThreshold (passed probes in a row before an instance is back in rotation) must be at"
                + " least 1, got -1", () -> HealthCheckOptions.builder().healthyThreshold(-1).build());
        assertMessage("the health-check jitter is a fraction of the interval between 0 and 0.5 (0.1: ±10 %), got 10.0",
                () -> HealthCheckOptions.builder().jitter(10).build());
        assertMessage("the health-check jitter is a fraction of the interval between 0 and 0.5 (0.1: ±10 %), got NaN",
                () -> HealthCheckOptions.builder().jitter(Double.NaN).build());
        assertMessage("probe: use HealthProbe.protocol() for ping",
                () -> HealthCheckOptions.builder().probe(null).build());
        assertMessage("a tool-call health probe needs the plugin's own name of a tool, e.g."
                + " HealthProbe.callTool(\"status\", null)", () -> HealthProbe.callTool(" ", null));
        assertMessage("the arguments of the health probe calling 'status' must be a JSON object, got [1]",
                () -> HealthProbe.callTool("status", Json.object().putArray("a").add(1)));
    }

    @Test
    void aGatewayConfigWithExplicitOptionsRejectsAnIntervalTheirTimeoutDoesNotFit() {
        GatewayConfig.Builder builder = GatewayConfig.builder().healthChecks(HealthCheckOptions.defaults())
                .healthCheckInterval(Duration.ofSeconds(2));

        assertMessage("the health-check timeout must be positive and shorter than the interval (2000 ms), got 3000 ms;"
                + " shorten the timeout or lengthen the interval", builder::build);
    }

    @Test
    void pluginsMayHaveTheirOwnHealthChecks() {
        HealthCheckOptions deep = HealthCheckOptions.builder()
                .probe(HealthProbe.callTool("status", Json.object().put("verbose", false))).build();
        GatewayConfig config = GatewayConfig.builder().healthCheckInterval(Duration.ofSeconds(30))
                .healthChecks("db", deep).healthChecks("legacy", HealthCheckOptions.disabled()).build();

        assertEquals(deep, config.healthChecksOf("db"));
        assertFalse(config.healthChecksOf("legacy").enabled());
        assertEquals(Duration.ofSeconds(30), config.healthChecksOf("files").interval());
        assertEquals(Duration.ofSeconds(3), config.healthChecksOf("files").timeout());
    }

    @Test
    void aToolCallProbeKeepsItsArgumentsAsConfigured() {
        var arguments = Json.object().put("verbose", false);
        HealthProbe.CallTool probe = (HealthProbe.CallTool) HealthProbe.callTool("status", arguments);

        arguments.put("verbose", true);
        probe.arguments().put("injected", 1);

        assertEquals(Json.object().put("verbose", false), probe.arguments());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable build) {
        RuntimeException error = assertThrows(RuntimeException.class, build);
        assertEquals(expected, error.getMessage());
    }
}
