package dev.mcpgateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.internal.upstream.ClientSession;
import dev.mcpgateway.internal.upstream.Discovery;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.Stderr;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.McpSessions;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.SessionOptions;
import dev.mcpgateway.transport.UpstreamListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientSessionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    private final List<Throwable> broken = new CopyOnWriteArrayList<>();
    private final AtomicInteger connected = new AtomicInteger();
    private final UpstreamListener listener = new UpstreamListener() {
        @Override
        public void onNotification(JsonRpcNotification notification) {
            notifications.add(Json.object().put("method", notification.method()));
        }

        @Override
        public CompletableFuture<JsonNode> onRequest(JsonRpcRequest request) {
            ObjectNode roots = Json.object();
            roots.putArray("roots").addObject().put("uri", "file:///work");
            return CompletableFuture.completedFuture(roots);
        }

        @Override
        public void onDisconnected(Throwable cause) {
            broken.add(cause);
        }

        @Override
        public void onConnected() {
            connected.incrementAndGet();
        }
    };
    private final ConnectionContext context = new ConnectionContext("test-1", listener, scheduler,
            SessionOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(3))
                    .withRestartBackoff(Duration.ofMillis(10), Duration.ofMillis(50)));
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        scheduler.shutdownNow();
    }

    private ClientSession open(ScriptedServer server) {
        ClientSession session = ClientSession.open(server, "plugin 'scripted'", context, broken::add).join();
        toClose.add(session);
        return session;
    }

    private static ObjectNode call(String tool) {
        return Json.object().put("name", tool);
    }

    private static JsonRpcException failure(CompletableFuture<?> future) {
        CompletionException error = assertThrows(CompletionException.class, future::join);
        return assertInstanceOf(JsonRpcException.class, error.getCause());
    }

    @Test
    void legacyServerIsInitializedWithTheNewestVersionItSpeaks() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        ClientSession session = open(server);

        assertEquals("2025-11-25", session.protocolVersion());
        assertEquals("2025-11-25", server.negotiated());
        assertEquals("scripted", session.serverInfo().name());
        assertTrue(session.capabilities().toolsListChanged());
        JsonRpcRequest initialize = server.requests("initialize").get(0);
        assertEquals("mcp-gateway", initialize.params().path("clientInfo").path("name").asText());
        assertEquals(1, server.notifications("notifications/initialized").size());
        assertEquals(1, server.requests("server/discover").size(), "the modern probe came first");

        JsonNode result = session.request("tools/call", call("echo"), CallOptions.timeout(WAIT)).join();
        assertEquals("echo", result.path("echo").path("name").asText());
        assertFalse(result.path("echo").has("_meta"), "legacy requests carry no stateless-era _meta");
    }

    @Test
    void modernServerIsSpokenToStatelessly() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.MODERN);
        ClientSession session = open(server);

        assertEquals(ProtocolVersions.MODERN, session.protocolVersion());
        assertEquals("2.0.0", session.serverInfo().version());
        assertEquals(List.of(), server.requests("initialize"));
        JsonNode echoed = session.request("tools/call", call("echo"), CallOptions.timeout(WAIT)).join().path("echo");
        JsonNode meta = echoed.path("_meta");
        assertEquals("2026-07-28", meta.path(ProtocolVersions.META_PROTOCOL_VERSION).asText());
        assertTrue(meta.path(ProtocolVersions.META_CLIENT_CAPABILITIES).isObject());
        assertEquals("mcp-gateway", meta.path(ProtocolVersions.META_CLIENT_INFO).path("name").asText());
        JsonRpcRequest listen = server.requests("subscriptions/listen").get(0);
        assertTrue(listen.params().path("notifications").path("toolsListChanged").asBoolean(),
                "list changes of a stateless server arrive only on a listen stream");
    }

    @Test
    void manyConcurrentCallsEachGetTheirOwnAnswer() {
        ClientSession session = open(new ScriptedServer(ScriptedServer.Era.LEGACY));
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(session.request("tools/call", call("echo").put("n", i), CallOptions.timeout(WAIT)));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(i, calls.get(i).join().path("echo").path("n").asInt());
        }
        assertEquals(0, session.pendingCalls());
    }

    @Test
    void aCallThatTimesOutIsCancelledUpstreamAndItsLateAnswerIgnored() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        ClientSession session = open(server);

        JsonRpcException error = failure(session.request("tools/call", call("slow"),
                CallOptions.timeout(Duration.ofMillis(50))));

        assertEquals(ErrorCodes.UPSTREAM_TIMEOUT, error.code());
        assertEquals("plugin 'scripted' did not answer 'tools/call' within PT0.05S; the request was cancelled upstream",
                error.getMessage());
        JsonRpcRequest slow = server.requests("tools/call").get(0);
        Await.until("the cancellation reaches the server", WAIT,
                () -> server.notifications("notifications/cancelled").size() == 1);
        JsonNode cancel = server.notifications("notifications/cancelled").get(0).params();
        assertEquals(((RequestId.Number) slow.id()).value(), cancel.path("requestId").asLong());

        server.emit(JsonRpcResponse.success(slow.id(), Json.object()));
        assertEquals("echo", session.request("tools/call", call("echo"), CallOptions.timeout(WAIT)).join()
                .path("echo").path("name").asText(), "a late answer for a timed-out call changes nothing");
        assertEquals(0, session.pendingCalls());
    }

    @Test
    void aCallerThatGivesUpCancelsUpstream() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        ClientSession session = open(server);
        CompletableFuture<JsonNode> slow = session.request("tools/call", call("slow"), CallOptions.timeout(WAIT));

        slow.cancel(true);

        Await.until("the cancellation reaches the server", WAIT,
                () -> server.notifications("notifications/cancelled").size() == 1);
        assertEquals("cancelled by the caller",
                server.notifications("notifications/cancelled").get(0).params().path("reason").asText());
    }

    @Test
    void aCallRefusedForItsHeadersIsRetriedOnceAfterRelistingAndACallerGivingUpCancelsTheRetry() {
        AtomicInteger calls = new AtomicInteger();
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.MODERN).handle("tools/call", (s, request) ->
                calls.incrementAndGet() == 1 ? JsonRpcResponse.failure(request.id(), ErrorCodes.HEADER_MISMATCH,
                        "Mcp-Param-Region is missing") : null); // the retry is never answered
        ClientSession session = open(server);
        CompletableFuture<JsonNode> call = session.request("tools/call", call("slow"), CallOptions.timeout(WAIT));

        Await.until("the call is sent again after the tools are listed again", WAIT,
                () -> server.requests("tools/call").size() == 2);
        assertTrue(server.requests("tools/list").size() >= 1);
        assertFalse(call.isDone(), "the refusal is not the caller's answer");
        call.cancel(true);

        Await.until("the retry is cancelled upstream", WAIT,
                () -> server.notifications("notifications/cancelled").size() == 1);
        RequestId retried = server.requests("tools/call").get(1).id();
        assertEquals(retried.toString(), server.notifications("notifications/cancelled").get(0).params()
                .path("requestId").asText());
    }

    @Test
    void aCallerGivingUpAfterANewSessionCancelsTheResendUpstream() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        ClientSession session = open(server);
        server.expireSession();
        CompletableFuture<JsonNode> call = session.request("tools/call", call("slow"), CallOptions.timeout(WAIT));

        Await.until("the call is sent again on a new session", WAIT,
                () -> server.requests("tools/call").size() == 1);
        call.cancel(true);

        Await.until("the resend is cancelled upstream", WAIT,
                () -> server.notifications("notifications/cancelled").size() == 1);
        assertEquals(server.requests("tools/call").get(0).id().toString(),
                server.notifications("notifications/cancelled").get(0).params().path("requestId").asText());
    }

    @Test
    void paramsBuiltForOneRequestAreCompletedInPlaceAndAnyOthersNeverChanged() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.MODERN);
        ClientSession session = open(server);
        ObjectNode hosts = call("echo");
        ObjectNode owned = call("echo");

        JsonNode fromHost = session.request("tools/call", hosts, CallOptions.timeout(WAIT)).join();
        JsonNode fromOwned = session.requestOwned("tools/call", owned, CallOptions.timeout(WAIT)).join();

        assertEquals(call("echo"), hosts, "a host's params are copied");
        assertTrue(owned.path("_meta").has(ProtocolVersions.META_PROTOCOL_VERSION), "owned params are completed");
        assertEquals(fromHost.path("echo"), fromOwned.path("echo"), "the same request either way");
    }

    @Test
    void progressReachesItsCallBeforeTheResult() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        server.handle("tools/call", (s, request) -> {
            JsonNode token = request.params().path("_meta").path("progressToken");
            for (int i = 1; i <= 3; i++) {
                ObjectNode progress = Json.object().put("progress", i).put("total", 3);
                progress.set("progressToken", token);
                s.emit(new JsonRpcNotification("notifications/progress", progress));
            }
            return JsonRpcResponse.success(request.id(), Json.object().put("done", true));
        });
        ClientSession session = open(server);
        List<Integer> seen = new CopyOnWriteArrayList<>();

        JsonNode result = session.request("tools/call", call("echo"),
                new CallOptions(WAIT, progress -> seen.add(progress.path("progress").asInt()))).join();

        assertTrue(result.path("done").asBoolean());
        assertEquals(List.of(1, 2, 3), seen);
    }

    @Test
    void misbehaviourIsToleratedAndNotificationsBeforeTheHandshakeDoNotBreakIt() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        server.handle("initialize", (s, request) -> {
            s.emit(new JsonRpcNotification("notifications/message", Json.object().put("data", "booting")));
            ObjectNode result = Json.object().put("protocolVersion", "2025-06-18");
            result.putObject("capabilities");
            result.putObject("serverInfo").put("name", "eager").put("version", "1");
            return JsonRpcResponse.success(request.id(), result);
        });
        ClientSession session = open(server);
        assertEquals("2025-06-18", session.protocolVersion());

        server.emitGarbage("Server listening on port 3000");
        server.emit(JsonRpcResponse.success(RequestId.of(9999), Json.object()));
        server.emit(JsonRpcResponse.success(RequestId.of("nobody"), Json.object()));

        assertEquals("echo", session.request("tools/call", call("echo"), CallOptions.timeout(WAIT)).join()
                .path("echo").path("name").asText());
    }

    @Test
    void aServerThatDiesFailsItsCallsAtOnceNamingWhy() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        ClientSession session = open(server);
        CompletableFuture<JsonNode> slow = session.request("tools/call", call("slow"), CallOptions.timeout(WAIT));

        server.die("plugin 'scripted' exited with code 3");

        JsonRpcException error = failure(slow);
        assertEquals(ErrorCodes.UPSTREAM_UNAVAILABLE, error.code());
        assertEquals("plugin 'scripted' is unavailable: plugin 'scripted' exited with code 3", error.getMessage());
        Await.until("the supervisor hears of the crash", WAIT, () -> broken.size() == 1);
        assertFalse(session.isOpen());
        assertEquals(ErrorCodes.UPSTREAM_UNAVAILABLE,
                failure(session.request("tools/call", call("echo"), CallOptions.timeout(WAIT))).code());
    }

    @Test
    void anExpiredSessionIsInitializedAgainAndTheRequestRetriedOnce() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        ClientSession session = open(server);

        server.expireSession();
        JsonNode result = session.request("tools/call", call("echo"), CallOptions.timeout(WAIT)).join();

        assertEquals("echo", result.path("echo").path("name").asText());
        assertEquals(2, server.requests("initialize").size());
        assertEquals(1, server.requests("tools/call").size(), "the expired attempt never reached the server");
    }

    @Test
    void aNewSessionAfterTheServerLostTheOldOneIsReportedAsConnectedSoTheGatewayStartsAfresh() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        ClientSession session = open(server);
        assertEquals(0, connected.get(), "the first handshake is reported by whoever opened the session");

        server.expireSession();
        session.request("tools/call", call("echo"), CallOptions.timeout(WAIT)).join();

        assertEquals(1, connected.get(), "the new session is reported like a reconnection");
        assertEquals(List.of(), broken, "the channel never broke");
        session.request("tools/call", call("echo"), CallOptions.timeout(WAIT)).join();
        assertEquals(1, connected.get(), "reported once per new session");
    }

    @Test
    void serverRequestsAreAnsweredUnderTheServersId() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        open(server);

        server.emit(new JsonRpcRequest(RequestId.of("srv-1"), "roots/list", Json.object()));
        server.emit(new JsonRpcRequest(RequestId.of(77), "ping", null));

        Await.until("both answers arrive", WAIT, () -> server.received().stream()
                .filter(m -> m instanceof JsonRpcResponse).count() == 2);
        List<JsonRpcResponse> answers = server.received().stream().filter(m -> m instanceof JsonRpcResponse)
                .map(JsonRpcResponse.class::cast).toList();
        assertEquals(RequestId.of("srv-1"), answers.get(0).id());
        assertEquals("file:///work", answers.get(0).result().path("roots").get(0).path("uri").asText());
        assertEquals(RequestId.of(77), answers.get(1).id());
        assertNotNull(answers.get(1).result());
    }

    @Test
    void aLateAnswerIsIgnoredQuietlyButAnAnswerToARequestNeverSentIsWarnedOf() throws Exception {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        open(server);
        long probe = ((RequestId.Number) server.requests("server/discover").get(0).id()).value();

        String late = Stderr.of(() -> {
            server.emit(JsonRpcResponse.success(RequestId.of(probe), Json.object()));
            server.emit(new JsonRpcNotification("notifications/tools/list_changed", null));
            Await.until("the message after it arrives", WAIT, () -> !notifications.isEmpty());
        });
        assertFalse(late.contains("WARN"), "an answer crossing its timeout or cancellation is no fault: " + late);

        String unknown = Stderr.of(() -> {
            server.emit(JsonRpcResponse.success(RequestId.of(1_000_000), Json.object()));
            server.emit(JsonRpcResponse.success(RequestId.of("made-up"), Json.object()));
            server.emit(new JsonRpcNotification("notifications/tools/list_changed", null));
            Await.until("the message after them arrives", WAIT, () -> notifications.size() == 2);
        });
        assertTrue(unknown.contains("WARN") && unknown.contains("answered request id 1000000, which the gateway"
                + " never sent"), unknown);
    }

    @Test
    void anUnsupportedLegacyVersionFailsTheHandshakeClearly() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        server.handle("initialize", (s, request) -> JsonRpcResponse.success(request.id(),
                Json.object().put("protocolVersion", "2023-01-01")));

        CompletionException error = assertThrows(CompletionException.class,
                () -> ClientSession.open(server, "plugin 'old'", context, broken::add).join());
        assertInstanceOf(ChannelException.class, error.getCause());
        assertEquals("plugin 'old' answered initialize with protocol version '2023-01-01', which the gateway does not"
                + " speak; it speaks [2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05]", error.getCause().getMessage());
    }

    @Test
    void aModernServerRefusingTheProbeIsNotMistakenForALegacyOne() {
        ScriptedServer strict = new ScriptedServer(ScriptedServer.Era.MODERN);
        strict.handle("server/discover", (s, request) -> JsonRpcResponse.failure(request.id(),
                ErrorCodes.MISSING_CLIENT_CAPABILITY, "Missing required client capability: sampling"));

        CompletionException error = assertThrows(CompletionException.class,
                () -> ClientSession.open(strict, "plugin 'strict'", context, broken::add).join());
        assertInstanceOf(ChannelException.class, error.getCause());
        assertTrue(error.getCause().getMessage().contains("refused the gateway's server/discover"),
                error.getCause().getMessage());
        assertTrue(strict.requests("initialize").isEmpty(), "no fallback to the legacy handshake");
    }

    @Test
    void anInitializeThatTimesOutIsNeverCancelled() {
        ScriptedServer silent = new ScriptedServer(ScriptedServer.Era.LEGACY);
        silent.handle("initialize", (s, request) -> null);
        ConnectionContext quick = new ConnectionContext("test-1", listener, scheduler,
                SessionOptions.defaults().withHandshakeTimeout(Duration.ofMillis(150)).withProbeModern(false));

        assertThrows(CompletionException.class, () -> ClientSession.open(silent, "plugin 'silent'", quick, broken::add)
                .join());
        assertEquals(List.of(), silent.notifications("notifications/cancelled"),
                "2025-11-25: the initialize request must not be cancelled");
    }

    @Test
    void discoveryFollowsCursorsToTheEnd() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        server.handle("tools/list", (s, request) -> {
            int page = request.params().path("cursor").asInt(0);
            ObjectNode result = Json.object();
            result.putArray("tools").add(ScriptedServer.tool("tool" + page)).add(Json.object().put("broken", true));
            if (page < 3) {
                result.put("nextCursor", String.valueOf(page + 1));
            }
            return JsonRpcResponse.success(request.id(), result);
        });
        ClientSession session = open(server);

        List<Tool> tools = Discovery.tools(session, "plugin 'scripted'", WAIT).join();

        assertEquals(List.of("tool0", "tool1", "tool2", "tool3"), tools.stream().map(Tool::name).toList());
    }

    @Test
    void aSupervisedConnectionRestartsAfterACrashAndFailsFastMeanwhile() {
        List<ScriptedServer> servers = new CopyOnWriteArrayList<>();
        PluginConnection connection = McpSessions.supervised(() -> {
            ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
            servers.add(server);
            return server;
        }, "plugin 'scripted' (s-1)", context);
        toClose.add(connection);
        Await.until("the first connection is up", WAIT, () -> connected.get() == 1);
        assertEquals("echo", connection.request("tools/call", call("echo"), CallOptions.timeout(WAIT)).join()
                .path("echo").path("name").asText());

        servers.get(0).die("plugin 'scripted' exited with code 137");

        Await.until("the crash is reported", WAIT, () -> broken.size() == 1);
        Await.until("a new process is connected", WAIT, () -> connected.get() == 2);
        assertEquals(2, servers.size());
        assertEquals("echo", connection.request("tools/call", call("echo"), CallOptions.timeout(WAIT)).join()
                .path("echo").path("name").asText());

        connection.close();
        JsonRpcException closed = failure(connection.request("tools/call", call("echo"), CallOptions.timeout(WAIT)));
        assertEquals("plugin 'scripted' (s-1) is not connected: the gateway closed it", closed.getMessage());
    }

    /** A supervised connection whose first channel opens only once {@code opened} is counted down. */
    private PluginConnection connectingWhen(CountDownLatch opened, ScriptedServer first) {
        List<ScriptedServer> servers = new CopyOnWriteArrayList<>();
        PluginConnection connection = McpSessions.supervised(() -> {
            try {
                opened.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ScriptedServer server = servers.isEmpty() ? first : new ScriptedServer(ScriptedServer.Era.LEGACY);
            servers.add(server);
            return server;
        }, "plugin 'scripted' (s-1)", context);
        toClose.add(connection);
        return connection;
    }

    @Test
    void aCallBeforeTheFirstHandshakeWaitsForIt() {
        CountDownLatch opened = new CountDownLatch(1);
        PluginConnection connection = connectingWhen(opened, new ScriptedServer(ScriptedServer.Era.LEGACY));

        CompletableFuture<JsonNode> early = connection.request("tools/call", call("echo"), CallOptions.timeout(WAIT));
        assertFalse(early.isDone(), "an instance registered with its tools is routable before it has connected");
        opened.countDown();

        assertEquals("echo", early.join().path("echo").path("name").asText());
    }

    @Test
    void aCallWaitingForAFailedFirstHandshakeFailsAsNeverSent() {
        CountDownLatch opened = new CountDownLatch(1);
        ScriptedServer failing = new ScriptedServer(ScriptedServer.Era.LEGACY);
        failing.handle("initialize", (s, request) -> {
            s.die("plugin 'scripted' exited with code 1 during start-up");
            return null;
        });
        PluginConnection connection = connectingWhen(opened, failing);

        CompletableFuture<JsonNode> early = connection.request("tools/call", call("echo"), CallOptions.timeout(WAIT));
        opened.countDown();

        JsonRpcException error = failure(early);
        assertInstanceOf(dev.mcpgateway.transport.NotSentException.class, error, "safe to send elsewhere");
        assertTrue(error.getMessage().startsWith("plugin 'scripted' (s-1) is not connected: "), error.getMessage());
    }

    @Test
    void aCallWaitsForTheFirstHandshakeNoLongerThanItsTimeout() {
        CountDownLatch opened = new CountDownLatch(1);
        PluginConnection connection = connectingWhen(opened, new ScriptedServer(ScriptedServer.Era.LEGACY));

        JsonRpcException error = failure(connection.request("tools/call", call("echo"),
                CallOptions.timeout(Duration.ofMillis(50))));
        opened.countDown();

        assertInstanceOf(dev.mcpgateway.transport.NotSentException.class, error, "never sent: safe elsewhere");
        assertEquals("plugin 'scripted' (s-1) is not connected: it has not connected yet", error.getMessage());
    }

    @Test
    void aServerDyingDuringTheHandshakeIsRetriedByOneChainOnly() {
        List<ScriptedServer> servers = new CopyOnWriteArrayList<>();
        PluginConnection connection = McpSessions.supervised(() -> {
            ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
            if (servers.isEmpty()) {
                server.handle("initialize", (s, request) -> {
                    s.die("plugin 'scripted' exited with code 1 during start-up");
                    return null;
                });
            }
            servers.add(server);
            return server;
        }, "plugin 'scripted' (s-1)", context);
        toClose.add(connection);

        Await.until("the second process is connected", WAIT, () -> connected.get() == 1);
        assertEquals("echo", connection.request("tools/call", call("echo"), CallOptions.timeout(WAIT)).join()
                .path("echo").path("name").asText());
        assertEquals(2, servers.size(), "one failed start, one restart, no second restart chain");
        assertEquals(1, broken.size(), "the failed start was reported once");
    }

    @Test
    void onlyUndeliveredRequestsCountAsNeverSent() {
        ScriptedServer server = new ScriptedServer(ScriptedServer.Era.LEGACY);
        ClientSession session = open(server);

        server.failNextSend(new dev.mcpgateway.transport.UndeliveredException("connection refused"));
        JsonRpcException undelivered = failure(session.request("tools/call", call("echo"), CallOptions.timeout(WAIT)));
        assertInstanceOf(dev.mcpgateway.transport.NotSentException.class, undelivered, "safe to send elsewhere");

        server.failNextSend(new ChannelException("connection reset while reading the answer"));
        JsonRpcException unknown = failure(session.request("tools/call", call("echo"), CallOptions.timeout(WAIT)));
        assertEquals(ErrorCodes.UPSTREAM_UNAVAILABLE, unknown.code());
        assertFalse(unknown instanceof dev.mcpgateway.transport.NotSentException, "the plugin may have run it");
    }
}
