package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.transport.CallOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own subscriptions to plugins' resources, shared by every client that wants a URI's updates (legacy
 * sessions through {@code resources/subscribe}, 2026-07-28 clients through their listen streams): the plugin is
 * subscribed when the first client asks and unsubscribed when the last one lets go, so one client leaving never
 * silences another. The plugin's era decides how (its MCP client speaks either). A plugin that reconnects (a new
 * process, a new session) knows nothing of earlier subscriptions, so they are made again; those of a plugin that
 * leaves move to another instance offering the URI.
 */
final class ResourceSubscriptions {
    private static final Logger log = LoggerFactory.getLogger(ResourceSubscriptions.class);

    /** One URI's upstream subscription: the instance it was made with, how it went, and how many clients hold it. */
    private static final class Holding {
        String instanceId;
        CompletableFuture<JsonNode> subscribed;
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

    /** Makes every subscription held with an instance again (it reconnected and remembers none of them). */
    synchronized void renew(String instanceId) {
        holdings.forEach((uri, holding) -> {
            if (holding.instanceId.equals(instanceId)) {
                log.debug("Subscribing {} to {} again after it reconnected", instanceId, uri);
                holding.subscribed = send(instanceId, "resources/subscribe", uri);
            }
        });
    }

    /**
     * Moves the subscriptions held with an instance that left to another instance offering each URI; a URI nobody
     * offers any more keeps its holders, unsubscribed, until they let go.
     *
     * @param owners the instances offering a URI now
     */
    synchronized void moveFrom(String instanceId, Function<String, List<String>> owners) {
        holdings.forEach((uri, holding) -> {
            if (holding.instanceId.equals(instanceId)) {
                List<String> now = owners.apply(uri).stream().filter(owner -> !owner.equals(instanceId)).toList();
                if (!now.isEmpty()) {
                    holding.instanceId = Catalog.any(now);
                    holding.subscribed = send(holding.instanceId, "resources/subscribe", uri);
                }
            }
        });
    }

    private CompletableFuture<JsonNode> send(String instanceId, String method, String uri) {
        return gateway.forward(instanceId, method, Json.object().put("uri", uri),
                CallOptions.timeout(gateway.config().callTimeout()));
    }
}
