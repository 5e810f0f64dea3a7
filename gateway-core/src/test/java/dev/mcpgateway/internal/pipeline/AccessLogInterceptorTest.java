package dev.mcpgateway.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.ToolCall;
import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.internal.ToolCallPlumbing;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.AccessLogOptions;
import dev.mcpgateway.pipeline.CallInterceptor;
import dev.mcpgateway.testing.Stderr;
import dev.mcpgateway.trace.TraceContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The access log's lines, with the sampling draw and the clock injected: what a line holds (and never holds), and
 * how many calls are logged at rates 0, 1 and in between.
 */
class AccessLogInterceptorTest {
    private static final TraceContext TRACE = TraceContext.parse(
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
    private static final Function<String, String> PLUGINS = instance -> instance.startsWith("github") ? "github" : null;

    /** A client session as the MCP server's requester presents it: authenticated, in a session. */
    private record Client(Principal principal, String sessionId) implements Authenticated, SessionBound {
        @Override
        public boolean stateless() {
            return false;
        }

        @Override
        public String frontDoorClient() {
            return null;
        }
    }

    @Test
    void aLineNamesTheCallButNeverItsArgumentsOrResult() throws Exception {
        Principal alice = new Principal("alice", "https://issuer.test", "inspector", Set.of(), Set.of(),
                Instant.EPOCH, Map.of());
        ToolCall call = ToolCall.of("github_create_issue", Json.object().put("title", "s3cret-argument"))
                .onBehalfOf(new Client(alice, "session-42")).withTrace(TRACE);
        long[] now = {1_000_000};
        AccessLogInterceptor log = new AccessLogInterceptor(AccessLogOptions.everyCall(), () -> 0.5, PLUGINS,
                () -> now[0]);

        String out = Stderr.of(() -> log.intercept(chain(call, () -> {
            now[0] += 12_000_000;
            return CompletableFuture.completedFuture(CallToolResult.text("s3cret-result"));
        })).join());

        List<String> lines = accessLines(out);
        assertEquals(1, lines.size(), out);
        String line = lines.getFirst();
        assertTrue(line.endsWith("tool=github_create_issue plugin=github instance=github-1 client=alice"
                + " session=session-42 outcome=success duration_ms=12 trace_id=0af7651916cd43dd8448eb211c80319c"), line);
        assertFalse(out.contains("s3cret"), "no arguments, no results: " + out);
    }

    @Test
    void failuresAndUnknownsAreNamedAndSubjectsCannotForgeFields() throws Exception {
        Principal odd = new Principal("eve x=1\nforged", "https://issuer.test", "c", Set.of(), Set.of(),
                Instant.EPOCH, Map.of());
        ToolCall call = ToolCall.of("t", null).onBehalfOf(new Client(odd, null));
        AccessLogInterceptor log = new AccessLogInterceptor(AccessLogOptions.everyCall(), () -> 0, PLUGINS, () -> 0);

        String out = Stderr.of(() -> log.intercept(chain(call, () -> CompletableFuture.failedFuture(
                new JsonRpcException(ErrorCodes.UPSTREAM_TIMEOUT, "timed out")))).handle((r, e) -> r).join());

        String line = accessLines(out).getFirst();
        assertTrue(line.contains("client=\"eve x=1\\u000aforged\" session=- outcome=timeout"), line);
        assertTrue(line.contains("trace_id=-"), "a call the pipeline gave no span yet: " + line);
    }

    @Test
    void sampleRateZeroLogsNothingAndOneLogsEveryCall() throws Exception {
        assertEquals(0, logged(AccessLogOptions.sampled(0), () -> 0.0, 20));
        assertEquals(20, logged(AccessLogOptions.sampled(1), () -> 0.999_999, 20));
        double[] draws = {0.1, 0.6, 0.29, 0.3, 0.9};
        int[] next = {0};
        assertEquals(2, logged(AccessLogOptions.sampled(0.3), () -> draws[next[0]++], draws.length),
                "a call is logged when its draw is below the rate");
    }

    @Test
    void offAddsNoInterceptorAndRatesOutsideZeroToOneAreRefused() {
        assertFalse(AccessLogOptions.off().logsAny());
        assertFalse(AccessLogOptions.sampled(0).logsAny());
        assertTrue(AccessLogOptions.sampled(0.01).logsAny());
        for (double rate : new double[] {-0.1, 1.5, Double.NaN}) {
            try {
                AccessLogOptions.sampled(rate);
                throw new AssertionError("accepted " + rate);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("sampleRate"), expected.getMessage());
            }
        }
    }

    private static int logged(AccessLogOptions options, java.util.function.DoubleSupplier random, int calls)
            throws Exception {
        AccessLogInterceptor log = new AccessLogInterceptor(options, random, PLUGINS, () -> 0);
        String out = Stderr.of(() -> {
            for (int i = 0; i < calls; i++) {
                log.intercept(chain(ToolCall.of("t", null), () -> CompletableFuture.completedFuture(
                        CallToolResult.text("ok")))).join();
            }
        });
        return accessLines(out).size();
    }

    private static List<String> accessLines(String out) {
        return out.lines().filter(line -> line.contains(AccessLogOptions.LOGGER)).toList();
    }

    /** A chain whose one attempt goes to instance github-1 and ends as {@code answer} says. */
    private static CallInterceptor.Chain chain(ToolCall call,
                                               java.util.function.Supplier<CompletableFuture<CallToolResult>> answer) {
        return new StubChain(call, next -> {
            if (ToolCallPlumbing.routed(next) != null) {
                ToolCallPlumbing.routed(next).accept("github-1");
            }
            return answer.get();
        });
    }
}
