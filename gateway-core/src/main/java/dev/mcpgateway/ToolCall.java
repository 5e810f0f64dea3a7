package dev.mcpgateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.internal.ToolCallPlumbing;
import dev.mcpgateway.routing.VersionConstraint;
import dev.mcpgateway.trace.TraceContext;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One tool call as a host makes it through {@link McpGateway#callTool(ToolCall)}: the tool's exposed name and
 * arguments, and optionally which plugin versions may serve it, its own timeout, a progress listener, the client it
 * is made for, the one instance that must serve it, and the caller's trace. Immutable: each {@code with...} returns a
 * new call. Interceptors see it through {@code CallInterceptor.Chain.call()}.
 *
 * <p>What the gateway's own MCP server adds to a call to relay it (which instance each attempt went to, members of
 * the client's params passed on unchanged) is not part of this API.
 */
public final class ToolCall {
    static {
        ToolCallPlumbing.install(new ToolCallPlumbing.Access() {
            @Override
            public ToolCall onRouted(ToolCall call, Consumer<String> listener) {
                return new ToolCall(call.name, call.arguments, call.versions, call.timeout, call.progress, call.client,
                        call.instance, listener, call.extra, call.trace);
            }

            @Override
            public Consumer<String> routed(ToolCall call) {
                return call.routed;
            }

            @Override
            public ToolCall withExtra(ToolCall call, ObjectNode members) {
                return new ToolCall(call.name, call.arguments, call.versions, call.timeout, call.progress, call.client,
                        call.instance, call.routed, members, call.trace);
            }

            @Override
            public ObjectNode extra(ToolCall call) {
                return call.extra;
            }
        });
    }

    private final String name;
    private final JsonNode arguments;
    private final VersionConstraint versions;
    private final Duration timeout;
    private final Consumer<JsonNode> progress;
    private final Authenticated client;
    private final String instance;
    /** Told the id of the instance each attempt is sent to; the gateway's plumbing (access log, relaying). */
    private final Consumer<String> routed;
    /** Other members of an MCP client's {@code tools/call} params, passed to the plugin unchanged; plumbing. */
    private final ObjectNode extra;
    private final TraceContext trace;

    private ToolCall(String name, JsonNode arguments, VersionConstraint versions, Duration timeout,
                     Consumer<JsonNode> progress, Authenticated client, String instance, Consumer<String> routed,
                     ObjectNode extra, TraceContext trace) {
        this.name = Objects.requireNonNull(name, "name");
        if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
            throw new IllegalArgumentException("tool arguments must be a JSON object, got "
                    + arguments.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        this.arguments = arguments;
        this.versions = versions == null ? VersionConstraint.ANY : versions;
        this.timeout = timeout;
        this.progress = progress;
        this.client = client;
        this.instance = instance;
        this.routed = routed;
        this.extra = extra;
        this.trace = trace;
    }

    /** A call of a tool by its exposed name (as {@link McpGateway#listTools()} lists it), with the defaults. */
    public static ToolCall of(String name, JsonNode arguments) {
        return new ToolCall(name, arguments, VersionConstraint.ANY, null, null, null, null, null, null, null);
    }

    /** The tool's exposed name. */
    public String name() {
        return name;
    }

    /** The arguments object, or null for none. */
    public JsonNode arguments() {
        return arguments;
    }

    /** Which plugin versions may serve the call ({@link VersionConstraint#ANY}: the routing rule decides). */
    public VersionConstraint versions() {
        return versions;
    }

    /** This call's timeout, or null for the gateway's default (per plugin and tool, see {@link GatewayConfig}). */
    public Duration timeout() {
        return timeout;
    }

    /** Receives the plugin's {@code notifications/progress} params for this call, or null. */
    public Consumer<JsonNode> progress() {
        return progress;
    }

    /**
     * The client the call is made for, or null for the host itself: per-client rate limits count it, a plugin using
     * token exchange trades its token, and requests a plugin makes while serving the call (sampling, elicitation)
     * are relayed to it when it is a client session of the gateway's MCP server.
     */
    public Authenticated client() {
        return client;
    }

    /** Who the call was made for: the principal of its {@link #client()}, or null. */
    public Principal principal() {
        return client == null ? null : client.principal();
    }

    /** The instance that must serve the call (no other is tried), or null to let the router choose. */
    public String instance() {
        return instance;
    }

    /**
     * The call's W3C trace context: as it enters the gateway, the caller's (null: none, and the call starts a new
     * trace); from the first interceptor on, the gateway's own span for the call, under the caller's trace, which is
     * what plugins receive as their parent.
     */
    public TraceContext trace() {
        return trace;
    }

    /** This call restricted to plugin versions matching a constraint such as {@code ">=2.0.0 <3"}. */
    public ToolCall withVersions(String constraint) {
        return new ToolCall(name, arguments, VersionConstraint.parse(constraint), timeout, progress, client, instance,
                routed, extra, trace);
    }

    /** This call with its own timeout. */
    public ToolCall withTimeout(Duration newTimeout) {
        return new ToolCall(name, arguments, versions, newTimeout, progress, client, instance, routed, extra, trace);
    }

    /** This call reporting progress to a listener. */
    public ToolCall withProgress(Consumer<JsonNode> listener) {
        return new ToolCall(name, arguments, versions, timeout, listener, client, instance, routed, extra, trace);
    }

    /** This call made for a client (see {@link #client()}). */
    public ToolCall onBehalfOf(Authenticated newClient) {
        return new ToolCall(name, arguments, versions, timeout, progress, newClient, instance, routed, extra, trace);
    }

    /** This call served by one given instance (no other instance is tried). */
    public ToolCall onInstance(String instanceId) {
        return new ToolCall(name, arguments, versions, timeout, progress, client, instanceId, routed, extra, trace);
    }

    /** This call in a trace: the caller's context, which the gateway's span for the call will hang under. */
    public ToolCall withTrace(TraceContext context) {
        return new ToolCall(name, arguments, versions, timeout, progress, client, instance, routed, extra, context);
    }

    /** The tool, the instance asked for and the trace; never the arguments, which may hold secrets. */
    @Override
    public String toString() {
        return "ToolCall[" + name + (instance == null ? "" : " on " + instance)
                + (trace == null ? "" : ", trace " + trace.traceId()) + "]";
    }
}
