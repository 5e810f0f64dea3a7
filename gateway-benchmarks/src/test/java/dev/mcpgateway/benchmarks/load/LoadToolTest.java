package dev.mcpgateway.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.benchmarks.load.LoadRunner.Mode;
import dev.mcpgateway.benchmarks.load.LoadRunner.RunResult;
import dev.mcpgateway.benchmarks.load.LoadTool.Row;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.CallInterceptor;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.server.SessionStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class LoadToolTest {
    private static final long REQUESTS = 20;

    @Test
    void everyScenarioRunsBothPathsInBothModesAndItsHistogramsHoldEveryAnswer() throws Exception {
        LoadOptions options = new LoadOptions(List.of(Scenario.values()), EnumSet.allOf(Mode.class), 2,
                Duration.ZERO, Duration.ZERO, Duration.ofSeconds(20), 400, 0.5, EchoPlugin.NAME, REQUESTS);

        List<Row> rows = LoadTool.run(options, quiet());

        assertEquals(Scenario.values().length * 2 * 2, rows.size());
        for (Row row : rows) {
            RunResult result = row.result();
            String what = row.path() + " " + result.spec().mode();
            assertEquals(REQUESTS, result.requests(), what);
            assertEquals(result.requests(), result.latency().getTotalCount(), what);
            assertEquals(0, result.errors(), what);
            assertEquals(0, result.failures(), what);
            assertTrue(result.loadGenAllocatedBytes() > 0, what + ": the load clients' allocation is measured");
            assertEquals(result.requests(), result.clients().stream().mapToLong(c -> c.requests()).sum(), what);
            if (result.spec().mode() == Mode.OPEN) {
                assertEquals(result.requests(), result.sendLag().getTotalCount(), what);
            }
        }
        String report = LoadReport.markdown(options, "test machine", rows);
        assertTrue(report.contains("| alloc KB/req | beyond load-gen KB/req |"), report);
        assertTrue(report.contains("| GC ms | warm-up s |"), report);
        assertTrue(report.contains("### Open loop, client by client"), report);
        assertTrue(report.contains("a relay with no MCP work reaches (scenario 5)"), report);
        for (Scenario scenario : Scenario.values()) {
            assertTrue(report.contains("| " + scenario.number + " | " + scenario.gatewayPath + " | open |"), report);
            assertTrue(report.contains("| " + scenario.number + " | " + scenario.directPath + " | closed |"), report);
        }
    }

    @Test
    void callsToAnUnknownToolAreAnsweredAndCountedAsErrors() throws Exception {
        LoadOptions options = new LoadOptions(List.of(Scenario.HTTP_IN_PROCESS, Scenario.HTTP_HTTP,
                Scenario.IN_PROCESS, Scenario.HTTP_RELAY_HTTP, Scenario.HTTP_IN_PROCESS_CALLER_THREAD),
                EnumSet.of(Mode.CLOSED), 2, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(20), 0, 0.5,
                "no_such_tool", REQUESTS);

        List<Row> rows = LoadTool.run(options, quiet());

        for (Row row : rows) {
            RunResult result = row.result();
            assertEquals(REQUESTS, result.requests(), row.path());
            assertEquals(result.requests(), result.latency().getTotalCount(), row.path());
            assertEquals(0, result.failures(), row.path());
            // The floor answers every request with its canned result, whatever the tool.
            boolean floor = (row.scenario() == Scenario.HTTP_IN_PROCESS
                    || row.scenario() == Scenario.HTTP_IN_PROCESS_CALLER_THREAD) && !row.viaGateway();
            long expectedErrors = floor ? 0 : REQUESTS;
            assertEquals(expectedErrors, result.errors(), row.path());
        }
    }

    @Test
    void scenarioSixAnswersOnTheRequestsThreadBeforeTheCallPassesOn() throws Exception {
        // A handler on a thread of its own answers later than the interceptor's proceed returns (or, racing it, now
        // and then at once); on the request's thread it has always answered by then.
        List<Boolean> answeredAtOnce = new CopyOnWriteArrayList<>();
        CallInterceptor watch = chain -> {
            CompletableFuture<CallToolResult> result = chain.proceed(chain.call());
            answeredAtOnce.add(result.isDone());
            return result;
        };
        Scenario.Setup setup = new Scenario.Setup(gateway -> gateway.interceptor(watch), UnaryOperator.identity(),
                SessionStore::none, RegistrationSource.HOST, null);
        try (Scenario.Fixture fixture = Scenario.HTTP_IN_PROCESS_CALLER_THREAD.start(EchoPlugin.NAME, setup);
             Target.Caller caller = fixture.gateway().open(0)) {
            for (int i = 0; i < REQUESTS; i++) {
                assertTrue(caller.call(), "call " + i);
            }
        }
        assertEquals(Collections.nCopies((int) REQUESTS, true), answeredAtOnce);
    }

    @Test
    void optionsParseAndExplainWhatIsWrong() {
        LoadOptions quick = LoadOptions.parse("--quick", "--scenarios", "2,4", "--mode", "closed", "--clients", "4");
        assertEquals(List.of(Scenario.HTTP_HTTP, Scenario.IN_PROCESS), quick.scenarios());
        assertEquals(Duration.ofSeconds(1), quick.duration());
        assertEquals(Duration.ofMillis(700), quick.warmup());
        assertEquals(quick.warmup(), quick.warmupLimit(), "--quick warms up for a fixed time");
        LoadOptions quickLonger = LoadOptions.parse("--quick", "--warmup", "5s");
        assertEquals(Duration.ofSeconds(5), quickLonger.warmupLimit(), "whatever --warmup sets it to");
        LoadOptions longerQuick = LoadOptions.parse("--warmup", "5s", "--quick");
        assertEquals(Duration.ofSeconds(5), longerQuick.warmup(), "--quick leaves a warm-up given before it");
        assertEquals(Duration.ofSeconds(1), longerQuick.duration());
        assertEquals(4, quick.clients());
        assertEquals(Duration.ofMillis(1500), LoadOptions.parseDuration("1.5s", "--duration"));
        assertNull(LoadOptions.parse("--help"));
        assertEquals(Duration.ofSeconds(10), LoadOptions.parse("--mode", "both").warmup());
        assertEquals(LoadOptions.OPEN_ALONE_WARMUP, LoadOptions.parse("--mode", "open", "--rate", "100").warmup());
        assertEquals(Duration.ofSeconds(5),
                LoadOptions.parse("--warmup", "5s", "--mode", "open", "--rate", "100").warmup());
        assertEquals(LoadOptions.DEFAULT_WARMUP_LIMIT, LoadOptions.parse("--mode", "both").warmupLimit());
        assertEquals(Duration.ofSeconds(90), LoadOptions.parse("--warmup", "90s").warmupLimit(),
                "a warm-up longer than the default limit is its own limit");
        assertEquals(Duration.ofSeconds(10), LoadOptions.parse("--warmup-limit", "10s").warmupLimit());
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.parse("--warmup", "20s", "--warmup-limit", "5s"));
        assertTrue(shorter.getMessage().contains("--warmup-limit (5000 ms) must not be shorter than --warmup"),
                shorter.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--mode", "open"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--scenarios", "7"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--duration", "soon"));
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
