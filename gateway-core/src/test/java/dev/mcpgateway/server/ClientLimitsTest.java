package dev.mcpgateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's {@link ClientLimits}: sessions in all and per client, requests in flight per session. */
@Timeout(30)
class ClientLimitsTest {
    private final CountDownLatch gate = new CountDownLatch(1);
    private ServerFixture fixture;

    @AfterEach
    void tearDown() {
        gate.countDown();
        if (fixture != null) {
            fixture.close();
        }
    }

    private ServerFixture start(ServerOptions options) {
        fixture = new ServerFixture(options);
        fixture.gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds a and b", (args, ctx) ->
                        CallToolResult.text(Integer.toString(args.path("a").asInt() + args.path("b").asInt())))
                .tool("gate", "Returns once the test opens the gate", (args, ctx) -> {
                    if (!gate.await(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never opened the gate");
                    }
                    return CallToolResult.text("opened");
                })
                .build()).join();
        return fixture;
    }

    @Test
    void sessionsBeyondTheLimitPerClientOrInAllAreRefusedUntilOneEnds() {
        ServerFixture f = start(ServerOptions.defaults().withClientLimits(ClientLimits.defaults().withSessions(3, 2)));
        ServerSession first = f.server.newSession("10.0.0.1");
        f.server.newSession("10.0.0.1");
        SessionLimitException perClient = assertThrows(SessionLimitException.class,
                () -> f.server.newSession("10.0.0.1"));
        assertTrue(perClient.perClient());
        assertEquals(ErrorCodes.OVERLOADED, perClient.code());
        assertTrue(perClient.getMessage().contains("maxSessionsPerClient"), perClient.getMessage());

        ServerSession other = f.server.newSession("10.0.0.2"); // another client still gets one
        SessionLimitException total = assertThrows(SessionLimitException.class,
                () -> f.server.newSession("10.0.0.3"));
        assertFalse(total.perClient());
        assertTrue(total.getMessage().contains("maxSessions"), total.getMessage());
        assertThrows(SessionLimitException.class, f.server::newSession); // sessions of no client count in all

        assertTrue(f.server.endSession(first.id()));
        f.server.newSession("10.0.0.3"); // the place it gave back
        assertTrue(f.server.endSession(other.id()));
        f.server.newSession("10.0.0.1"); // 10.0.0.1 holds one now
        assertEquals(1, f.server.rejections().count("maxSessionsPerClient"));
        assertEquals(2, f.server.rejections().count("maxSessions"));
    }

    @Test
    void anIdleSessionGivesItsPlaceBackWhenItExpires() {
        ServerFixture f = start(ServerOptions.defaults().withSessionIdleTimeout(Duration.ofMillis(100))
                .withClientLimits(ClientLimits.defaults().withSessions(1, 1)));
        ServerSession idle = f.server.newSession("10.0.0.1");
        Await.until("the idle session expired and gave its place back", Duration.ofSeconds(10), () -> {
            try {
                f.server.newSession("10.0.0.1");
                return true;
            } catch (SessionLimitException stillHeld) {
                return false;
            }
        });
        assertTrue(f.server.session(idle.id()).isEmpty());
    }

    @Test
    void requestsBeyondTheLimitPerSessionAreAnsweredOverloadedAndNotCarriedOut() {
        ServerFixture f = start(ServerOptions.defaults()
                .withClientLimits(ClientLimits.defaults().withMaxCallsPerSession(2)));
        ServerSession busy = f.initialized(ProtocolVersions.LATEST_LEGACY);
        ServerSession calm = f.initialized(ProtocolVersions.LATEST_LEGACY);
        CompletableFuture<JsonRpcResponse> one = f.send(busy, "tools/call", Json.object().put("name", "calc__gate"),
                message -> false);
        CompletableFuture<JsonRpcResponse> two = f.send(busy, "tools/call", Json.object().put("name", "calc__gate"),
                message -> false);

        JsonRpcResponse refused = f.request(busy, "ping", null);
        assertTrue(refused.isError());
        assertEquals(ErrorCodes.OVERLOADED, refused.error().code());
        assertTrue(refused.error().message().contains("maxCallsPerSession"), refused.error().message());
        assertEquals(1, f.server.rejections().count("maxCallsPerSession"));

        JsonRpcResponse sum = f.request(calm, "tools/call", Json.object().put("name", "calc__add")
                .set("arguments", Json.object().put("a", 20).put("b", 22)));
        assertFalse(sum.isError(), () -> sum.error().message()); // another session is served meanwhile

        gate.countDown();
        assertFalse(one.join().isError());
        assertFalse(two.join().isError());
        assertFalse(f.request(busy, "ping", null).isError()); // the places came back
    }

    @Test
    void aRequestGivesItsPlaceBackHoweverItFails() {
        ServerFixture f = start(ServerOptions.defaults()
                .withClientLimits(ClientLimits.defaults().withMaxCallsPerSession(1)));
        ServerSession session = f.initialized(ProtocolVersions.LATEST_LEGACY);

        assertEquals(ErrorCodes.METHOD_NOT_FOUND, f.request(session, "nope", null).error().code()); // refused at once
        assertTrue(f.request(session, "tools/call", Json.object().put("name", "calc__nope")).isError()); // in a stage

        assertFalse(f.request(session, "ping", null).isError(), "the place came back each time");
        assertEquals(0, f.server.rejections().count("maxCallsPerSession"));
    }

    @Test
    void limitsAreValidatedWithWhatToFix() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ClientLimits.defaults().withMaxCallsPerSession(0));
        assertEquals("maxCallsPerSession must be at least 1 (the default is 100), got 0", zero.getMessage());
        IllegalArgumentException perClient = assertThrows(IllegalArgumentException.class,
                () -> ClientLimits.defaults().withSessions(10, 11));
        assertEquals("maxSessionsPerClient (11) must not exceed maxSessions (10); lower it or raise maxSessions",
                perClient.getMessage());
        assertEquals(new ClientLimits(10_000, 100, 100, 100), ServerOptions.defaults().clientLimits());
        assertEquals(Duration.ofMinutes(10), ServerOptions.defaults().sessionIdleTimeout());
    }
}
