package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.internal.gateway.GatewayInternals;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.transport.CallOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Requests about resources, prompts and completion, each routed to an instance that offers what it names: reads
 * by URI (listed, or matched by a template), prompts by their exposed name (renamed back), subscriptions of legacy
 * sessions. {@code prompts/get} and {@code resources/read} may take several rounds in 2026-07-28: a plugin's
 * {@code requestState} is pinned to its instance, and for legacy clients the rounds are relayed as requests.
 */
final class CatalogRequests {
    private final ServerEngine engine;
    private final InputRequiredBridge bridge;
    private final Pins pins;

    CatalogRequests(ServerEngine engine, InputRequiredBridge bridge, Pins pins) {
        this.engine = engine;
        this.bridge = bridge;
        this.pins = pins;
    }

    CompletableFuture<JsonNode> read(Incoming in) {
        String uri = in.params().path("uri").asText(null);
        if (uri == null) {
            throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "resources/read needs a string 'uri'", in.id());
        }
        String pinned = pins.instanceOf(in.params().path("requestState").textValue());
        return rounds(in, uri, pinned, pinned != null ? pinned : ownerOf(uri, in), RequestMeta.toPlugin(in.params()));
    }

    /** A legacy session's subscription: held in the gateway's shared subscription of the URI. */
    CompletableFuture<JsonNode> subscribe(Incoming in, boolean on) {
        String uri = in.params().path("uri").asText(null);
        if (uri == null) {
            throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, in.method() + " needs a string 'uri'", in.id());
        }
        EngineSession session = in.session();
        if (!on) {
            if (session.subscription(uri, false)) {
                engine.resourceSubscriptions().release(uri);
            }
            return CompletableFuture.completedFuture(Json.object());
        }
        if (session.isSubscribedTo(uri)) {
            return CompletableFuture.completedFuture(Json.object());
        }
        return engine.resourceSubscriptions().acquire(uri, ownerOf(uri, in)).thenApply(result -> {
            if (!session.subscription(uri, true)) {
                engine.resourceSubscriptions().release(uri); // subscribed twice at once: hold it once
            }
            return Json.object();
        });
    }

    CompletableFuture<JsonNode> getPrompt(Incoming in) {
        String name = in.params().path("name").asText(null);
        Catalog.Prompt prompt = in.session().view().prompt(engine.catalog(engine.gateway().routingTable()), name);
        if (prompt == null) {
            throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "Unknown prompt: " + name, in.id());
        }
        ObjectNode upstream = Json.object();
        upstream.setAll((ObjectNode) RequestMeta.toPlugin(in.params()));
        upstream.put("name", prompt.originalName());
        String pinned = pins.instanceOf(in.params().path("requestState").textValue());
        return rounds(in, name, pinned, pinned != null ? pinned : Catalog.any(prompt.instances()), upstream);
    }

    CompletableFuture<JsonNode> complete(Incoming in) {
        JsonNode ref = in.params().path("ref");
        ObjectNode upstream = RequestMeta.toPlugin(in.params()).deepCopy();
        String owner;
        if ("ref/prompt".equals(ref.path("type").asText())) {
            Catalog.Prompt prompt = in.session().view().prompt(engine.catalog(engine.gateway().routingTable()),
                    ref.path("name").asText(""));
            if (prompt == null) {
                throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "Unknown prompt: " + ref.path("name").asText(),
                        in.id());
            }
            ((ObjectNode) upstream.get("ref")).put("name", prompt.originalName());
            owner = Catalog.any(prompt.instances());
        } else if ("ref/resource".equals(ref.path("type").asText())) {
            owner = ownerOf(ref.path("uri").asText(""), in);
        } else {
            throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "completion/complete needs a 'ref' of type "
                    + "'ref/prompt' or 'ref/resource'", in.id());
        }
        return forward(owner, in.method(), upstream, in, null);
    }

    /**
     * A request that may take several rounds: for a 2026-07-28 client through the bridge (a legacy plugin's requests
     * become input_required; a plugin's own state is pinned to this instance before the client sees it); for a
     * legacy client a 2026-07-28 plugin's input_required is relayed as requests, and a legacy plugin's requests go to
     * the client directly.
     *
     * @param subject the prompt or resource the request names
     * @param pinned  the instance a plugin's own requestState pins the request to, or null
     */
    private CompletableFuture<JsonNode> rounds(Incoming in, String subject, String pinned, String instance,
                                               JsonNode upstream) {
        if (in.modern()) {
            // The plugin's own future goes to the bridge, so that a client giving up cancels the plugin's request (a
            // stage derived from it would not); its state is pinned as the answer is read, before the client sees it.
            return bridge.serve(in, subject, pinned != null, bridged -> forward(instance, in.method(), upstream, in,
                    new Caller(in.session(), in.stream(), in.logLevel(), bridged)), result -> {
                        JsonNode state = result.get("requestState");
                        if (InputRequests.isInputRequired(result) && state != null && state.isTextual()) {
                            pins.put(state.textValue(), instance);
                        }
                        return result;
                    });
        }
        Caller caller = new Caller(in.session(), in.stream(), in.logLevel(), null);
        CompletableFuture<JsonNode> first = in.session().tracked(in.request(),
                forward(instance, in.method(), upstream, in, caller));
        return first.thenCompose(result -> InputRequiredRelay.complete(result, in.session(), in.stream(), false,
                extra -> {
                    ObjectNode retry = Json.object();
                    retry.setAll((ObjectNode) upstream);
                    retry.setAll(extra);
                    return in.session().tracked(in.request(), forward(instance, in.method(), retry, in, caller));
                }));
    }

    /** An instance serving the URI that the client may read it of; a URI it may not read is not found. */
    private String ownerOf(String uri, Incoming in) {
        Catalog catalog = engine.catalog(engine.gateway().routingTable());
        List<String> owners = in.session().view().owners(catalog.ownersOf(uri), uri, catalog);
        if (owners.isEmpty()) {
            // 2026-07-28 renumbered "resource not found" to invalid params.
            throw new JsonRpcException(in.modern() ? ErrorCodes.INVALID_PARAMS : ErrorCodes.RESOURCE_NOT_FOUND,
                    "Resource not found: " + uri, in.id());
        }
        return Catalog.any(owners);
    }

    /**
     * Sends a request on to an instance, with the client's progress (if it asked for any) relayed back to the stream
     * waiting now, and the caller (when given) known to the gateway as the one the plugin's requests go to.
     */
    private CompletableFuture<JsonNode> forward(String instanceId, String method, JsonNode params, Incoming in,
                                                Caller caller) {
        McpGateway gateway = engine.gateway();
        JsonNode token = in.params().path("_meta").get("progressToken");
        InputRequiredBridge.Call bridged = caller == null ? null : caller.bridged();
        // A bridged request's later rounds are other requests of the client, with their own token and stream.
        CallOptions options = new CallOptions(gateway.config().callTimeout(), token == null ? null
                : progress -> in.relayProgress(bridged == null ? token : bridged.progressToken(), progress,
                        caller == null ? in.stream() : caller.currentStream()));
        in.sentTo().set(instanceId);
        return GatewayInternals.forward(gateway, instanceId, method, params, options, caller);
    }
}
