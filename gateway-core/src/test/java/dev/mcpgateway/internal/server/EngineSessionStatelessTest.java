package dev.mcpgateway.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.server.MessageSink;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.server.SessionStore;
import dev.mcpgateway.testing.Await;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a stateless session costs and is named: one is made for every stateless-era request. */
class EngineSessionStatelessTest {
    private final McpGateway gateway = McpGateway.builder().build();
    private final ServerEngine engine = new ServerEngine(gateway, ServerOptions.defaults(), SessionStore.none());
    private final ServerEngine other = new ServerEngine(gateway, ServerOptions.defaults(), SessionStore.none());

    @AfterEach
    void close() {
        other.close();
        engine.close();
        gateway.close();
    }

    @Test
    void idsAreUniqueInTheProcessAndNameTheirGateway() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            for (ServerEngine each : new ServerEngine[] {engine, other}) {
                String id = each.statelessSession(null, null, null).id();
                assertTrue(id.startsWith("stateless-" + each.shared().gatewayTag() + "-"), id);
                assertTrue(ids.add(id), "repeated: " + id);
            }
        }
        assertEquals(2_000, ids.size());
    }

    @Test
    void anIdIsTheSameEveryTimeItIsAskedFor() {
        EngineSession session = EngineSession.stateless(engine, null, null, null);
        assertEquals(session.id(), session.id());
    }

    @Test
    void aCallThatAsksNothingBuildsNoMapsAndEndsWithItsSession() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        gateway.registerInProcess(InProcessPlugin.builder("wait").tool("wait", "Waits to be cancelled", (args, ctx) -> {
            started.countDown();
            new CountDownLatch(1).await();
            return CallToolResult.text("unreachable");
        }).build()).join();
        EngineSession session = EngineSession.stateless(engine, null, null, null);
        ObjectNode params = Json.object().put("name", "wait__wait");
        params.putObject("_meta").put(ProtocolVersions.META_PROTOCOL_VERSION, ProtocolVersions.MODERN)
                .putObject(ProtocolVersions.META_CLIENT_CAPABILITIES);

        CompletableFuture<JsonRpcResponse> call = session.handle(new JsonRpcRequest(RequestId.of(1), "tools/call",
                params), MessageSink.NONE);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertFalse(session.builtMaps());
        assertFalse(session.servesFromHere(), "no stream, no subscriptions");
        session.close(); // the HTTP client went away

        assertTrue(call.orTimeout(10, TimeUnit.SECONDS).join().isError());
        Await.until("the plugin's call is no longer in flight", Duration.ofSeconds(10), () -> gateway.routingTable()
                .routes().values().stream().flatMap(route -> route.endpoints().stream())
                .allMatch(endpoint -> endpoint.stats().inFlight() == 0));
    }

    @Test
    void clientsThatDidNotAuthenticateShareOneViewOfTheWholeServer() {
        Principal alice = new Principal("alice", "https://issuer", null, Set.of(), Set.of(), null, Map.of());

        CatalogView anonymous = EngineSession.stateless(engine, null, null, null).view();

        assertSame(anonymous, EngineSession.stateless(engine, null, null, null).view());
        assertSame(anonymous, engine.view(null, null));
        assertNotSame(engine.view(alice, null), engine.view(alice, null), "a principal's view is its session's own");
    }
}
