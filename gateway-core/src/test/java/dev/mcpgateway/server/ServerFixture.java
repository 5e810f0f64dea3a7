package dev.mcpgateway.server;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gateway whose plugins are {@link ScriptedServer}s, with its MCP server, driven as a front door would: sessions
 * of either era, requests with fresh ids, and what the server sent each legacy session unsolicited.
 */
final class ServerFixture implements AutoCloseable {
    final Map<String, ScriptedServer> scripted = new ConcurrentHashMap<>();
    final McpGateway gateway;
    final McpServer server;
    final List<JsonRpcMessage> unsolicited = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    ServerFixture(ServerOptions options) {
        this(options, McpGateway.builder());
    }

    /** With a gateway built from the given builder (a fake clock, a configuration), plus the scripted transport. */
    ServerFixture(ServerOptions options, McpGateway.Builder builder) {
        this(options, builder, SessionStore.none());
    }

    /** A gateway sharing its client sessions through {@code sessions} with the others using it. */
    ServerFixture(ServerOptions options, SessionStore sessions) {
        this(options, McpGateway.builder(), sessions);
    }

    private ServerFixture(ServerOptions options, McpGateway.Builder builder, SessionStore sessions) {
        gateway = builder.transport(new ScriptedTransport(
                instance -> scripted.getOrDefault(instance.id(), scripted.get(instance.pluginName())))).build();
        server = McpServer.create(gateway, options, sessions);
    }

    /** Adds a plugin of one scripted instance under a name. */
    void plugin(String name, ScriptedServer plugin) {
        scripted.put(name, plugin);
        gateway.addPlugin(PluginManifest.builder(name).transport(TransportSpec.Stdio.of(name)).build()).join();
    }

    JsonRpcResponse request(ServerSession session, String method, JsonNode params) {
        return send(session, method, params, message -> false).join();
    }

    CompletableFuture<JsonRpcResponse> send(ServerSession session, String method, JsonNode params, MessageSink stream) {
        return session.handle(new JsonRpcRequest(RequestId.of(ids.incrementAndGet()), method, params), stream);
    }

    /** A legacy session through initialize, declaring the given client capabilities. */
    ServerSession initialized(String version, String... capabilities) {
        ServerSession session = server.newSession();
        session.attach(unsolicited::add);
        ObjectNode params = Json.object().put("protocolVersion", version);
        ObjectNode declared = params.putObject("capabilities");
        for (String capability : capabilities) {
            declared.putObject(capability);
        }
        params.putObject("clientInfo").put("name", "test").put("version", "1");
        JsonRpcResponse response = request(session, "initialize", params);
        assertFalse(response.isError(), () -> response.error().message());
        session.handle(new JsonRpcNotification("notifications/initialized", null), MessageSink.NONE).join();
        return session;
    }

    /** The params of a 2026-07-28 request declaring the given client capabilities. */
    static ObjectNode modernParams(String... capabilities) {
        ObjectNode params = Json.object();
        ObjectNode meta = params.putObject("_meta");
        meta.put(ProtocolVersions.META_PROTOCOL_VERSION, ProtocolVersions.MODERN);
        ObjectNode declared = meta.putObject(ProtocolVersions.META_CLIENT_CAPABILITIES);
        for (String capability : capabilities) {
            declared.putObject(capability);
        }
        return params;
    }

    /**
     * A legacy plugin whose {@code book} tool asks its client "Which date?" ({@code elicitation/create} under the
     * plugin's id {@code srv-1}) and leaves the call open for the test to answer.
     */
    static ScriptedServer askingForADate() {
        ScriptedServer asking = new ScriptedServer(ScriptedServer.Era.LEGACY);
        asking.handle("tools/list", (s, r) -> list(r, "tools", ScriptedServer.tool("book")));
        asking.handle("tools/call", (s, r) -> {
            ObjectNode params = Json.object().put("message", "Which date?");
            params.putObject("requestedSchema").put("type", "object");
            s.emit(new JsonRpcRequest(RequestId.of("srv-1"), "elicitation/create", params));
            return null; // answered by the test once the client replied
        });
        return asking;
    }

    /** A one-item list result. */
    static JsonRpcResponse list(JsonRpcRequest request, String field, ObjectNode item) {
        ObjectNode result = Json.object();
        result.putArray(field).add(item);
        return JsonRpcResponse.success(request.id(), result);
    }

    @Override
    public void close() {
        server.close();
        gateway.close();
    }
}
