package dev.mcpgateway.internal.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.PluginConnection;
import java.util.concurrent.CompletableFuture;

/**
 * A plugin connection that can send params its caller built for one request alone, completing them in place where
 * {@link #request} would copy them first (see {@link UpstreamParams}). The data plane builds every tool call's params
 * afresh, so it sends them this way; a host's params always go through {@link #request}.
 */
public interface OwnedParamsConnection extends PluginConnection {
    /**
     * Sends a request as {@link #request} does, and may change {@code params} and an object {@code _meta} in them: the
     * caller must not use them again except to send them once more this way.
     */
    CompletableFuture<JsonNode> requestOwned(String method, ObjectNode params, CallOptions options);
}
