package dev.mcpgateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An MCP client sees a down plugin's tools for the grace period, is told when they leave, and when they return. */
class ToolGracePeriodListChangedTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final FakeClock clock = new FakeClock(Instant.parse("2026-12-06T19:02:11Z"));
    private final ServerFixture fixture = new ServerFixture(
            ServerOptions.defaults().withListChangedDebounce(Duration.ofMillis(10)),
            McpGateway.builder().clock(clock).config(GatewayConfig.builder().toolGracePeriod(GRACE).build()));
    private final McpGateway gateway = fixture.gateway;

    @AfterEach
    void close() {
        fixture.close();
    }

    private List<String> listed(ServerSession session) {
        JsonNode tools = fixture.request(session, "tools/list", Json.object()).result().path("tools");
        return StreamSupport.stream(tools.spliterator(), false).map(tool -> tool.path("name").asText()).toList();
    }

    private long listChanges() {
        return fixture.unsolicited.stream().filter(m -> m instanceof JsonRpcNotification n
                && n.method().equals("notifications/tools/list_changed")).count();
    }

    @Test
    void aDownPluginsToolsStayForTheGraceThenLeaveWithAListChangedAndComeBack() {
        ServerSession session = fixture.initialized("2025-11-25");
        PluginInstance files = gateway.registerInProcess(InProcessPlugin.builder("files")
                .tool("read", "Reads", (args, ctx) -> CallToolResult.text("content")).build()).join();
        Await.until("the client is told of the new tool", WAIT, () -> listChanges() == 1);
        Await.until("the gateway's connection found the plugin healthy", WAIT,
                () -> gateway.registry().instance(files.id()).orElseThrow().health() == Health.HEALTHY);

        gateway.registry().reportHealth(files.id(), Health.UNHEALTHY, "2 probes timed out").join();
        assertEquals(List.of("files__read"), listed(session), "still listed during the grace period");
        JsonRpcResponse call = fixture.request(session, "tools/call", Json.object().put("name", "files__read"));
        assertEquals(ErrorCodes.NO_HEALTHY_INSTANCE, call.error().code());
        assertEquals("plugin 'files' is unavailable: none of its instances is healthy (error id "
                + call.error().data().path("errorId").asText() + "; the gateway's log has the details)",
                call.error().message(), "the reasons may name the plugin's address, so clients get the gist");
        CompletionException direct = assertThrows(CompletionException.class,
                () -> gateway.callTool("files__read", Json.object()).join());
        assertEquals("Plugin 'files' is unavailable since 2026-12-06T19:02:11Z: " + files.id() + ": 2 probes timed out",
                direct.getCause().getMessage(), "the Java API says since when and why");

        clock.advance(GRACE);
        gateway.registry().evictExpired().join();
        Await.until("a list_changed reaches the client", WAIT, () -> listChanges() == 2);
        assertEquals(List.of(), listed(session), "withdrawn after the grace period");

        gateway.registry().reportHealth(files.id(), Health.HEALTHY, "probe passed").join();
        Await.until("another list_changed reaches the client", WAIT, () -> listChanges() == 3);
        assertEquals(List.of("files__read"), listed(session), "listed again on recovery");
    }
}
