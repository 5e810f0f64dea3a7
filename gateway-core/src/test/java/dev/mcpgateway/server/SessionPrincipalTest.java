package dev.mcpgateway.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.CallToolResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The principal a front door authenticated travels with the session it began and with every tool call of it, where
 * an interceptor (later, per-tool authorization) reads it from the call's requester; both eras.
 */
class SessionPrincipalTest {
    private static final Principal ALICE = new Principal("alice", "https://auth.example.test/", "inspector",
            Set.of("mcp:use"), Set.of("https://gateway.example.test/mcp"), null, Map.of("sub", "alice"));

    private final List<Object> seen = new CopyOnWriteArrayList<>();
    private final ServerFixture fixture = new ServerFixture(ServerOptions.defaults(), McpGateway.builder()
            .interceptor(chain -> {
                seen.add(chain.call().principal() == null ? "none" : chain.call().principal());
                return chain.proceed(chain.call());
            }));

    {
        fixture.gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds", (args, ctx) -> CallToolResult.text("3")).build()).join();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void aSessionsCallsCarryItsPrincipal() {
        ServerSession session = fixture.server.newSession("principal alice", ALICE);
        assertSame(ALICE, session.principal());
        JsonRpcResponse init = fixture.request(session, "initialize", Json.object().put("protocolVersion",
                "2025-06-18").set("clientInfo", Json.object().put("name", "t").put("version", "1")));
        assertFalse(init.isError(), () -> init.error().message());
        call(session, Json.object());
        assertSame(ALICE, fixture.server.session(session.id()).orElseThrow().principal());

        ServerSession stateless = fixture.server.statelessSession(ALICE);
        call(stateless, ServerFixture.modernParams());
        assertSame(ALICE, stateless.principal());

        assertNull(fixture.server.newSession().principal(), "a front door that does not authenticate");
        assertSame(ALICE, seen.get(0));
        assertSame(ALICE, seen.get(1));
    }

    private void call(ServerSession session, com.fasterxml.jackson.databind.node.ObjectNode params) {
        params.put("name", "calc__add").putObject("arguments");
        JsonRpcResponse response = fixture.request(session, "tools/call", params);
        assertFalse(response.isError(), () -> response.error().message());
    }
}
