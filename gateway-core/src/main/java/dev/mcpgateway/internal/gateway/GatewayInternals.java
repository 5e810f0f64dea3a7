package dev.mcpgateway.internal.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.transport.CallOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the gateway's own MCP server and front doors need of a {@link McpGateway} beyond its public API: hearing
 * plugins' notifications and requests, the clients with calls in flight on an instance, sending any request on a
 * client's behalf, the gateway's timer, and auditing a front door's authentication failures. {@code McpGateway} hands
 * this class the way to reach them when it is first loaded (the JDK's "shared secrets" idiom), so a host never sees
 * them.
 */
public final class GatewayInternals {
    /** How the gateway's parts reach a gateway's internals; implemented by {@code McpGateway} alone. */
    public interface Access {
        ConnectionManager connections(McpGateway gateway);

        DataPlane dataPlane(McpGateway gateway);

        CompletableFuture<JsonNode> forward(McpGateway gateway, String instanceId, String method, JsonNode params,
                                            CallOptions options, Authenticated client);

        void auditAuthFailure(McpGateway gateway, AuthFailure failure);
    }

    private static volatile Access access;

    private GatewayInternals() {
    }

    /** Called once, by {@code McpGateway}'s static initializer; a gateway exists only after it ran. */
    public static void install(Access implementation) {
        if (access != null) {
            throw new IllegalStateException("McpGateway's internals are installed once, by McpGateway itself");
        }
        access = implementation;
    }

    /** Adds a listener of plugins' notifications and requests; the gateway's MCP server adds itself. */
    public static void addPluginListener(McpGateway gateway, PluginListener listener) {
        access.connections(gateway).addPluginListener(listener);
    }

    /** Removes a listener added before. */
    public static void removePluginListener(McpGateway gateway, PluginListener listener) {
        access.connections(gateway).removePluginListener(listener);
    }

    /** The clients (see {@code ToolCall.client()}) of the calls in flight on an instance, oldest first. */
    public static List<Authenticated> clientsOn(McpGateway gateway, String instanceId) {
        return access.dataPlane(gateway).clientsOn(instanceId);
    }

    /**
     * Sends any MCP request to one plugin instance on behalf of a client (or null), so requests the plugin makes
     * while serving it can be relayed to that client; fails with {@code GATEWAY_CLOSED} once the gateway closed.
     */
    public static CompletableFuture<JsonNode> forward(McpGateway gateway, String instanceId, String method,
                                                      JsonNode params, CallOptions options, Authenticated client) {
        return access.forward(gateway, instanceId, method, params, options, client);
    }

    /**
     * The gateway's timer (one thread, cancelled timers dropped at once) for the periodic work of its front doors;
     * stopped when the gateway closes.
     */
    public static ScheduledExecutorService scheduler(McpGateway gateway) {
        return access.connections(gateway).scheduler();
    }

    /** Audits a client's failure to authenticate at a front door ({@code docs/AUDIT.md}); returns at once. */
    public static void auditAuthFailure(McpGateway gateway, AuthFailure failure) {
        access.auditAuthFailure(gateway, failure);
    }
}
