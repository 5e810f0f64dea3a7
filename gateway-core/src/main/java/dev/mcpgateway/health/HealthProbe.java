package dev.mcpgateway.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import java.util.Objects;

/**
 * What the gateway's active health checks send to a plugin instance to learn whether it still serves. The default,
 * {@link #protocol()}, asks only whether the server answers at all; the deep checks ({@link #listTools()},
 * {@link #callTool(String, JsonNode)}) also exercise the plugin's own code, for plugins whose process can answer
 * while what they front (a database, an API) is gone.
 */
public sealed interface HealthProbe {

    /**
     * The protocol's own liveness check: {@code ping} on sessions of the legacy era, {@code server/discover} on
     * 2026-07-28 sessions, which have no {@code ping}. Any answer passes, even an error: a server that answers is
     * alive. Only a timeout or a broken connection fails.
     */
    static HealthProbe protocol() {
        return Protocol.INSTANCE;
    }

    /** {@code tools/list}: passes when the plugin lists its tools, fails on a timeout, a broken connection or an error. */
    static HealthProbe listTools() {
        return ListTools.INSTANCE;
    }

    /**
     * A call of one of the plugin's tools (its own name, not the exposed one) with fixed arguments: passes when the
     * tool answers with a result that is not {@code isError: true}. Choose a cheap, read-only tool.
     *
     * @param arguments the tool's arguments, a JSON object; null for none
     */
    static HealthProbe callTool(String tool, JsonNode arguments) {
        if (arguments == null) {
            return new CallTool(tool, Json.object());
        }
        if (!(arguments instanceof ObjectNode object)) {
            throw new IllegalArgumentException("the arguments of the health probe calling '" + tool
                    + "' must be a JSON object, got " + arguments);
        }
        return new CallTool(tool, object);
    }

    /** The protocol-level probe; see {@link #protocol()}. */
    record Protocol() implements HealthProbe {
        static final Protocol INSTANCE = new Protocol();
    }

    /** The {@code tools/list} probe; see {@link #listTools()}. */
    record ListTools() implements HealthProbe {
        static final ListTools INSTANCE = new ListTools();
    }

    /**
     * The tool-call probe; see {@link #callTool(String, JsonNode)}.
     *
     * @param tool      the plugin's own name of the tool
     * @param arguments its arguments, a JSON object (copied)
     */
    record CallTool(String tool, ObjectNode arguments) implements HealthProbe {
        public CallTool {
            if (tool == null || tool.isBlank()) {
                throw new IllegalArgumentException("a tool-call health probe needs the plugin's own name of a tool,"
                        + " e.g. HealthProbe.callTool(\"status\", null)");
            }
            Objects.requireNonNull(arguments, "arguments: pass an empty object for none");
            arguments = arguments.deepCopy();
        }

        /** The arguments (a copy: the probe stays as configured). */
        @Override
        public ObjectNode arguments() {
            return arguments.deepCopy();
        }
    }
}
