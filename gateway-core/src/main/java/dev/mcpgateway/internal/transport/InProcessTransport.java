package dev.mcpgateway.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.inprocess.ToolContext;
import dev.mcpgateway.inprocess.ToolHandler;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.Implementation;
import dev.mcpgateway.mcp.ServerCapabilities;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.ConnectionContext;
import dev.mcpgateway.transport.PluginConnection;
import dev.mcpgateway.transport.Transport;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves in-process plugins: each call runs its Java handler on a virtual thread, with the same timeout,
 * progress and cancellation behaviour as a remote plugin; or, for a plugin that asks for it
 * ({@link InProcessPlugin.Builder#handlersOnCallerThread}), on the caller's thread, before the call returns.
 */
public final class InProcessTransport implements Transport {
    /** The protocol version in-process connections report. */
    public static final String PROTOCOL_VERSION = "2025-11-25";
    private static final Logger log = LoggerFactory.getLogger(InProcessTransport.class);

    private final Map<String, InProcessPlugin> plugins = new ConcurrentHashMap<>();
    private final AtomicLong handlerIds = new AtomicLong();
    /** One name for all: a numbered name is a new string per call (1 % of a call's bytes), and says nothing more. */
    private final ExecutorService executor =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mcp-gateway-inprocess").factory());

    @Override
    public String type() {
        return "in-process";
    }

    /** Makes a plugin's handlers reachable; returns the handler id its instance's transport spec names. */
    public String install(InProcessPlugin plugin) {
        String id = plugin.name() + '#' + handlerIds.incrementAndGet();
        plugins.put(id, plugin);
        return id;
    }

    /** Forgets the handler of an in-process instance that left the registry (deregistered, or its lease expired). */
    public void forgetGone(GatewayEvent event) {
        PluginInstance gone = switch (event) {
            case GatewayEvent.InstanceDeregistered e -> e.instance();
            case GatewayEvent.LeaseExpired e -> e.instance();
            default -> null;
        };
        if (gone != null && gone.manifest().transport() instanceof TransportSpec.InProcess spec) {
            uninstall(spec.handlerId());
        }
    }

    /** Forgets a plugin's handlers, e.g. when its instance is deregistered. */
    public void uninstall(String handlerId) {
        plugins.remove(handlerId);
    }

    @Override
    public CompletableFuture<PluginConnection> connect(PluginInstance instance, ConnectionContext context) {
        if (!(instance.manifest().transport() instanceof TransportSpec.InProcess spec)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "instance " + instance.id() + " is not an in-process plugin"));
        }
        InProcessPlugin plugin = plugins.get(spec.handlerId());
        if (plugin == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no in-process handlers are installed under '"
                    + spec.handlerId() + "'; register in-process plugins with McpGateway.registerInProcess"));
        }
        CompletableFuture<PluginConnection> connected =
                CompletableFuture.completedFuture(new Connection(plugin, instance, context.scheduler()));
        context.listener().onConnected();
        return connected;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** A connection to one in-process plugin; stateless apart from being open. */
    private final class Connection implements PluginConnection {
        private final InProcessPlugin plugin;
        private final Implementation info;
        private final ScheduledExecutorService scheduler;
        private volatile boolean open = true;

        Connection(InProcessPlugin plugin, PluginInstance instance, ScheduledExecutorService scheduler) {
            this.plugin = plugin;
            this.scheduler = scheduler;
            this.info = new Implementation(instance.manifest().name(), instance.manifest().version(), null);
        }

        @Override
        public CompletableFuture<JsonNode> request(String method, JsonNode params, CallOptions options) {
            if (!open) {
                return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.UPSTREAM_UNAVAILABLE,
                        "in-process plugin '" + info.name() + "' is closed"));
            }
            return switch (method) {
                case "tools/call" -> call(params, options);
                case "tools/list" -> CompletableFuture.completedFuture(listTools());
                case "ping" -> CompletableFuture.completedFuture(Json.object());
                default -> CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.METHOD_NOT_FOUND,
                        "Method not found: " + method));
            };
        }

        private CompletableFuture<JsonNode> call(JsonNode params, CallOptions options) {
            String name = params == null ? null : params.path("name").textValue();
            ToolHandler handler = name == null ? null : plugin.handler(name);
            if (handler == null) {
                return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.INVALID_PARAMS,
                        "Unknown tool: " + name));
            }
            JsonNode arguments = params.get("arguments");
            JsonNode args = arguments == null || arguments.isNull() ? Json.object() : arguments;
            JsonNode progressToken = params.path("_meta").get("progressToken");
            if (plugin.handlersOnCallerThread()) {
                return callHere(handler, args, new Context(name, options, progressToken, true));
            }
            Context context = new Context(name, options, progressToken, false);
            CompletableFuture<JsonNode> result = new CompletableFuture<>();
            Future<?> timer;
            try {
                // On the gateway's timer, not orTimeout: see Timers for what a timer per call costs elsewhere.
                timer = scheduler.schedule(() -> result.completeExceptionally(new TimeoutException()),
                        options.timeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) { // the gateway closed its timer: it is closing
                return closing();
            }
            Future<?> task;
            try {
                task = executor.submit(() -> run(handler, args, context, result));
            } catch (RejectedExecutionException e) { // this transport was closed
                timer.cancel(false);
                return closing();
            }
            result.whenComplete((value, error) -> {
                timer.cancel(false);
                if (error != null) {
                    context.cancelled = true;
                    task.cancel(true);
                }
            });
            CompletableFuture<JsonNode> answer = result.exceptionallyCompose(error -> CompletableFuture.failedFuture(
                    error instanceof TimeoutException ? timedOut(context, "it was cancelled") : error));
            // The caller holds the derived future: its cancellation must reach the handler's thread.
            answer.whenComplete((value, error) -> {
                if (error instanceof CancellationException) {
                    result.cancel(true);
                }
            });
            return answer;
        }

        /**
         * Runs the handler on this thread: no timer and no thread to cancel, as it is done before anyone holds the
         * future. An answer after the timeout fails the call as a handler on its own thread would, so a caller (and
         * outlier detection) sees a late tool the same way whichever thread it ran on.
         */
        private CompletableFuture<JsonNode> callHere(ToolHandler handler, JsonNode args, Context context) {
            if (executor.isShutdown()) { // closed: as a call on a thread of its own would find it
                return closing();
            }
            CompletableFuture<JsonNode> result = new CompletableFuture<>();
            run(handler, args, context, result);
            return context.timedOut() ? CompletableFuture.failedFuture(timedOut(context, "its answer came too late"))
                    : result;
        }

        private JsonRpcException timedOut(Context context, String outcome) {
            return new JsonRpcException(ErrorCodes.UPSTREAM_TIMEOUT, "Tool '" + context.toolName + "' of in-process"
                    + " plugin '" + info.name() + "' did not finish within " + context.options.timeout() + "; "
                    + outcome);
        }

        private CompletableFuture<JsonNode> closing() {
            return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.GATEWAY_CLOSED,
                    "in-process plugin '" + info.name() + "' is closing with the gateway"));
        }

        private void run(ToolHandler handler, JsonNode args, Context context, CompletableFuture<JsonNode> result) {
            try {
                CallToolResult value = handler.call(args, context);
                if (value == null) {
                    throw new IllegalStateException("the handler returned null instead of a CallToolResult");
                }
                result.complete(value.json());
            } catch (JsonRpcException e) {
                result.completeExceptionally(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(e);
            } catch (Exception | LinkageError | AssertionError e) {
                // A failing tool is a tool-level error the model can read, not a protocol error (MCP spec).
                log.debug("In-process tool {} of {} failed", context.toolName, info.name(), e);
                result.complete(CallToolResult.error(e.getMessage() != null ? e.getMessage() : e.toString()).json());
            } catch (Throwable e) { // any other Error (StackOverflowError...): fail the call now, not at its timeout
                // or up the caller's stack. What it says goes to the log only, as for any internal error.
                log.warn("In-process tool {} of {} failed: {}", context.toolName, info.name(), e.toString());
                result.completeExceptionally(new JsonRpcException(ErrorCodes.INTERNAL_ERROR, "In-process tool '"
                        + context.toolName + "' of plugin '" + info.name() + "' failed with an error; see the gateway's"
                        + " log", null, null, e));
            }
        }

        private ObjectNode listTools() {
            ObjectNode result = Json.object();
            var array = result.putArray("tools");
            for (Tool tool : plugin.tools().values()) {
                array.add(tool.json());
            }
            return result;
        }

        @Override
        public void notify(String method, JsonNode params) {
            // In-process handlers take no notifications: cancellation reaches them through ToolContext.
        }

        @Override
        public String protocolVersion() {
            return PROTOCOL_VERSION;
        }

        @Override
        public ServerCapabilities capabilities() {
            ObjectNode caps = Json.object();
            caps.putObject("tools");
            return new ServerCapabilities(caps);
        }

        @Override
        public Implementation serverInfo() {
            return info;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** Per-call context handed to a handler. */
    private static final class Context implements ToolContext {
        private final String toolName;
        private final CallOptions options;
        private final JsonNode progressToken;
        /** Whether the handler runs on the caller's thread, where no timer tells it of the timeout. */
        private final boolean onCallerThread;
        private final long startedNanos;
        private volatile boolean cancelled;

        Context(String toolName, CallOptions options, JsonNode progressToken, boolean onCallerThread) {
            this.toolName = toolName;
            this.options = options;
            this.progressToken = progressToken;
            this.onCallerThread = onCallerThread;
            this.startedNanos = onCallerThread ? System.nanoTime() : 0; // a timer tells a handler on its own thread
        }

        /** Whether the timeout of a handler on the caller's thread has passed; never for one on its own thread. */
        boolean timedOut() {
            return onCallerThread && System.nanoTime() - startedNanos >= options.timeout().toNanos();
        }

        @Override
        public String toolName() {
            return toolName;
        }

        @Override
        public void progress(double progress, Double total, String message) {
            if (options.progress() == null) {
                return;
            }
            ObjectNode params = Json.object();
            if (progressToken != null) {
                params.set("progressToken", progressToken);
            }
            params.put("progress", progress);
            if (total != null) {
                params.put("total", total);
            }
            if (message != null) {
                params.put("message", message);
            }
            options.progress().accept(params);
        }

        @Override
        public boolean isCancelled() {
            return cancelled || Thread.currentThread().isInterrupted() || timedOut();
        }
    }
}
