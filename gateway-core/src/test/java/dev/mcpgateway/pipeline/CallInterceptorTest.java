package dev.mcpgateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The call pipeline as a host sees it: call and attempt interceptors around every routed tool call. */
class CallInterceptorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private McpGateway gateway;

    @AfterEach
    void close() {
        gateway.close();
    }

    private McpGateway start(McpGateway.Builder builder) {
        gateway = builder.build();
        for (int i = 0; i < 2; i++) {
            gateway.registerInProcess(InProcessPlugin.builder("calc")
                    .tool("add", "Adds", (args, ctx) -> CallToolResult.text(String.valueOf(args.path("a").asInt()
                            + args.path("b").asInt())))
                    .tool("wait", "Waits to be cancelled", (args, ctx) -> {
                        started.countDown();
                        try {
                            new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                            interrupted.set(true);
                        }
                        return CallToolResult.text("cancelled");
                    })
                    .build()).join();
        }
        return gateway;
    }

    private CallInterceptor recording(String name) {
        return chain -> {
            seen.add(name + (chain.routed() == null ? " before routing" : " on " + chain.routed().endpoint().id()
                    + " attempt " + chain.attempt()));
            return chain.proceed(chain.call());
        };
    }

    @Test
    void callInterceptorsRunBeforeRoutingAndAttemptInterceptorsSeeTheInstance() {
        start(McpGateway.builder().interceptor(recording("outer")).interceptor(recording("inner"))
                .attemptInterceptor(recording("attempt")));

        assertEquals("3", gateway.callTool("calc__add", Json.object().put("a", 1).put("b", 2)).join().firstText());
        assertEquals(3, seen.size(), seen.toString());
        assertEquals("outer before routing", seen.get(0));
        assertEquals("inner before routing", seen.get(1));
        assertTrue(seen.get(2).matches("attempt on calc-\\d+ attempt 1"), seen.get(2));
    }

    @Test
    void aCallInterceptorMayRejectOrChangeACall() {
        start(McpGateway.builder().interceptor(chain -> chain.call().name().equals("calc__wait")
                ? CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.OVERLOADED, "not now"))
                : chain.proceed(ToolCall.of(chain.call().name(), Json.object().put("a", 40).put("b", 2)))));

        assertEquals("42", gateway.callTool("calc__add", Json.object()).join().firstText(), "arguments replaced");
        CompletionException refused = assertThrows(CompletionException.class,
                () -> gateway.callTool("calc__wait", Json.object()).join());
        assertEquals(ErrorCodes.OVERLOADED, assertInstanceOf(JsonRpcException.class, refused.getCause()).code());
        assertEquals(1, started.getCount(), "a rejected call never reaches a plugin");
    }

    @Test
    void proceedingAgainRoutesAnewAsAnotherAttempt() {
        start(McpGateway.builder().interceptor(chain -> chain.proceed(chain.call())
                .thenCompose(first -> chain.proceed(chain.call()))).attemptInterceptor(recording("attempt")));

        assertEquals("3", gateway.callTool("calc__add", Json.object().put("a", 1).put("b", 2)).join().firstText());
        assertEquals(2, seen.size(), seen.toString());
        assertTrue(seen.get(0).endsWith("attempt 1") && seen.get(1).endsWith("attempt 2"), seen.toString());
        assertTrue(!seen.get(0).split(" ")[2].equals(seen.get(1).split(" ")[2]), "round robin placed them apart: " + seen);
    }

    @Test
    void cancellingACallReachesTheAttemptInFlightWhateverTheInterceptorsReturned() throws Exception {
        start(McpGateway.builder().interceptor(chain -> chain.proceed(chain.call()).thenApply(result -> result))
                .attemptInterceptor(chain -> chain.proceed(chain.call()).thenApply(result -> result)));

        CompletableFuture<CallToolResult> call = gateway.callTool("calc__wait", Json.object());
        assertTrue(started.await(10, TimeUnit.SECONDS));
        call.cancel(true);
        Await.until("the tool's thread is interrupted", WAIT, interrupted::get);
    }
}
