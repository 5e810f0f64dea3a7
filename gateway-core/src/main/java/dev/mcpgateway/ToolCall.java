package dev.mcpgateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.routing.VersionConstraint;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One tool call as a host makes it through {@link McpGateway#callTool(ToolCall)}.
 *
 * @param name      the tool's exposed name (as listed by {@link McpGateway#listTools()})
 * @param arguments the arguments object, or null for none
 * @param versions  which plugin versions may serve the call ({@link VersionConstraint#ANY}: the routing rule decides)
 * @param timeout   this call's timeout, or null for the gateway's default
 * @param progress  receives {@code notifications/progress} params for this call, or null
 * @param requester who made the call (the gateway's MCP server passes the client session), so requests a plugin
 *                  makes while serving it can be relayed to that client; null when nobody can be asked
 */
public record ToolCall(String name, JsonNode arguments, VersionConstraint versions, Duration timeout,
                       Consumer<JsonNode> progress, Object requester) {
    public ToolCall {
        Objects.requireNonNull(name, "name");
        versions = versions == null ? VersionConstraint.ANY : versions;
        if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
            throw new IllegalArgumentException("tool arguments must be a JSON object, got "
                    + arguments.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** A call with the gateway's defaults. */
    public static ToolCall of(String name, JsonNode arguments) {
        return new ToolCall(name, arguments, VersionConstraint.ANY, null, null, null);
    }

    /** This call restricted to plugin versions matching a constraint such as {@code ">=2.0.0 <3"}. */
    public ToolCall withVersions(String constraint) {
        return new ToolCall(name, arguments, VersionConstraint.parse(constraint), timeout, progress, requester);
    }

    /** This call with its own timeout. */
    public ToolCall withTimeout(Duration newTimeout) {
        return new ToolCall(name, arguments, versions, newTimeout, progress, requester);
    }

    /** This call reporting progress to a listener. */
    public ToolCall withProgress(Consumer<JsonNode> listener) {
        return new ToolCall(name, arguments, versions, timeout, listener, requester);
    }

    /** This call made on behalf of a requester (a client session) that plugins' requests can be relayed to. */
    public ToolCall withRequester(Object newRequester) {
        return new ToolCall(name, arguments, versions, timeout, progress, newRequester);
    }
}
