package dev.mcpgateway.internal.pipeline;

import static dev.mcpgateway.internal.Futures.unwrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.CallLimits;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.internal.ToolCallPlumbing;
import dev.mcpgateway.internal.health.OutlierDetector;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.AccessLogOptions;
import dev.mcpgateway.pipeline.CallInterceptor;
import dev.mcpgateway.routing.Router;
import dev.mcpgateway.routing.RoutingException;
import dev.mcpgateway.trace.TraceContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The data-plane path of a tool call: the gateway's span of the call in its trace, call interceptors (the access log
 * when it is on, the host's, then the rate limits when set, which the data plane passes as the last of the host's;
 * the gateway-wide cap on calls in flight, the retry policy), routing, attempt interceptors (the host's, the attempts
 * in flight that fail fast when their instance turns unhealthy, the per-instance cap, outlier detection, the
 * instance's load figures), and the send. The chain is built once; a call allocates one scope and a link per
 * interceptor it passes.
 */
public final class CallPipeline {
    private static final String[] NO_INSTANCES = {};
    /**
     * Sends one routed attempt to its instance: the plugin's raw answer (cancelling it cancels the request upstream),
     * which the pipeline maps to a result or a {@code JsonRpcException}.
     */
    public interface Sender {
        CompletableFuture<JsonNode> send(ToolCall call, Router.Routed routed);
    }

    private final List<CallInterceptor> callInterceptors;
    private final List<CallInterceptor> attemptInterceptors;
    private final Function<ToolCall, Router.Routed> routing;
    private final Sender sender;

    /**
     * @param accessLog               whether calls are logged, one line each
     * @param hostCallInterceptors    the host's call interceptors, outermost first
     * @param hostAttemptInterceptors the host's attempt interceptors, outermost first
     * @param limits                  how many calls may be in flight, in all and per instance
     * @param trustsAnnotations       whether a plugin's tool annotations are trusted for retries, by plugin name
     * @param timer                   where waits for room time out
     * @param router                  the router (the retry policy reads its table)
     * @param inFlight                the attempts in flight, failed fast when their instance turns unhealthy; null
     *                                to let them run their course
     * @param outliers                outlier detection, or null when it is off
     * @param routing                 routes a call: by name, or to the instance it is pinned to
     */
    public CallPipeline(AccessLogOptions accessLog, List<CallInterceptor> hostCallInterceptors,
                        List<CallInterceptor> hostAttemptInterceptors, CallLimits limits, Predicate<String> trustsAnnotations, ScheduledExecutorService timer,
                        Router router, InFlightAttempts inFlight,
                        OutlierDetector outliers, Function<ToolCall, Router.Routed> routing, Sender sender) {
        List<CallInterceptor> calls = new ArrayList<>();
        if (accessLog.logsAny()) {
            calls.add(new AccessLogInterceptor(accessLog, () -> ThreadLocalRandom.current().nextDouble(),
                    pluginOf(router), System::nanoTime));
        }
        calls.addAll(hostCallInterceptors);
        calls.add(new AdmissionInterceptor(limits.maxInFlight(), limits.maxWait(), timer));
        calls.add(new RetryInterceptor(router, new RetryBudget(limits.retryRatio()), trustsAnnotations));
        List<CallInterceptor> attempts = new ArrayList<>(hostAttemptInterceptors);
        if (inFlight != null) {
            attempts.add(inFlight);
        }
        attempts.add(new InstanceLimitInterceptor(limits.maxInFlightPerInstance()));
        if (outliers != null) {
            attempts.add(new OutlierInterceptor(outliers)); // inside the cap: it sees only attempts that are sent
        }
        attempts.add(new EndpointStatsInterceptor());
        this.callInterceptors = List.copyOf(calls);
        this.attemptInterceptors = List.copyOf(attempts);
        this.routing = routing;
        this.sender = sender;
    }

    /** The plugin of an instance id in the router's table, or null when the instance is gone. */
    public static Function<String, String> pluginOf(Router router) {
        return instance -> {
            var known = router.table().instances().get(instance);
            return known == null ? null : known.pluginName();
        };
    }

    /**
     * Runs a call through the chain; cancelling the result cancels the attempt in flight. The call first gets the
     * gateway's own span ({@link #withOwnSpan}), so every interceptor and every plugin sees the same context for it.
     */
    public CompletableFuture<CallToolResult> execute(ToolCall caller) {
        return executeInSpan(withOwnSpan(caller));
    }

    /**
     * The call in the gateway's own span: a new parent-id under the caller's trace, or a new trace when the caller
     * sent none.
     */
    public static ToolCall withOwnSpan(ToolCall caller) {
        TraceContext parent = caller.trace();
        return caller.withTrace(parent == null ? TraceContext.newTrace(ThreadLocalRandom.current())
                : parent.child(ThreadLocalRandom.current()));
    }

    /**
     * Runs a call whose {@link ToolCall#trace()} already is the gateway's span for it (a tracer's) through the chain;
     * see {@link #execute}.
     */
    public CompletableFuture<CallToolResult> executeInSpan(ToolCall call) {
        Scope scope = new Scope();
        CompletableFuture<CallToolResult> outcome;
        try {
            outcome = new CallLink(scope, 0, call).proceed(call);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete(scope);
        return scope;
    }

    /**
     * One call: its outcome as the caller sees it (cancelling it cancels the attempt in flight, whatever futures
     * the interceptors returned), and what its links share. One object per call, on the hot path.
     */
    private static final class Scope extends CompletableFuture<CallToolResult>
            implements BiConsumer<CallToolResult, Throwable> {
        private volatile CompletableFuture<JsonNode> inFlight;
        private volatile int attempts;
        /** The instance of the first attempt; the later ones (only retries have any) in {@link #retriedOn}. */
        private volatile String firstOn;
        private volatile String[] retriedOn = NO_INSTANCES;

        /** Records the instance an attempt goes to; attempts are sequential, so one writer at a time. */
        void attemptOn(String instanceId) {
            if (firstOn == null) {
                firstOn = instanceId;
            } else {
                String[] earlier = retriedOn;
                String[] more = Arrays.copyOf(earlier, earlier.length + 1);
                more[earlier.length] = instanceId;
                retriedOn = more;
            }
        }

        /** Whether an earlier attempt of this call went to the instance (and so failed there: it was retried). */
        boolean wasOn(String instanceId) {
            if (instanceId.equals(firstOn)) {
                return true;
            }
            for (String earlier : retriedOn) {
                if (earlier.equals(instanceId)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void accept(CallToolResult value, Throwable error) {
            if (error == null) {
                complete(value);
            } else {
                completeExceptionally(unwrap(error));
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            CompletableFuture<JsonNode> sent = inFlight;
            if (cancelled && sent != null) {
                sent.cancel(false);
            }
            return cancelled;
        }
    }

    /** A place in the call interceptors; past the last one, the call is routed. */
    private final class CallLink implements CallInterceptor.Chain {
        private final Scope scope;
        private final int index;
        private final ToolCall call;

        CallLink(Scope scope, int index, ToolCall call) {
            this.scope = scope;
            this.index = index;
            this.call = call;
        }

        @Override
        public ToolCall call() {
            return call;
        }

        @Override
        public Router.Routed routed() {
            return null;
        }

        @Override
        public int attempt() {
            return 0;
        }

        @Override
        public CompletableFuture<CallToolResult> proceed(ToolCall next) {
            if (scope.isCancelled()) {
                return CompletableFuture.failedFuture(new CancellationException("the call was cancelled"));
            }
            if (index < callInterceptors.size()) {
                return callInterceptors.get(index).intercept(new CallLink(scope, index + 1, next));
            }
            Router.Routed routed;
            try {
                routed = routing.apply(next);
                // A retry goes to another instance if the balancer offers one within as many picks as the route has
                // instances: the one this call failed on is likely still broken, only the routing table does not
                // know yet (a killed server refuses calls some milliseconds before it is ejected). Otherwise three
                // attempts could all land on it, and a read-only call fail that a healthy instance would have served.
                for (int picks = routed.route().endpoints().size(); picks > 0 && scope.firstOn != null
                        && scope.wasOn(routed.endpoint().id()); picks--) {
                    routed = routing.apply(next);
                }
            } catch (RoutingException e) {
                return CompletableFuture.failedFuture(e);
            }
            scope.attemptOn(routed.endpoint().id());
            Consumer<String> told = ToolCallPlumbing.routed(next);
            if (told != null) {
                told.accept(routed.endpoint().id());
            }
            return new AttemptLink(scope, 0, next, routed, ++scope.attempts).proceed(next); // attempts are sequential
        }
    }

    /** A place in the attempt interceptors; past the last one, the attempt is sent. */
    private final class AttemptLink implements CallInterceptor.Chain {
        private final Scope scope;
        private final int index;
        private final ToolCall call;
        private final Router.Routed routed;
        private final int attempt;

        AttemptLink(Scope scope, int index, ToolCall call, Router.Routed routed, int attempt) {
            this.scope = scope;
            this.index = index;
            this.call = call;
            this.routed = routed;
            this.attempt = attempt;
        }

        @Override
        public ToolCall call() {
            return call;
        }

        @Override
        public Router.Routed routed() {
            return routed;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public CompletableFuture<CallToolResult> proceed(ToolCall next) {
            if (index < attemptInterceptors.size()) {
                return attemptInterceptors.get(index).intercept(new AttemptLink(scope, index + 1, next, routed, attempt));
            }
            CompletableFuture<JsonNode> sent = sender.send(next, routed);
            scope.inFlight = sent;
            if (scope.isCancelled()) {
                sent.cancel(false); // cancelled while this attempt was being routed
            }
            Answer answer = new Answer(this, sent);
            sent.whenComplete(answer);
            return answer;
        }

        /** The plugin's answer as a result, or the failure as a {@code JsonRpcException} that says what failed. */
        CallToolResult result(JsonNode value, Throwable error) {
            Throwable cause = unwrap(error);
            if (cause instanceof JsonRpcException || cause instanceof CancellationException) {
                throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
            }
            String instance = routed.endpoint().id();
            if (cause != null) {
                throw new JsonRpcException(ErrorCodes.INTERNAL_ERROR, "Calling tool '" + call.name() + "' on " + instance
                        + " failed: " + cause, null, null, cause);
            }
            if (value == null || !value.isObject()) {
                throw new JsonRpcException(ErrorCodes.INTERNAL_ERROR, "Plugin instance '" + instance + "' answered"
                        + " tools/call with a " + (value == null ? "missing" : value.getNodeType()) + " result");
            }
            return new CallToolResult((ObjectNode) value);
        }
    }

    /**
     * What one sent attempt comes to: the plugin's answer as a result. Cancelling it cancels the request upstream, so an
     * attempt interceptor can give up on an attempt (one on an instance that turned unhealthy) and go on.
     */
    private static final class Answer extends CompletableFuture<CallToolResult>
            implements BiConsumer<JsonNode, Throwable> {
        private final AttemptLink link;
        private final CompletableFuture<JsonNode> sent;

        Answer(AttemptLink link, CompletableFuture<JsonNode> sent) {
            this.link = link;
            this.sent = sent;
        }

        @Override
        public void accept(JsonNode value, Throwable error) {
            try {
                complete(link.result(value, error));
            } catch (RuntimeException e) {
                completeExceptionally(e);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                sent.cancel(false);
            }
            return cancelled;
        }
    }

    /**
     * Whether an attempt's failure is its instance's fault: it timed out, or its instance could not be reached or its
     * connection broke. A JSON-RPC error from the plugin is an answer, and a call its caller cancelled says nothing
     * about the instance.
     */
    static boolean instanceFailed(Throwable cause) {
        return cause instanceof JsonRpcException rpc && (rpc.code() == ErrorCodes.UPSTREAM_TIMEOUT
                || rpc.code() == ErrorCodes.UPSTREAM_UNAVAILABLE);
    }
}
