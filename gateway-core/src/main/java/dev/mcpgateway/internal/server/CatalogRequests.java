package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
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
    private final Pins pins;

    CatalogRequests(ServerEngine engine, Pins pins) {
        this.engine = engine;
        this.pins = pins;
    }

    CompletableFuture<JsonNode> read(Incoming in) {
        String uri = in.params().path("uri").asText(null);
        if (uri == null) {
            throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "resources/read needs a string 'uri'", in.id());
        }
        String pinned = pins.instanceOf(in.params().path("requestState").textValue());
        return rounds(in, pinned != null ? pinned : ownerOf(uri, in), RequestMeta.toPlugin(in.params()));
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
        Catalog.Prompt prompt = name == null ? null : engine.catalog(engine.gateway().routingTable()).prompt(name);
        if (prompt == null) {
            throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "Unknown prompt: " + name, in.id());
        }
        ObjectNode upstream = Json.object();
        upstream.setAll((ObjectNode) RequestMeta.toPlugin(in.params()));
        upstream.put("name", prompt.originalName());
        String pinned = pins.instanceOf(in.params().path("requestState").textValue());
        return rounds(in, pinned != null ? pinned : Catalog.any(prompt.instances()), upstream);
    }

    CompletableFuture<JsonNode> complete(Incoming in) {
        JsonNode ref = in.params().path("ref");
        ObjectNode upstream = RequestMeta.toPlugin(in.params()).deepCopy();
        String owner;
        if ("ref/prompt".equals(ref.path("type").asText())) {
            Catalog.Prompt prompt = engine.catalog(engine.gateway().routingTable()).prompt(ref.path("name").asText(""));
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
        return forward(owner, in.method(), upstream, in);
    }

    /**
     * A request that may be answered with {@code input_required}: for a 2026-07-28 client the plugin's state is
     * pinned to this instance before the client sees it; for a legacy client the rounds are relayed as requests.
     */
    private CompletableFuture<JsonNode> rounds(Incoming in, String instance, JsonNode upstream) {
        CompletableFuture<JsonNode> first = in.session().tracked(in.request(), forward(instance, in.method(), upstream, in));
        if (in.modern()) {
            return first.thenApply(result -> {
                JsonNode state = result.get("requestState");
                if (InputRequests.isInputRequired(result) && state != null && state.isTextual()) {
                    pins.put(state.textValue(), instance);
                }
                return InputRequests.requireDeclared(result, in.session().clientCapabilities());
            });
        }
        return first.thenCompose(result -> InputRequiredRelay.complete(result, in.session(), in.stream(), false,
                extra -> {
                    ObjectNode retry = Json.object();
                    retry.setAll((ObjectNode) upstream);
                    retry.setAll(extra);
                    return in.session().tracked(in.request(), forward(instance, in.method(), retry, in));
                }));
    }

    private String ownerOf(String uri, Incoming in) {
        List<String> owners = engine.catalog(engine.gateway().routingTable()).ownersOf(uri);
        if (owners.isEmpty()) {
            // 2026-07-28 renumbered "resource not found" to invalid params.
            throw new JsonRpcException(in.modern() ? ErrorCodes.INVALID_PARAMS : ErrorCodes.RESOURCE_NOT_FOUND,
                    "Resource not found: " + uri, in.id());
        }
        return Catalog.any(owners);
    }

    /** Sends a request on to an instance, with the client's progress (if it asked for any) relayed back. */
    private CompletableFuture<JsonNode> forward(String instanceId, String method, JsonNode params, Incoming in) {
        McpGateway gateway = engine.gateway();
        JsonNode token = in.params().path("_meta").get("progressToken");
        CallOptions options = new CallOptions(gateway.config().callTimeout(), token == null ? null
                : progress -> in.session().relayProgress(token, progress, in.stream()));
        return gateway.forward(instanceId, method, params, options);
    }
}
