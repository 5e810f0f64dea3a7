package dev.mcpgateway.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.internal.Timers;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.SessionOptions;
import dev.mcpgateway.transport.UpstreamListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * In-process calls time out on the gateway's timer: no timer left behind, and a clear error once it has stopped. A
 * plugin's handlers on the caller's thread answer before the call returns, with no timer.
 */
class InProcessTransportTest {
    private final InProcessTransport transport = new InProcessTransport();
    private final ScheduledThreadPoolExecutor timer = (ScheduledThreadPoolExecutor) Timers.daemon("in-process-test");

    @AfterEach
    void close() {
        transport.close();
        timer.shutdownNow();
    }

    @Test
    void aCallAnsweredLeavesNoTimerBehind() {
        JsonNode result = call(connect()).join();

        assertEquals("ok", result.path("content").path(0).path("text").textValue());
        // The timeout is cancelled by a callback of the tool's thread, which may run just after the answer is seen.
        Await.until("the call's timeout was cancelled and dropped", Duration.ofSeconds(5),
                () -> timer.getQueue().isEmpty());
    }

    @Test
    void aCallOnceTheGatewaysTimerStoppedFailsAsAGatewayClosing() {
        PluginConnection connection = connect();
        timer.shutdownNow();

        assertClosing(connection);
    }

    @Test
    void aCallOnceTheTransportClosedFailsAsAGatewayClosingAndLeavesNoTimer() {
        PluginConnection connection = connect();
        transport.close();

        assertClosing(connection);
        assertTrue(timer.getQueue().isEmpty(), "the timer armed for the call that could not start was dropped");
    }

    @Test
    void aHandlerOnTheCallersThreadHasAnsweredWhenTheCallReturnsAndArmsNoTimer() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        PluginConnection connection = connect(InProcessPlugin.builder("echo").handlersOnCallerThread(true)
                .tool("echo", "answers ok", (arguments, context) -> {
                    ranOn.set(Thread.currentThread());
                    context.progress(1, 2.0, "half");
                    return CallToolResult.text("ok");
                }).build());
        List<JsonNode> progress = new ArrayList<>();

        CompletableFuture<JsonNode> answer = connection.request("tools/call", Json.object().put("name", "echo"),
                new CallOptions(Duration.ofSeconds(30), progress::add));

        assertTrue(answer.isDone(), "answered before the call returned");
        assertEquals("ok", answer.join().path("content").path(0).path("text").textValue());
        assertSame(Thread.currentThread(), ranOn.get());
        assertEquals(1, progress.size(), "its progress was relayed on the way: " + progress);
        assertEquals("half", progress.get(0).path("message").textValue());
        assertTrue(timer.getQueue().isEmpty(), "no timer was armed for it");
    }

    @Test
    void aHandlerOnTheCallersThreadIsToldOfItsTimeoutAndALateAnswerFailsTheCall() {
        AtomicBoolean told = new AtomicBoolean();
        PluginConnection connection = connect(InProcessPlugin.builder("echo").handlersOnCallerThread(true)
                .tool("echo", "waits to be told", (arguments, context) -> {
                    long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (!context.isCancelled()) { // it is not stopped: it learns of the timeout by asking
                        if (System.nanoTime() - giveUp > 0) {
                            return CallToolResult.error("never told of the 20 ms timeout");
                        }
                        Thread.onSpinWait();
                    }
                    told.set(true);
                    return CallToolResult.text("told");
                }).build());

        CompletableFuture<JsonNode> answer = connection.request("tools/call", Json.object().put("name", "echo"),
                CallOptions.timeout(Duration.ofMillis(20)));

        assertTrue(told.get(), "isCancelled() turned true once the timeout had passed");
        CompletionException failure = assertThrows(CompletionException.class, answer::join);
        JsonRpcException error = assertInstanceOf(JsonRpcException.class, failure.getCause());
        assertEquals(ErrorCodes.UPSTREAM_TIMEOUT, error.code());
        assertEquals("Tool 'echo' of in-process plugin 'echo' did not finish within PT0.02S; its answer came too late",
                error.getMessage());
    }

    @Test
    void aHandlerOnTheCallersThreadThatThrowsAnswersWithAToolError() {
        PluginConnection connection = connect(InProcessPlugin.builder("echo").handlersOnCallerThread(true)
                .tool("echo", "fails", (arguments, context) -> {
                    throw new IllegalStateException("no echo today");
                }).build());

        JsonNode result = call(connection).join();

        assertTrue(result.path("isError").booleanValue(), result.toString());
        assertEquals("no echo today", result.path("content").path(0).path("text").textValue());
    }

    @Test
    void aHandlerOnTheCallersThreadOnceTheTransportClosedIsNotRunAndFailsAsAGatewayClosing() {
        AtomicBoolean ran = new AtomicBoolean();
        PluginConnection connection = connect(InProcessPlugin.builder("echo").handlersOnCallerThread(true)
                .tool("echo", "answers ok", (arguments, context) -> {
                    ran.set(true);
                    return CallToolResult.text("ok");
                }).build());
        transport.close();

        assertClosing(connection);
        assertFalse(ran.get(), "the handler was not run");
    }

    @Test
    void aHandlerOnItsOwnThreadThatThrowsAnErrorFailsTheCallAtOnceNotAtItsTimeout() {
        PluginConnection connection = connect(InProcessPlugin.builder("echo")
                .tool("echo", "overflows", (arguments, context) -> {
                    throw new StackOverflowError("thrown by the test");
                }).build());

        CompletableFuture<JsonNode> answer = call(connection); // its timeout is 30 s

        CompletionException failure = assertThrows(CompletionException.class,
                () -> answer.orTimeout(10, TimeUnit.SECONDS).join());
        JsonRpcException error = assertInstanceOf(JsonRpcException.class, failure.getCause());
        assertEquals(ErrorCodes.INTERNAL_ERROR, error.code());
        assertEquals("In-process tool 'echo' of plugin 'echo' failed with an error; see the gateway's log",
                error.getMessage());
    }

    private PluginConnection connect() {
        return connect(InProcessPlugin.builder("echo")
                .tool("echo", "answers ok", (arguments, context) -> CallToolResult.text("ok")).build());
    }

    private PluginConnection connect(InProcessPlugin plugin) {
        String handlerId = transport.install(plugin);
        PluginManifest manifest = PluginManifest.builder("echo").transport(new TransportSpec.InProcess(handlerId))
                .build();
        PluginInstance instance = new PluginInstance("echo-1", manifest, InstanceStatus.UP, Health.HEALTHY,
                Instant.EPOCH, null, Instant.EPOCH, null, null, RegistrationSource.HOST);
        return transport.connect(instance, new ConnectionContext("echo-1", new UpstreamListener() { }, timer,
                SessionOptions.defaults())).join();
    }

    private static CompletableFuture<JsonNode> call(PluginConnection connection) {
        return connection.request("tools/call", Json.object().put("name", "echo"),
                CallOptions.timeout(Duration.ofSeconds(30)));
    }

    private static void assertClosing(PluginConnection connection) {
        CompletionException failure = assertThrows(CompletionException.class, () -> call(connection).join());
        JsonRpcException error = assertInstanceOf(JsonRpcException.class, failure.getCause());
        assertEquals(ErrorCodes.GATEWAY_CLOSED, error.code());
        assertTrue(error.getMessage().contains("in-process plugin 'echo' is closing with the gateway"),
                error.getMessage());
    }
}
