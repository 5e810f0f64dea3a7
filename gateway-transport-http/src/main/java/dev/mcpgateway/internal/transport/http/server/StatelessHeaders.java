package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.internal.transport.http.McpHeaders;
import dev.mcpgateway.internal.transport.http.ParamHeaders;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.server.McpServer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The front door's check of a 2026-07-28 request's mirrored headers against its body ("Server Validation" of the
 * Streamable HTTP transport): {@code MCP-Protocol-Version} repeats the {@code _meta} version; {@code Mcp-Method}
 * is on every request and names its method; {@code Mcp-Name} is on {@code tools/call}, {@code prompts/get} and
 * {@code resources/read} and names the tool, prompt or resource; and a {@code tools/call} carries an
 * {@code Mcp-Param-*} header for each argument its tool marks with {@code x-mcp-header}, matching the argument.
 * Whoever routes on a header then sees what the gateway executes. Thread-safe.
 */
final class StatelessHeaders {
    /** Beyond this many tools the plan cache starts over, so renamed and removed tools cannot pile up. */
    private static final int MAX_CACHED_PLANS = 10_000;

    private final McpServer server;
    /** Each tool's plan, with the definition it was read from: a changed definition is read again. */
    private final Map<String, Cached> plans = new ConcurrentHashMap<>();

    private record Cached(Tool definition, ParamHeaders.Parsed parsed) {
    }

    /** Checks against the tools that {@code server} exposes. */
    StatelessHeaders(McpServer server) {
        this.server = server;
    }

    /**
     * Checks the headers of one stateless-era message. For a version the gateway does not speak only the version
     * header is checked (mismatches of the others too), so the client learns the versions it can use rather than
     * the rules of one it cannot. An unknown tool is left to the server, which answers it properly.
     *
     * @param headers   a request header by name (case-insensitive), or null when absent
     * @param version   the {@code _meta} protocol version of the message
     * @param principal who the client authenticated as, or null: a tool it may not use is left to the server too,
     *                  which answers it as unknown, so its headers tell nothing about it
     * @return null when the headers agree with the body, else the message of the {@code HeaderMismatch} error
     */
    String mismatch(Function<String, String> headers, JsonRpcMessage message, String version, Principal principal) {
        String header = headers.apply(McpHeaders.PROTOCOL_VERSION);
        if (!version.equals(header)) {
            return header == null
                    ? "Header mismatch: MCP-Protocol-Version is missing; it must repeat the body's _meta version '"
                    + version + "'"
                    : "Header mismatch: MCP-Protocol-Version header value '" + header + "' does not match body value '"
                    + version + "'";
        }
        if (!(message instanceof JsonRpcRequest request)) {
            return null;
        }
        boolean spoken = ProtocolVersions.isModern(version);
        String method = headers.apply(McpHeaders.METHOD);
        if (method == null ? spoken : !method.equals(request.method())) {
            return method == null
                    ? "Header mismatch: Mcp-Method is missing; every " + version + " request must carry it, set to "
                    + "the request's method ('" + request.method() + "')"
                    : "Header mismatch: Mcp-Method header value '" + method + "' does not match body value '"
                    + request.method() + "'";
        }
        String nameMismatch = nameMismatch(headers.apply(McpHeaders.NAME), request, spoken);
        if (nameMismatch != null || !spoken || !"tools/call".equals(request.method())) {
            return nameMismatch;
        }
        JsonNode name = request.params() == null ? null : request.params().get("name");
        Optional<Tool> tool = name != null && name.isTextual() ? server.tool(name.textValue(), principal)
                : Optional.empty();
        if (tool.isEmpty() || !(parsed(name.textValue(), tool.get()) instanceof ParamHeaders.Plan plan)) {
            // An invalid annotation leaves nothing a conforming client mirrors, so there is nothing to hold it to.
            return null;
        }
        return plan.mismatch(request.params().get("arguments"), headers);
    }

    /** {@code Mcp-Name}: needed where the method has a name or URI, and then equal to it once decoded. */
    private static String nameMismatch(String header, JsonRpcRequest request, boolean spoken) {
        String member = switch (request.method()) {
            case "tools/call", "prompts/get" -> "name";
            case "resources/read" -> "uri";
            default -> null;
        };
        if (member == null) {
            return null;
        }
        JsonNode value = request.params() == null ? null : request.params().get(member);
        String body = value != null && value.isTextual() ? value.textValue() : null;
        if (header == null) {
            // Without the body value the request is malformed: the server's own answer says so better.
            return spoken && body != null ? "Header mismatch: Mcp-Name is missing; a " + request.method()
                    + " request must carry it, set to params." + member + " ('" + body + "')" : null;
        }
        String decoded = McpHeaders.decodeHeaderValue(header);
        if (decoded == null) {
            return McpHeaders.undecodable(McpHeaders.NAME, header);
        }
        return decoded.equals(body) ? null
                : "Header mismatch: Mcp-Name header value '" + header + "' does not match body value '" + body + "'";
    }

    private ParamHeaders.Parsed parsed(String name, Tool tool) {
        Cached cached = plans.get(name);
        if (cached == null || cached.definition() != tool) {
            if (plans.size() >= MAX_CACHED_PLANS) {
                plans.clear();
            }
            cached = new Cached(tool, ParamHeaders.parse(tool.inputSchema()));
            plans.put(name, cached);
        }
        return cached.parsed();
    }
}
