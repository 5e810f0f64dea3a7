package dev.mcpgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.registry.UnknownInstanceException;
import dev.mcpgateway.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Draining an instance: new calls go elsewhere, the drain completes once the calls it had have finished. */
class DrainTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final McpGateway gateway = McpGateway.builder().build();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        gateway.close();
    }

    /** An instance of plugin "work" whose tool answers with its tag; the "slow" instance waits to be released. */
    private InProcessPlugin work(String tag, boolean slow) {
        return InProcessPlugin.builder("work").tool("job", "Answers with the instance's tag", (args, ctx) -> {
            if (slow) {
                started.countDown();
                release.await();
            }
            return CallToolResult.text(tag);
        }).build();
    }

    /**
     * Waits until routing sees the instance out of service: the registry's snapshot of it changes a moment before the
     * routing table that reflects it is published, and a call routed in between would still go to it.
     */
    private void awaitOutOfService(PluginInstance instance) {
        Await.until("routing sees the instance out of service", WAIT,
                () -> gateway.routingTable().instances().get(instance.id()).status() == InstanceStatus.OUT_OF_SERVICE);
    }

    /** A call held on the slow instance, started and counted in flight. */
    private CompletableFuture<CallToolResult> heldCallOn(PluginInstance slow) throws InterruptedException {
        CompletableFuture<CallToolResult> held = gateway.callTool(ToolCall.of("work__job", null).onInstance(slow.id()));
        assertTrue(started.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the held call did not start");
        return held;
    }

    @Test
    void newCallsGoElsewhereAndTheDrainCompletesOnlyAfterTheCallsInFlightFinished() throws Exception {
        PluginInstance slow = gateway.registerInProcess(work("slow", true)).join();
        gateway.registerInProcess(work("fast", false)).join();
        CompletableFuture<CallToolResult> held = heldCallOn(slow);

        CompletableFuture<PluginInstance> drained = gateway.drain(slow.id());
        awaitOutOfService(slow);
        for (int i = 0; i < 10; i++) {
            assertEquals("fast", gateway.callTool("work__job", null).join().firstText());
        }
        assertFalse(drained.isDone(), "the held call is still in flight");

        release.countDown();
        assertEquals("slow", held.join().firstText(), "the call in flight finished normally");
        PluginInstance out = drained.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(InstanceStatus.OUT_OF_SERVICE, out.status());
        assertTrue(gateway.registry().instance(slow.id()).isPresent(), "drained, not deregistered");
    }

    @Test
    void drainAndDeregisterRemovesTheInstanceOnceItsCallsFinished() throws Exception {
        PluginInstance slow = gateway.registerInProcess(work("slow", true)).join();
        CompletableFuture<CallToolResult> held = heldCallOn(slow);

        CompletableFuture<PluginInstance> removed = gateway.drainAndDeregister(slow.id(), WAIT);
        awaitOutOfService(slow);
        assertFalse(removed.isDone());
        assertTrue(gateway.registry().instance(slow.id()).isPresent());

        release.countDown();
        assertEquals(slow.id(), removed.get(WAIT.toSeconds(), TimeUnit.SECONDS).id());
        assertEquals("slow", held.join().firstText());
        assertTrue(gateway.registry().instance(slow.id()).isEmpty());
    }

    @Test
    void aDrainThatTimesOutSaysHowManyCallsAreLeftAndKeepsTheInstanceOutOfService() throws Exception {
        PluginInstance slow = gateway.registerInProcess(work("slow", true)).join();
        CompletableFuture<CallToolResult> held = heldCallOn(slow);

        CompletionException error = assertThrows(CompletionException.class,
                () -> gateway.drainAndDeregister(slow.id(), Duration.ofMillis(50)).join());

        TimeoutException timeout = assertInstanceOf(TimeoutException.class, error.getCause());
        assertEquals("instance '" + slow.id() + "' still has 1 call(s) in flight after PT0.05S; it stays OUT_OF_SERVICE",
                timeout.getMessage());
        assertEquals(InstanceStatus.OUT_OF_SERVICE, gateway.registry().instance(slow.id()).orElseThrow().status());
        release.countDown();
        assertEquals("slow", held.join().firstText());
    }

    @Test
    void drainingAnUnknownInstanceFails() {
        CompletionException error = assertThrows(CompletionException.class, () -> gateway.drain("ghost").join());
        assertEquals("ghost", assertInstanceOf(UnknownInstanceException.class, error.getCause()).instanceId());
    }
}
