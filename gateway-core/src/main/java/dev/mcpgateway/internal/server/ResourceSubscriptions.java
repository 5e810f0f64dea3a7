package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.transport.CallOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own subscriptions to plugins' resources, shared by every client that wants a URI's updates (legacy
 * sessions through {@code resources/subscribe}, 2026-07-28 clients through their listen streams): the plugin is
 * subscribed when the first client asks and unsubscribed when the last one lets go, so one client leaving never
 * silences another. The plugin's era decides how (its MCP client speaks either).
 */
final class ResourceSubscriptions {
    private static final Logger log = LoggerFactory.getLogger(ResourceSubscriptions.class);

    /** One URI's upstream subscription: the instance it was made with, how it went, and how many clients hold it. */
    private static final class Holding {
        final String instanceId;
        final CompletableFuture<JsonNode> subscribed;
        int holders = 1;

        Holding(String instanceId, CompletableFuture<JsonNode> subscribed) {
            this.instanceId = instanceId;
            this.subscribed = subscribed;
        }
    }

    private final McpGateway gateway;
    private final Map<String, Holding> holdings = new HashMap<>();

    ResourceSubscriptions(McpGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Holds a URI's subscription for one more client, subscribing the owner when nobody held it yet.
     *
     * @param owner the instance to subscribe with if a new subscription is needed
     * @return completes when the plugin took the subscription; a failure means this client holds nothing
     */
    synchronized CompletableFuture<JsonNode> acquire(String uri, String owner) {
        Holding holding = holdings.get(uri);
        if (holding != null) {
            holding.holders++;
            return holding.subscribed;
        }
        Holding created = new Holding(owner, send(owner, "resources/subscribe", uri));
        holdings.put(uri, created);
        created.subscribed.whenComplete((result, error) -> {
            if (error != null) {
                synchronized (this) {
                    holdings.remove(uri, created);
                }
            }
        });
        return created.subscribed;
    }

    /** Lets go of one client's hold on a URI; the plugin is unsubscribed when nobody holds it any more. */
    synchronized void release(String uri) {
        Holding holding = holdings.get(uri);
        if (holding == null || --holding.holders > 0) {
            return;
        }
        holdings.remove(uri);
        send(holding.instanceId, "resources/unsubscribe", uri).exceptionally(error -> {
            log.debug("Unsubscribing {} from {} failed: {}", holding.instanceId, uri, error.getMessage());
            return null;
        });
    }

    private CompletableFuture<JsonNode> send(String instanceId, String method, String uri) {
        return gateway.forward(instanceId, method, Json.object().put("uri", uri),
                CallOptions.timeout(gateway.config().callTimeout()));
    }
}
