package dev.mcpgateway;

import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.auth.Principal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.routing.VersionConstraint;
import dev.mcpgateway.trace.TraceContext;
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
 * @param instance  the instance that must serve the call (the retry of a multi-round-trip call goes back to the
 *                  instance that asked for input), or null to let the router choose
 * @param routed    told the id of the instance each attempt is sent to (the last one serves the call), or null
 * @param extra     other members of the client's {@code tools/call} params passed to the plugin unchanged
 *                  ({@code requestState}, {@code inputResponses}, fields of future versions), or null
 * @param trace     the call's W3C trace context: as it enters the gateway, the caller's (null: none, and the call
 *                  starts a new trace); from the first interceptor on, the gateway's own span for the call, under
 *                  the caller's trace, which is what plugins receive as their parent
 */
public record ToolCall(String name, JsonNode arguments, VersionConstraint versions, Duration timeout,
                       Consumer<JsonNode> progress, Object requester, String instance, Consumer<String> routed,
                       ObjectNode extra, TraceContext trace) {
    public ToolCall {
        Objects.requireNonNull(name, "name");
        versions = versions == null ? VersionConstraint.ANY : versions;
        if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
            throw new IllegalArgumentException("tool arguments must be a JSON object, got "
                    + arguments.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Who the call was made for: the principal of the requester when it is {@link Authenticated} (a client session of
     * a front door that authenticates), else null.
     */
    public Principal principal() {
        return requester instanceof Authenticated authenticated ? authenticated.principal() : null;
    }

    /** A call with the gateway's defaults. */
    public static ToolCall of(String name, JsonNode arguments) {
        return new ToolCall(name, arguments, VersionConstraint.ANY, null, null, null, null, null, null, null);
    }

    /** This call restricted to plugin versions matching a constraint such as {@code ">=2.0.0 <3"}. */
    public ToolCall withVersions(String constraint) {
        return new ToolCall(name, arguments, VersionConstraint.parse(constraint), timeout, progress, requester, instance,
                routed, extra, trace);
    }

    /** This call with its own timeout. */
    public ToolCall withTimeout(Duration newTimeout) {
        return new ToolCall(name, arguments, versions, newTimeout, progress, requester, instance, routed, extra, trace);
    }

    /** This call reporting progress to a listener. */
    public ToolCall withProgress(Consumer<JsonNode> listener) {
        return new ToolCall(name, arguments, versions, timeout, listener, requester, instance, routed, extra, trace);
    }

    /** This call served by one given instance (no other instance is tried). */
    public ToolCall onInstance(String instanceId) {
        return new ToolCall(name, arguments, versions, timeout, progress, requester, instanceId, routed, extra, trace);
    }

    /** This call reporting which instance each attempt goes to. */
    public ToolCall onRouted(Consumer<String> listener) {
        return new ToolCall(name, arguments, versions, timeout, progress, requester, instance, listener, extra, trace);
    }

    /** This call passing other params members to the plugin unchanged. */
    public ToolCall withExtra(ObjectNode members) {
        return new ToolCall(name, arguments, versions, timeout, progress, requester, instance, routed, members, trace);
    }

    /** This call made on behalf of a requester (a client session) that plugins' requests can be relayed to. */
    public ToolCall withRequester(Object newRequester) {
        return new ToolCall(name, arguments, versions, timeout, progress, newRequester, instance, routed, extra, trace);
    }

    /** This call in a trace: the caller's context, which the gateway's span for the call will hang under. */
    public ToolCall withTrace(TraceContext context) {
        return new ToolCall(name, arguments, versions, timeout, progress, requester, instance, routed, extra, context);
    }
}
