package dev.mcpgateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.mcp.Implementation;
import dev.mcpgateway.mcp.ServerCapabilities;
import java.util.concurrent.CompletableFuture;

/**
 * An open MCP session with one plugin instance, after the handshake. Many calls run over it at once; the
 * connection owns the request-id space toward the plugin, so callers never pick ids.
 */
public interface PluginConnection extends AutoCloseable {

    /**
     * Sends a request.
     *
     * @return completes with the {@code result} tree, or exceptionally with a
     *         {@link dev.mcpgateway.jsonrpc.JsonRpcException} carrying the plugin's error (or the gateway's
     *         {@code UPSTREAM_TIMEOUT} / {@code UPSTREAM_UNAVAILABLE})
     */
    CompletableFuture<JsonNode> request(String method, JsonNode params, CallOptions options);

    /** Sends a notification; delivery is best-effort. */
    void notify(String method, JsonNode params);

    /** The protocol version agreed in the handshake, e.g. {@code 2025-06-18}. */
    String protocolVersion();

    /** What the plugin declared it can do. */
    ServerCapabilities capabilities();

    /** The plugin's name and version as it reported them. */
    Implementation serverInfo();

    /** Whether calls can still be sent. */
    boolean isOpen();

    /** Ends the session; calls still in flight fail with {@code UPSTREAM_UNAVAILABLE}. */
    @Override
    void close();
}
