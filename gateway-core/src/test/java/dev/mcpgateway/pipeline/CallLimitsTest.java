package dev.mcpgateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.CallLimits;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
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
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The caps on tool calls in flight: an overload is answered with OVERLOADED after a bounded wait, never queued. */
class CallLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Semaphore entered = new Semaphore(0);
    private final AtomicInteger running = new AtomicInteger();
    private McpGateway gateway;

    @AfterEach
    void close() {
        release.countDown();
        gateway.close();
    }

    private void start(CallLimits limits, int instances) {
        gateway = McpGateway.builder().config(GatewayConfig.builder().callLimits(limits).build()).build();
        for (int i = 0; i < instances; i++) {
            gateway.registerInProcess(InProcessPlugin.builder("busy").tool("hold", "Holds until released", (args, ctx) -> {
                running.incrementAndGet();
                entered.release();
                release.await();
                return CallToolResult.text("released");
            }).build()).join();
        }
    }

    private CompletableFuture<CallToolResult> hold() {
        return gateway.callTool("busy__hold", Json.object());
    }

    private static JsonRpcException failure(CompletableFuture<?> call) {
        CompletionException error = assertThrows(CompletionException.class, () -> call.orTimeout(10, TimeUnit.SECONDS).join());
        return assertInstanceOf(JsonRpcException.class, error.getCause());
    }

    @Test
    void aCallBeyondTheGatewaysLimitWaitsBoundedThenIsOverloaded() throws Exception {
        start(new CallLimits(2, 100, Duration.ofMillis(50), 0.2), 1);
        CompletableFuture<CallToolResult> first = hold();
        CompletableFuture<CallToolResult> second = hold();
        assertTrue(entered.tryAcquire(2, 10, TimeUnit.SECONDS));

        JsonRpcException refused = failure(hold());
        assertEquals(ErrorCodes.OVERLOADED, refused.code());
        assertTrue(refused.getMessage().contains("2 tool calls in flight") && refused.getMessage().contains("maxInFlight"),
                refused.getMessage());
        assertEquals(2, running.get(), "the refused call never reached the plugin");

        release.countDown();
        assertEquals("released", first.get(10, TimeUnit.SECONDS).firstText());
        assertEquals("released", second.get(10, TimeUnit.SECONDS).firstText());
        assertEquals("released", hold().get(10, TimeUnit.SECONDS).firstText(), "room again once calls finished");
    }

    @Test
    void aWaitingCallTakesThePlaceOfOneThatFinishes() throws Exception {
        start(new CallLimits(1, 100, WAIT, 0.2), 1);
        CompletableFuture<CallToolResult> first = hold();
        assertTrue(entered.tryAcquire(1, 10, TimeUnit.SECONDS));
        CompletableFuture<CallToolResult> waiting = hold();
        assertFalse(waiting.isDone());
        assertEquals(1, running.get(), "the second call waits for room, off any thread");

        release.countDown();
        assertEquals("released", first.get(10, TimeUnit.SECONDS).firstText());
        assertEquals("released", waiting.get(10, TimeUnit.SECONDS).firstText());
    }

    @Test
    void aCallThatWaitedGoesOnOnAThreadOfItsOwnNotOnTheOneThatMadeRoom() throws Exception {
        start(new CallLimits(1, 100, WAIT, 0.2), 1);
        AtomicReference<String> ranOn = new AtomicReference<>();
        gateway.registerInProcess(InProcessPlugin.builder("quick").handlersOnCallerThread(true)
                .tool("now", "Answers on the caller's thread", (args, ctx) -> {
                    ranOn.set(Thread.currentThread().getName());
                    return CallToolResult.text("now");
                }).build()).join();
        CompletableFuture<CallToolResult> first = hold();
        assertTrue(entered.tryAcquire(1, 10, TimeUnit.SECONDS));
        CompletableFuture<CallToolResult> waiting = gateway.callTool("quick__now", Json.object());
        assertFalse(waiting.isDone(), "it waits for room");

        release.countDown();

        assertEquals("now", waiting.get(10, TimeUnit.SECONDS).firstText());
        assertEquals("released", first.get(10, TimeUnit.SECONDS).firstText());
        // Not the held call's handler thread (mcp-gateway-inprocess), whose finishing made the room.
        assertEquals("mcp-gateway-admitted", ranOn.get());
    }

    @Test
    void aCallGivenUpOnWhileItWaitedIsNotMadeAndGivesBackThePlaceItIsGiven() throws Exception {
        List<CompletableFuture<CallToolResult>> proceeded = new CopyOnWriteArrayList<>();
        // A host's call interceptor runs before the cap, so it holds what the cap returns and may end it early.
        CallInterceptor keep = chain -> {
            CompletableFuture<CallToolResult> outcome = chain.proceed(chain.call());
            proceeded.add(outcome);
            return outcome;
        };
        gateway = McpGateway.builder().config(GatewayConfig.builder()
                .callLimits(new CallLimits(1, 100, WAIT, 0.2)).build()).interceptor(keep).build();
        gateway.registerInProcess(InProcessPlugin.builder("busy").tool("hold", "Holds until released", (args, ctx) -> {
            entered.release();
            release.await();
            return CallToolResult.text("released");
        }).build()).join();
        AtomicInteger quickCalls = new AtomicInteger();
        gateway.registerInProcess(InProcessPlugin.builder("quick").tool("now", "Answers", (args, ctx) -> {
            quickCalls.incrementAndGet();
            return CallToolResult.text("now");
        }).build()).join();
        CompletableFuture<CallToolResult> first = hold();
        assertTrue(entered.tryAcquire(1, 10, TimeUnit.SECONDS));
        gateway.callTool("quick__now", Json.object());
        assertEquals(2, proceeded.size());
        assertTrue(proceeded.get(1).completeExceptionally(new IllegalStateException("given up by the host")));

        release.countDown();

        assertEquals("released", first.get(10, TimeUnit.SECONDS).firstText());
        // With room for one call: a place kept by the call given up on would leave this one waiting (10 s here).
        assertEquals("now", gateway.callTool("quick__now", Json.object()).orTimeout(5, TimeUnit.SECONDS).join()
                .firstText());
        assertEquals(1, quickCalls.get(), "the call given up on was not made");
    }

    @Test
    void aHandlerOnTheCallersThreadThatThrowsAnErrorFailsItsCallAndGivesBackItsPlace() throws Exception {
        gateway = McpGateway.builder().config(GatewayConfig.builder()
                .callLimits(new CallLimits(1, 1, Duration.ZERO, 0.2)).build()).build();
        AtomicInteger calls = new AtomicInteger();
        gateway.registerInProcess(InProcessPlugin.builder("deep").handlersOnCallerThread(true)
                .tool("fall", "Overflows its stack on the first call", (args, ctx) -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new StackOverflowError("thrown by the test");
                    }
                    return CallToolResult.text("fine");
                }).build()).join();

        JsonRpcException failed = failure(gateway.callTool("deep__fall", Json.object()));

        assertEquals(ErrorCodes.INTERNAL_ERROR, failed.code());
        assertEquals("In-process tool 'fall' of plugin 'deep' failed with an error; see the gateway's log",
                failed.getMessage());
        // With room for one call only, and no wait: a place kept by the failed call would refuse this one.
        assertEquals("fine", gateway.callTool("deep__fall", Json.object()).get(10, TimeUnit.SECONDS).firstText());
        assertEquals(0, gateway.routingTable().routeByExposedName("deep__fall").endpoints().getFirst().stats()
                .inFlight(), "the instance counts no call in flight");
    }

    @Test
    void aFullInstanceSendsTheCallToAnotherAndOnlyWhenAllAreFullIsItOverloaded() throws Exception {
        start(new CallLimits(100, 1, WAIT, 0.2), 2);
        CompletableFuture<CallToolResult> first = hold();
        CompletableFuture<CallToolResult> second = hold();
        assertTrue(entered.tryAcquire(2, 10, TimeUnit.SECONDS), "the second call went to the other instance");
        Await.until("both instances are busy", WAIT, () -> gateway.routingTable().routeByExposedName("busy__hold")
                .endpoints().stream().allMatch(e -> e.stats().inFlight() == 1));

        JsonRpcException refused = failure(hold());
        assertEquals(ErrorCodes.OVERLOADED, refused.code());
        assertTrue(refused.getMessage().contains("maxInFlightPerInstance"), refused.getMessage());

        release.countDown();
        assertEquals("released", first.get(10, TimeUnit.SECONDS).firstText());
        assertEquals("released", second.get(10, TimeUnit.SECONDS).firstText());
    }

    @Test
    void limitsAreValidatedWithMessagesThatSayWhatToFix() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> new CallLimits(0, 1, Duration.ZERO, 0.2));
        assertEquals("maxInFlight must be at least 1, got 0", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CallLimits(1, 0, Duration.ZERO, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new CallLimits(1, 1, Duration.ofMillis(-1), 0.2));
        assertThrows(IllegalArgumentException.class, () -> new CallLimits(1, 1, Duration.ZERO, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new CallLimits(1, 1, Duration.ZERO, Double.NaN));
        gateway = McpGateway.builder().build();
        assertEquals(CallLimits.defaults(), gateway.config().callLimits());
    }

    @Test
    void aCallAdmittedGoesOnWithoutHoldingUpTheAdmissionOfOthers() throws Exception {
        CountDownLatch bothInside = new CountDownLatch(2);
        // An attempt interceptor that waits, on the caller's thread, until the other call is inside too: admission
        // must let the second call in while the first is still on its way.
        CallInterceptor meet = chain -> {
            bothInside.countDown();
            try {
                if (!bothInside.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the other call was never admitted");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return chain.proceed(chain.call());
        };
        gateway = McpGateway.builder().config(GatewayConfig.builder().callLimits(CallLimits.defaults()).build())
                .attemptInterceptor(meet).build();
        gateway.registerInProcess(InProcessPlugin.builder("quick").tool("now", "Answers", (args, ctx) ->
                CallToolResult.text("now")).build()).join();

        CompletableFuture<CallToolResult> first = CompletableFuture.supplyAsync(
                () -> gateway.callTool("quick__now", Json.object()).join(), Executors.newVirtualThreadPerTaskExecutor());
        CallToolResult second = gateway.callTool("quick__now", Json.object()).orTimeout(20, TimeUnit.SECONDS).join();

        assertEquals("now", second.firstText());
        assertEquals("now", first.orTimeout(20, TimeUnit.SECONDS).join().firstText());
    }
}
