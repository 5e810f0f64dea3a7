package dev.mcpgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.MessageChannel;
import dev.mcpgateway.transport.SessionExpiredException;
import dev.mcpgateway.transport.UndeliveredException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * An MCP server inside the test, behind a {@link MessageChannel}: it answers the handshake of the era it is
 * told to speak and lets tests script tools/call, send notifications and requests, misbehave and die. Every
 * message goes through the real codec both ways, so what the session sees is what a wire would carry.
 */
public final class ScriptedServer implements MessageChannel {
    /** Which handshake the server answers. */
    public enum Era { LEGACY, MODERN }

    private final Era era;
    private final ExecutorService deliveries = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("scripted-server").daemon(true).factory());
    private final List<JsonRpcMessage> received = new CopyOnWriteArrayList<>();
    private final Map<String, BiFunction<ScriptedServer, JsonRpcRequest, JsonRpcMessage>> handlers = new ConcurrentHashMap<>();
    private volatile Receiver receiver;
    private volatile boolean closed;
    private volatile boolean expireNextRequest;
    private volatile String negotiated;

    public ScriptedServer(Era era) {
        this.era = era;
        List<ObjectNode> tools = List.of(tool("echo"), tool("slow"));
        handle("tools/list", (server, request) -> {
            ObjectNode result = Json.object();
            tools.forEach(result.putArray("tools")::add);
            return JsonRpcResponse.success(request.id(), result);
        });
        handle("tools/call", (server, request) -> "slow".equals(request.params().path("name").asText()) ? null
                : JsonRpcResponse.success(request.id(), Json.object().set("echo", request.params())));
    }

    /**
     * A legacy-era server that lists only the given tools (and echoes calls), so a plugin whose registration declares
     * the same tools changes no route when it is discovered on connect.
     */
    public static ScriptedServer listing(String... tools) {
        return new ScriptedServer(Era.LEGACY).handle("tools/list", (server, request) -> {
            ObjectNode result = Json.object();
            ArrayNode listed = result.putArray("tools");
            for (String tool : tools) {
                listed.add(tool(tool));
            }
            return JsonRpcResponse.success(request.id(), result);
        });
    }

    /** A minimal tool definition. */
    public static ObjectNode tool(String name) {
        ObjectNode tool = Json.object().put("name", name);
        tool.putObject("inputSchema").put("type", "object");
        return tool;
    }

    /** Scripts a method: the function returns the answer to send, or null to send nothing. */
    public ScriptedServer handle(String method, BiFunction<ScriptedServer, JsonRpcRequest, JsonRpcMessage> handler) {
        handlers.put(method, handler);
        return this;
    }

    /** Sends a message to the session as if the server wrote it. */
    public void emit(JsonRpcMessage message) {
        byte[] wire = JsonRpcCodec.INSTANCE.encode(message);
        deliveries.execute(() -> receiver.onMessage(JsonRpcCodec.INSTANCE.decode(wire)));
    }

    /** Sends a line that is not JSON-RPC. */
    public void emitGarbage(String line) {
        deliveries.execute(() -> receiver.onInvalid("not JSON-RPC: " + line));
    }

    /** Ends the channel as a crashing server would. */
    public void die(String why) {
        closed = true;
        deliveries.execute(() -> receiver.onClosed(new ChannelException(why)));
    }

    private volatile ChannelException failNextSend;

    /** Makes the next send fail with this exception, as a broken transport would. */
    public void failNextSend(ChannelException failure) {
        failNextSend = failure;
    }

    /** Makes the next request fail as an HTTP 404 for an unknown session would. */
    public void expireSession() {
        expireNextRequest = true;
    }

    /** Every message the session sent, in order. */
    public List<JsonRpcMessage> received() {
        return List.copyOf(received);
    }

    /** The requests of one method the session sent. */
    public List<JsonRpcRequest> requests(String method) {
        return received.stream().filter(m -> m instanceof JsonRpcRequest r && r.method().equals(method))
                .map(JsonRpcRequest.class::cast).toList();
    }

    /** The notifications of one method the session sent. */
    public List<JsonRpcNotification> notifications(String method) {
        return received.stream().filter(m -> m instanceof JsonRpcNotification n && n.method().equals(method))
                .map(JsonRpcNotification.class::cast).toList();
    }

    /** The version the session said it negotiated. */
    public String negotiated() {
        return negotiated;
    }

    @Override
    public void start(Receiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public CompletableFuture<Void> send(JsonRpcMessage message) {
        if (closed) {
            return CompletableFuture.failedFuture(new UndeliveredException("scripted server is closed"));
        }
        ChannelException failure = failNextSend;
        if (failure != null) {
            failNextSend = null;
            return CompletableFuture.failedFuture(failure);
        }
        JsonRpcMessage onWire = JsonRpcCodec.INSTANCE.decode(JsonRpcCodec.INSTANCE.encode(message));
        if (onWire instanceof JsonRpcRequest request && expireNextRequest && !"initialize".equals(request.method())) {
            expireNextRequest = false;
            return CompletableFuture.failedFuture(new SessionExpiredException("404: unknown session"));
        }
        received.add(onWire);
        if (onWire instanceof JsonRpcRequest request) {
            JsonRpcMessage answer = answer(request);
            if (answer != null) {
                emit(answer);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    private JsonRpcMessage answer(JsonRpcRequest request) {
        BiFunction<ScriptedServer, JsonRpcRequest, JsonRpcMessage> scripted = handlers.get(request.method());
        if (scripted != null && !"tools/list".equals(request.method()) && !"tools/call".equals(request.method())) {
            return scripted.apply(this, request);
        }
        switch (request.method()) {
            case "server/discover" -> {
                if (era == Era.LEGACY) {
                    return JsonRpcResponse.failure(request.id(), ErrorCodes.METHOD_NOT_FOUND, "Method not found");
                }
                ObjectNode result = Json.object().put("resultType", "complete");
                result.putArray("supportedVersions").add("2026-07-28");
                result.putObject("capabilities").putObject("tools").put("listChanged", true);
                result.putObject("_meta").putObject("io.modelcontextprotocol/serverInfo")
                        .put("name", "scripted").put("version", "2.0.0");
                return JsonRpcResponse.success(request.id(), result);
            }
            case "initialize" -> {
                ObjectNode result = Json.object().put("protocolVersion", request.params().path("protocolVersion").asText());
                result.putObject("capabilities").putObject("tools").put("listChanged", true);
                result.putObject("serverInfo").put("name", "scripted").put("version", "1.0.0");
                return JsonRpcResponse.success(request.id(), result);
            }
            default -> {
                BiFunction<ScriptedServer, JsonRpcRequest, JsonRpcMessage> handler = handlers.get(request.method());
                return handler != null ? handler.apply(this, request)
                        : JsonRpcResponse.failure(request.id(), ErrorCodes.METHOD_NOT_FOUND, "Method not found");
            }
        }
    }

    @Override
    public void protocolVersionNegotiated(String protocolVersion) {
        negotiated = protocolVersion;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            deliveries.execute(() -> receiver.onClosed(null));
            deliveries.shutdown();
        }
    }

    @Override
    public String describe() {
        return "scripted " + era;
    }

    /** The params a request carried, for assertions. */
    public static JsonNode params(JsonRpcRequest request) {
        return request.params();
    }
}
