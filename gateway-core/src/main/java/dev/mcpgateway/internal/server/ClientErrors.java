package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.routing.ToolRoute;
import dev.mcpgateway.transport.ChannelException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway's MCP clients are told when a request fails. Failures to reach a plugin are worded by the
 * gateway from the plugin's address, its error body or its process, which clients must not see: they are told the
 * plugin's name and what happened ("plugin 'weather' is unreachable", "plugin 'weather' answered HTTP 502", "plugin
 * 'weather' is unavailable" when no instance is healthy, as the reasons name addresses too) with
 * an error id, in the message and in {@code data.errorId}, that names one log line with the full detail. So are
 * the gateway's own unexpected failures. Everything else passes as it is: a plugin's own JSON-RPC errors are its
 * answer, and the gateway's routing and admission errors name only tools and instances. Hosts using the Java API
 * ({@code McpGateway}) still get the detailed exceptions.
 */
final class ClientErrors {
    private static final Logger log = LoggerFactory.getLogger(ClientErrors.class);

    private ClientErrors() {
    }

    /**
     * The error a client is answered with for a failed request.
     *
     * @param plugin the name of the plugin the request was last sent to, or null if it was not sent or is gone
     */
    static JsonRpcException forClient(Throwable failure, Supplier<String> plugin, String method, String session) {
        if (!(failure instanceof JsonRpcException rpc)) {
            String id = newId();
            log.warn("Answering {} for client session {} failed (error id {})", method, session, id, failure);
            return sanitized(ErrorCodes.INTERNAL_ERROR, "Internal error in the gateway", id, null);
        }
        String happened = switch (rpc.code()) {
            case ErrorCodes.UPSTREAM_TIMEOUT -> " did not answer in time; the request was cancelled";
            case ErrorCodes.UPSTREAM_UNAVAILABLE -> unavailable(rpc);
            // Its message says why each instance is down, and a connection's reason quotes the plugin's address.
            case ErrorCodes.NO_HEALTHY_INSTANCE -> " is unavailable: none of its instances is healthy";
            default -> null;
        };
        if (happened == null) {
            return rpc;
        }
        String name = plugin.get();
        String what = (name == null ? "a plugin" : "plugin '" + name + "'") + happened;
        String id = newId();
        // Debug, not warn: a plugin that is down fails every call, and its connection's own log says so once.
        log.debug("{} for {} in client session {} (error id {}): {}", what, method, session, id, rpc.getMessage(),
                rpc.getCause());
        return sanitized(rpc.code(), what, id, name);
    }

    /**
     * The name of the plugin a failed request was last sent to, or else (never sent: none of its instances was
     * healthy) of the plugin serving the tool it calls; null if neither is known.
     *
     * @param instanceId the instance the request was last sent to, or null
     */
    static String pluginOf(McpGateway gateway, String instanceId, JsonRpcRequest request) {
        if (instanceId != null) {
            return gateway.registry().instance(instanceId).map(PluginInstance::pluginName).orElse(null);
        }
        JsonNode tool = "tools/call".equals(request.method()) && request.params() != null
                ? request.params().get("name") : null;
        ToolRoute route = tool == null || !tool.isTextual() ? null
                : gateway.routingTable().routeByExposedName(tool.textValue());
        return route == null || route.endpoints().isEmpty() ? null
                : route.endpoints().getFirst().instance().pluginName();
    }

    /** What happened to an unavailable plugin: the HTTP status its server answered, if that was the failure. */
    private static String unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ChannelException channel && channel.httpStatus() != 0) {
                return " answered HTTP " + channel.httpStatus();
            }
        }
        return " is unreachable";
    }

    private static JsonRpcException sanitized(int code, String what, String errorId, String plugin) {
        ObjectNode data = Json.object().put("errorId", errorId);
        if (plugin != null) {
            data.put("plugin", plugin);
        }
        return new JsonRpcException(code, what + " (error id " + errorId + "; the gateway's log has the details)",
                null, data, null);
    }

    /** 16 hex digits: unique enough to find one log line, and nothing a client could learn from. */
    private static String newId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
