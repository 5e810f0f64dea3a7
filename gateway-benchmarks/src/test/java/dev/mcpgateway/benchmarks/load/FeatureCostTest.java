package dev.mcpgateway.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FeatureCost}'s harness: each feature's setup really switches its feature on (and the baseline has it off),
 * and a tiny run reports every feature on every path. No timing is asserted: these runs measure nothing.
 */
class FeatureCostTest {

    @Test
    void theBaselineHasHealthProbingOffAndTheDefaultsOtherwise() throws Exception {
        try (Feature.On on = Feature.BASELINE.on();
             Scenario.Fixture fixture = Scenario.HTTP_IN_PROCESS.start(EchoPlugin.NAME, on.setup())) {
            GatewayConfig config = fixture.instance().config();
            assertFalse(config.healthChecks().enabled());
            assertEquals(GatewayConfig.defaults().callLimits(), config.callLimits());
            assertFalse(config.rateLimits().enabled());
            assertTrue(config.outlierDetection().enabled());
            assertNull(on.bearerToken());
            assertCallAnswered(fixture);
        }
    }

    @Test
    void metricsRecordEveryCallInThePrometheusRegistry() throws Exception {
        try (Feature.On on = Feature.METRICS.on();
             Scenario.Fixture fixture = Scenario.HTTP_IN_PROCESS.start(EchoPlugin.NAME, on.setup())) {
            assertCallAnswered(fixture);
            Timer calls = on.meterRegistry().find("mcp.tool.calls").timer();
            assertNotNull(calls, () -> on.meterRegistry().scrape());
            assertTrue(calls.count() >= 1);
        }
    }

    @Test
    void healthTurnsProbingOnAtTheDefaultInterval() throws Exception {
        try (Feature.On on = Feature.HEALTH.on();
             Scenario.Fixture fixture = Scenario.HTTP_HTTP.start(EchoPlugin.NAME, on.setup())) {
            GatewayConfig config = fixture.instance().config();
            assertTrue(config.healthChecks().enabled());
            assertEquals(GatewayConfig.defaults().healthChecks().interval(), config.healthChecks().interval());
            assertCallAnswered(fixture);
        }
    }

    @Test
    void limitsAreInForceAndRefuseNothing() throws Exception {
        try (Feature.On on = Feature.LIMITS.on();
             Scenario.Fixture fixture = Scenario.HTTP_IN_PROCESS.start(EchoPlugin.NAME, on.setup())) {
            GatewayConfig config = fixture.instance().config();
            assertEquals(Feature.GENEROUS_CALL_LIMITS, config.callLimits());
            assertEquals(Feature.GENEROUS_RATE_LIMITS, config.rateLimits());
            assertTrue(config.rateLimits().enabled());
            assertNotNull(config.rateLimits().perClient());
            assertNotNull(config.rateLimits().perClientPerTool());
            assertNotNull(config.rateLimits().ruleFor(EchoPlugin.NAME, EchoPlugin.NAME));
            assertCallAnswered(fixture);
        }
    }

    @Test
    void authRefusesARequestWithoutTheTokenAndAnswersOneWithIt() throws Exception {
        try (Feature.On on = Feature.AUTH.on();
             Scenario.Fixture fixture = Scenario.HTTP_IN_PROCESS.start(EchoPlugin.NAME, on.setup())) {
            assertNotNull(on.bearerToken());
            IOException refused = assertThrows(IOException.class, () -> RawMcpHttpConnection.open(fixture.endpoint(),
                    EchoPlugin.NAME, EchoPlugin.ARGUMENTS_JSON).close());
            assertTrue(refused.getMessage().contains("HTTP 401"), refused.getMessage());
            assertCallAnswered(fixture);
        }
    }

    @Test
    void persistenceKeepsTheInstanceInPostgresAndDropsItsSchemaAfterwards() throws Exception {
        Feature.Persistence persistence;
        try (Feature.On on = Feature.PERSISTENCE.on();
             Scenario.Fixture fixture = Scenario.HTTP_HTTP.start(EchoPlugin.NAME, on.setup())) {
            persistence = on.persistence();
            assertEquals(1, persistence.storedInstances());
            assertCallAnswered(fixture);
        }
        assertThrows(SQLException.class, persistence::storedInstances, "the run's schema is dropped");
    }

    @Test
    void pipelineMinimalSwitchesOffOutlierDetectionAndRetries() throws Exception {
        try (Feature.On on = Feature.PIPELINE_MINIMAL.on();
             Scenario.Fixture fixture = Scenario.HTTP_IN_PROCESS.start(EchoPlugin.NAME, on.setup())) {
            GatewayConfig config = fixture.instance().config();
            assertFalse(config.outlierDetection().enabled());
            assertEquals(0, config.callLimits().retryRatio());
            assertCallAnswered(fixture);
        }
    }

    @Test
    void tracingGatewaysAnswerCalls() throws Exception {
        try (Feature.On on = Feature.TRACING.on();
             Scenario.Fixture fixture = Scenario.HTTP_IN_PROCESS.start(EchoPlugin.NAME, on.setup())) {
            assertCallAnswered(fixture);
        }
    }

    @Test
    void aTinyRunReportsEveryFeatureOnEveryPath() {
        FeatureCost.Options options = new FeatureCost.Options(List.of(Scenario.HTTP_IN_PROCESS, Scenario.HTTP_HTTP),
                List.of(Feature.METRICS, Feature.AUTH), 2, Duration.ZERO, Duration.ofMillis(200), 1);
        List<FeatureCost.Run> runs = FeatureCost.measure(options, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));

        assertEquals(2 * 2 * 2, runs.size());
        for (FeatureCost.Run run : runs) {
            assertNull(run.failure(), run.path() + " " + run.feature());
            assertTrue(run.result().requests() > 0, run.path() + " " + run.feature());
            assertEquals(0, run.result().errors() + run.result().failures(), run.path() + " " + run.feature());
        }
        String report = FeatureCost.markdown(options, "today", "abc1234", 0.5, 0.7, runs);
        assertTrue(report.contains("| baseline |"), report);
        assertTrue(report.contains("| metrics |"), report);
        assertTrue(report.contains("| auth |"), report);
        assertTrue(report.contains(Scenario.HTTP_HTTP.gatewayPath), report);
        assertTrue(report.contains("vs baseline"), report);
        assertTrue(report.contains("commit abc1234"), report);
    }

    @Test
    void optionsParseAndExplainWhatIsWrong() {
        FeatureCost.Options quick = FeatureCost.Options.parse("--quick", "--paths", "1,3", "--features",
                "metrics,pipeline-minimal,baseline");
        assertEquals(List.of(Scenario.HTTP_IN_PROCESS, Scenario.HTTP_STDIO), quick.paths());
        assertEquals(List.of(Feature.METRICS, Feature.PIPELINE_MINIMAL), quick.features());
        assertEquals(1, quick.rounds());
        FeatureCost.Options defaults = FeatureCost.Options.parse();
        assertEquals(Duration.ofSeconds(10), defaults.warmup());
        assertEquals(Duration.ofSeconds(6), defaults.duration());
        assertEquals(2, defaults.rounds());
        assertFalse(defaults.features().contains(Feature.BASELINE));
        assertNull(FeatureCost.Options.parse("--help"));
        assertThrows(IllegalArgumentException.class, () -> FeatureCost.Options.parse("--paths", "4"));
        assertThrows(IllegalArgumentException.class, () -> FeatureCost.Options.parse("--features", "turbo"));
        assertThrows(IllegalArgumentException.class, () -> FeatureCost.Options.parse("--rounds", "0"));
        assertTrue(Double.isNaN(FeatureCost.median(List.of(), result -> 0)), "no run measured: no median");
    }

    /** One call through the gateway's front door, with the feature's token if it has one, answered with a result. */
    private static void assertCallAnswered(Scenario.Fixture fixture) throws Exception {
        try (Target.Caller caller = fixture.gateway().open(0)) {
            assertTrue(caller.call());
        }
    }
}
