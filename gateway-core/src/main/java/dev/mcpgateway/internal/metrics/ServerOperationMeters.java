package dev.mcpgateway.internal.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.server.ServerSession;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Times every request the gateway's MCP server answers into {@code mcp.server.operation.duration}, as OpenTelemetry's
 * MCP conventions name it, tagged {@code mcp.method.name}, {@code error.type}, {@code mcp.protocol.version} and
 * {@code gen_ai.tool.name}. Every tag is bounded, since clients choose what they send: methods the MCP specification
 * does not define are {@code other}, error codes outside JSON-RPC's reserved range are {@code other}, versions the
 * gateway does not speak are {@code unknown}, and tool names share the tool-call timer's cap. Micrometer wants the
 * same tag keys on every series of a name, so where the conventions leave a tag out this one has {@code none}: no
 * error, or not a tool call. A timer is built once per combination and looked up in one map after that.
 */
public final class ServerOperationMeters {
    static final String NAME = "mcp.server.operation.duration";
    static final String NONE = "none";
    /** The requests the MCP specification defines (2024-11-05 to 2026-07-28), either way. */
    private static final Set<String> METHODS = Set.of("initialize", "ping", "server/discover", "subscriptions/listen",
            "tools/list", "tools/call", "resources/list", "resources/templates/list", "resources/read",
            "resources/subscribe", "resources/unsubscribe", "prompts/list", "prompts/get", "completion/complete",
            "logging/setLevel", "sampling/createMessage", "elicitation/create", "roots/list", "tasks/get",
            "tasks/list", "tasks/result", "tasks/cancel");
    private static final String INTERNAL_ERROR = String.valueOf(ErrorCodes.INTERNAL_ERROR);

    private final MeterRegistry registry;
    private final boolean histogram;
    /** The tag of a tool's name: the tool-call timer's, so both name the same tools. */
    private final Function<String, String> toolTag;
    private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

    ServerOperationMeters(MeterRegistry registry, boolean histogram, Function<String, String> toolTag) {
        this.registry = registry;
        this.histogram = histogram;
        this.toolTag = toolTag;
    }

    /**
     * Answers a request by {@code answering}, timing it from now until the answer is produced (for a request answered
     * later, when its future completes). Returns the answer as it was.
     */
    public CompletableFuture<JsonRpcResponse> timed(ServerSession session, JsonRpcRequest request,
                                                    Supplier<CompletableFuture<JsonRpcResponse>> answering) {
        long start = System.nanoTime();
        CompletableFuture<JsonRpcResponse> answer = answering.get();
        answer.whenComplete((response, error) -> timer(session, request, response, error)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        return answer;
    }

    private Timer timer(ServerSession session, JsonRpcRequest request, JsonRpcResponse response, Throwable error) {
        String method = METHODS.contains(request.method()) ? request.method() : "other";
        boolean toolCall = method.equals("tools/call");
        Key key = new Key(method, errorType(response, error, toolCall), version(session, request),
                toolCall ? tool(request.params()) : NONE);
        Timer timer = timers.get(key);
        return timer != null ? timer : timers.computeIfAbsent(key, this::register);
    }

    private Timer register(Key key) {
        return Buckets.of(Timer.builder(NAME), histogram)
                .description("Requests the gateway's MCP server answered, by method, error, protocol version and tool")
                .tags("mcp.method.name", key.method, "error.type", key.error, "mcp.protocol.version", key.version,
                        "gen_ai.tool.name", key.tool)
                .register(registry);
    }

    private static String errorType(JsonRpcResponse response, Throwable error, boolean toolCall) {
        if (error != null) {
            return INTERNAL_ERROR; // the front door answers a request whose handling failed with an internal error
        }
        if (response == null) {
            return NONE;
        }
        if (response.isError()) {
            int code = response.error().code();
            return code >= -32768 && code <= -32000 ? String.valueOf(code) : "other";
        }
        return toolCall && response.result() != null && response.result().path("isError").asBoolean(false)
                ? "tool_error" : NONE;
    }

    /** The session's negotiated version, or the one a 2026-07-28 request carries; {@code unknown} otherwise. */
    private static String version(ServerSession session, JsonRpcRequest request) {
        String version = session.protocolVersion();
        if (version == null && request.params() != null) {
            version = request.params().path("_meta").path(ProtocolVersions.META_PROTOCOL_VERSION).asText(null);
        }
        return version != null && (ProtocolVersions.MODERN.equals(version)
                || ProtocolVersions.LEGACY.contains(version)) ? version : "unknown";
    }

    private String tool(JsonNode params) {
        JsonNode name = params == null ? null : params.get("name");
        return name != null && name.isTextual() ? toolTag.apply(name.textValue()) : ToolCallMeters.OTHER;
    }

    /** One combination of tags. */
    private record Key(String method, String error, String version, String tool) {
    }
}
