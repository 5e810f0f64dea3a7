package dev.mcpgateway.inprocess;

import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A plugin whose tools are Java handlers registered by the host application: routed, balanced and observed
 * like any other plugin, but called without leaving the process. Register it with
 * {@code McpGateway.registerInProcess}.
 */
public final class InProcessPlugin {
    private final PluginManifest template;
    private final Map<String, Tool> tools;
    private final Map<String, ToolHandler> handlers;
    private final boolean handlersOnCallerThread;

    private InProcessPlugin(Builder builder) {
        if (builder.handlers.isEmpty()) {
            throw new IllegalArgumentException("in-process plugin '" + builder.name + "' has no tools; add one with tool(...)");
        }
        // In the order they were added, as tools/list answers them: a discovered list in another order would not
        // equal the registered manifest and cost every registration a second table rebuild.
        this.tools = Collections.unmodifiableMap(new LinkedHashMap<>(builder.tools));
        this.handlers = Map.copyOf(builder.handlers);
        this.handlersOnCallerThread = builder.handlersOnCallerThread;
        // Built now so a bad name, version or weight fails here rather than at registration.
        this.template = builder.manifest.transport(new TransportSpec.InProcess(builder.name))
                .tools(List.copyOf(builder.tools.values())).build();
    }

    /** Starts a plugin with the given name (also its tools' namespace unless set otherwise). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The manifest under which an instance of this plugin registers, reached through the given handler id. */
    public PluginManifest manifest(String handlerId) {
        return template.withTransport(new TransportSpec.InProcess(handlerId));
    }

    /** The handler of a tool, or null. */
    public ToolHandler handler(String toolName) {
        return handlers.get(toolName);
    }

    /** The plugin's name. */
    public String name() {
        return template.name();
    }

    /** The plugin's tools, by name. */
    public Map<String, Tool> tools() {
        return tools;
    }

    /** Whether its handlers run on the thread that sends the call: see {@link Builder#handlersOnCallerThread}. */
    public boolean handlersOnCallerThread() {
        return handlersOnCallerThread;
    }

    /** Builds an {@link InProcessPlugin}. */
    public static final class Builder {
        private final String name;
        private final PluginManifest.Builder manifest;
        private final Map<String, Tool> tools = new LinkedHashMap<>();
        private final Map<String, ToolHandler> handlers = new LinkedHashMap<>();
        private boolean handlersOnCallerThread;

        private Builder(String name) {
            this.name = name;
            this.manifest = PluginManifest.builder(name);
        }

        /** The namespace of the plugin's tools (defaults to its name). */
        public Builder namespace(String namespace) {
            manifest.namespace(namespace);
            return this;
        }

        /** The plugin's version (defaults to {@code 0.0.0}). */
        public Builder version(String version) {
            manifest.version(version);
            return this;
        }

        /** Adds a label for routing selectors. */
        public Builder label(String key, String value) {
            manifest.label(key, value);
            return this;
        }

        /** The weight for weighted balancing (defaults to 1). */
        public Builder weight(int weight) {
            manifest.weight(weight);
            return this;
        }

        /** Adds a tool and the handler that serves it. */
        public Builder tool(Tool tool, ToolHandler handler) {
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(handler, "handler");
            if (tools.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalArgumentException("in-process plugin '" + name + "' already has a tool '" + tool.name() + "'");
            }
            handlers.put(tool.name(), handler);
            return this;
        }

        /** Adds a tool taking any object as arguments. */
        public Builder tool(String toolName, String description, ToolHandler handler) {
            return tool(Tool.builder(toolName).description(description).build(), handler);
        }

        /**
         * Runs the handlers on the thread that sends the call, rather than on a virtual thread of their own (the
         * default): the HTTP front door's request thread, the stdio front door's reader, or the host's thread in
         * {@code McpGateway.callTool}, whose future is then complete when it returns (unless the call waited for
         * room under {@code CallLimits.maxInFlight}). This saves a hand-off to another thread and back, about a fifth
         * of an in-process call's cost through the HTTP front door (docs/BENCHMARKS.md), and suits handlers that
         * answer at once and never block: while one runs, its caller does nothing else (the stdio front door reads
         * no further request). Such a handler is not stopped at the call's timeout, only told:
         * {@link ToolContext#isCancelled()} turns true once it has passed, and an answer after it fails the call with
         * {@code UPSTREAM_TIMEOUT} as on a thread of its own. A client's cancellation does not reach it, and through
         * the HTTP front door the progress it reports reaches the client with its result, not before.
         */
        public Builder handlersOnCallerThread(boolean onCallerThread) {
            this.handlersOnCallerThread = onCallerThread;
            return this;
        }

        /** The plugin; fails with what is wrong if it is incomplete. */
        public InProcessPlugin build() {
            return new InProcessPlugin(this);
        }
    }
}
