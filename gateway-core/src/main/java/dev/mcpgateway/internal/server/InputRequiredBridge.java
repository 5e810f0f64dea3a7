package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.server.MessageSink;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Legacy plugin, 2026-07-28 client: a plugin of an older version asks its client mid-request (elicitation, sampling,
 * roots) with a JSON-RPC request, which the stateless era forbids on a response stream. The bridge ends the client's
 * request ({@code tools/call}, {@code prompts/get} or {@code resources/read}) with an {@code input_required} result
 * carrying those requests and a sealed {@code requestState}, keeps the plugin's request open, and lets the client's
 * retry (same request, that state, {@code inputResponses}) answer the plugin and wait for what it does next: its
 * result, or more questions. A call nobody retries is ended after
 * {@code inputRequiredTimeout}: the plugin's pending requests are answered with an error and its call cancelled; at
 * most {@code maxSuspendedCalls} wait at once.
 */
final class InputRequiredBridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InputRequiredBridge.class);

    private final RequestStates states = new RequestStates();
    private final Map<String, Call> suspended = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final int maxSuspended;
    /** Starts every call id, and so every state this gateway seals: tells gateways sharing sessions whose it is. */
    private final String callIdPrefix;

    /** @param gatewayTag this gateway's tag among those sharing sessions ({@link SharedSessions#gatewayTag()}) */
    InputRequiredBridge(ScheduledExecutorService timer, Duration timeout, int maxSuspended, String gatewayTag) {
        this.callIdPrefix = gatewayTag + ":c";
        this.timer = timer;
        this.timeout = timeout;
        this.maxSuspended = maxSuspended;
    }

    /** Whether a {@code requestState} is one of the gateway's own (else it is a plugin's, passed through). */
    static boolean isOwn(String requestState) {
        return requestState != null && requestState.startsWith(RequestStates.PREFIX);
    }

    /**
     * Serves a 2026-07-28 client's request whose plugin may ask it for input: the retry that a sealed
     * {@code requestState} of the gateway's names resumes its suspended call; any other request starts a new one.
     * A result asking for input the client did not declare a capability for is refused with -32021 (in the round
     * itself, with no stage after it per call).
     *
     * @param target      the tool, prompt or resource the request names: with its method, what the request is about,
     *                    sealed into its states (built only then: most calls never suspend)
     * @param pluginState whether the request's {@code requestState} is a plugin's own (pinned), never to be resumed
     * @param send        sends the request to a plugin for the call started, whose client it must be; cancelling
     *                    what it returns must reach the plugin
     * @param result      the client's result of the plugin's answer, read as the answer arrives (so no stage after
     *                    it per call)
     */
    <T> CompletableFuture<JsonNode> serve(Incoming in, String target, boolean pluginState,
                                          Function<Call, CompletableFuture<T>> send,
                                          Function<? super T, JsonNode> result) {
        JsonNode params = in.params();
        String state = params.path("requestState").textValue();
        JsonNode token = params.path("_meta").get("progressToken");
        JsonNode capabilities = in.session().clientCapabilities();
        CompletableFuture<JsonNode> round;
        if (!pluginState && isOwn(state)) {
            round = resume(state, subject(in.method(), target)).retry(params.get("inputResponses"), capabilities,
                    in.stream(), token);
        } else {
            Call call = new Call(ids.incrementAndGet(), in.method(), target, capabilities, in.stream(), token);
            call.upstream(send.apply(call), result);
            round = call.round();
        }
        return in.session().tracked(in.request(), round);
    }

    /**
     * The suspended call a retry names.
     *
     * @throws JsonRpcException -32602 when the state is not valid for this request or its call has ended
     */
    private Call resume(String requestState, String subject) {
        String id = states.open(requestState, subject, System.currentTimeMillis());
        Call call = suspended.get(id);
        if (call == null) {
            throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "Invalid requestState: the call it belongs to has"
                    + " ended (answered, cancelled, or not retried within " + timeout + "); send the request again"
                    + " without requestState and inputResponses");
        }
        return call;
    }

    /** What a request is about, as its states seal it: its method and the tool, prompt or resource it names. */
    private static String subject(String method, String target) {
        return method + " " + target;
    }

    /**
     * The tag of the gateway whose suspended call a request's {@code requestState} names, when it is another's than
     * {@code ownTag}: the retry must be served there. Null for a request to serve here.
     */
    static String servedElsewhere(JsonNode params, String ownTag) {
        String state = params == null ? null : params.path("requestState").textValue();
        String issuer = isOwn(state) ? RequestStates.issuer(state) : null;
        return issuer == null || issuer.equals(ownTag) ? null : issuer;
    }

    /** Calls waiting for their client's retry; for tests and dashboards. */
    int suspendedCalls() {
        return suspended.size();
    }

    /** Ends every waiting call as if it had timed out. */
    @Override
    public void close() {
        for (Call call : suspended.values()) {
            call.expire("the gateway's MCP server is shutting down");
        }
    }

    /** A plugin's request sent to the client within an input_required result, and what the plugin waits on. */
    private record Question(JsonRpcRequest request, CompletableFuture<JsonNode> answer) {
    }

    /** One request of a 2026-07-28 client, over as many client requests (rounds) as the plugin asks questions. */
    final class Call {
        /** The call's number among the bridge's, which its id is made of. */
        private final long number;
        /**
         * Names the call in {@code suspended} and in its states: built when the call first suspends, as most never
         * do, so a call without one was never in {@code suspended}. Guarded by the call's lock.
         */
        private String id;
        /** The client request's method and what it names: what the call is about, as its states seal it. */
        private final String method;
        private final String target;
        /**
         * The plugin's requests the client has not answered yet, with what the plugin waits on for each, by the key
         * the client sees them under; created on the first question (most calls ask none).
         */
        private Map<String, Question> questions;
        private int asked;
        private CompletableFuture<JsonNode> round;
        private CompletableFuture<?> upstream;
        private boolean finished;
        private JsonNode result;
        private Throwable error;
        private ScheduledFuture<?> expiry;
        private volatile JsonNode capabilities;
        private volatile MessageSink stream;
        private volatile JsonNode progressToken;

        private Call(long number, String method, String target, JsonNode capabilities, MessageSink stream,
                     JsonNode progressToken) {
            this.number = number;
            this.method = method;
            this.target = target;
            this.capabilities = capabilities;
            this.stream = stream;
            this.progressToken = progressToken;
            this.round = new Round();
        }

        /** What the client's current request is answered with: the plugin's result or an {@code input_required}. */
        private synchronized CompletableFuture<JsonNode> round() {
            return round;
        }

        /** The stream of the client's current request. */
        MessageSink stream() {
            return stream;
        }

        /** The progress token of the client's current request, or null. */
        JsonNode progressToken() {
            return progressToken;
        }

        /** The capabilities the client declared in its latest request. */
        JsonNode capabilities() {
            return capabilities;
        }

        /**
         * Follows the gateway's request to the plugin: its outcome ends the call; it is cancelled when the client
         * gives up mid-round or never retries.
         */
        private synchronized <T> void upstream(CompletableFuture<T> request, Function<? super T, JsonNode> result) {
            this.upstream = request;
            if (round.isCancelled()) {
                request.cancel(false);
                return;
            }
            request.whenComplete((answer, failure) -> {
                if (failure != null) {
                    finish(null, failure);
                    return;
                }
                JsonNode json;
                try {
                    json = result.apply(answer);
                } catch (RuntimeException e) {
                    finish(null, e);
                    return;
                }
                finish(json, null);
            });
        }

        /**
         * A plugin's request during this call: sent to the client within an {@code input_required} result (now, or
         * with the next round if the client is still answering others); completes with the client's answer.
         */
        synchronized CompletableFuture<JsonNode> ask(JsonRpcRequest request) {
            if (finished) {
                return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.INTERNAL_ERROR,
                        "The call this request belongs to has ended"));
            }
            if ((id == null || !suspended.containsKey(id)) && suspended.size() >= maxSuspended) {
                log.warn("{} calls are waiting for their clients' input; answering a plugin's '{}' with an error",
                        maxSuspended, request.method());
                return CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.OVERLOADED, "The gateway has "
                        + maxSuspended + " calls waiting for their clients' input already; '" + request.method()
                        + "' is refused"));
            }
            String key = "input-" + (++asked);
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            if (questions == null) {
                questions = new LinkedHashMap<>();
            }
            questions.put(key, new Question(request, answer));
            if (!round.isDone()) {
                suspend();
            }
            return answer;
        }

        /**
         * The client's retry: answers the questions it answered and returns what this retry waits on. Questions
         * left unanswered are asked again at once, as the spec asks of a server missing input.
         */
        private synchronized CompletableFuture<JsonNode> retry(JsonNode inputResponses, JsonNode newCapabilities,
                                                       MessageSink newStream, JsonNode newProgressToken) {
            if (expiry != null) {
                expiry.cancel(false);
            }
            capabilities = newCapabilities;
            stream = newStream;
            progressToken = newProgressToken;
            round = new Round();
            if (inputResponses != null && inputResponses.isObject() && questions != null) {
                questions.entrySet().removeIf(entry -> {
                    JsonNode response = inputResponses.get(entry.getKey());
                    if (response == null) {
                        return false;
                    }
                    entry.getValue().answer().complete(response);
                    return true;
                });
            }
            if (finished) {
                unsuspend();
                settle();
            } else if (questions != null && !questions.isEmpty()) {
                suspend();
            } else {
                unsuspend();
            }
            return round;
        }

        /** Ends this call as the plugin ended it; a client not yet back gets the outcome on its retry. */
        private synchronized void finish(JsonNode value, Throwable failure) {
            finished = true;
            result = value;
            error = failure;
            forgetQuestions(question -> question.answer().cancel(false)); // the plugin no longer waits for them
            if (!round.isDone()) {
                unsuspend();
                if (expiry != null) {
                    expiry.cancel(false);
                }
                settle();
            }
        }

        private void settle() {
            if (error != null) {
                round.completeExceptionally(error);
            } else {
                answerRound(result);
            }
        }

        /**
         * Ends the current round with a result, refused (-32021) if it asks for input the client did not declare it
         * can give.
         */
        private void answerRound(JsonNode result) {
            try {
                round.complete(InputRequests.requireDeclared(result, capabilities));
            } catch (RuntimeException refused) {
                round.completeExceptionally(refused);
            }
        }

        /** Ends the current round with the unanswered questions, and waits (bounded) for the client's retry. */
        private void suspend() {
            ObjectNode interim = Json.object().put("resultType", "input_required");
            ObjectNode requests = interim.putObject("inputRequests");
            questions.forEach((key, question) -> {
                JsonRpcRequest request = question.request();
                ObjectNode entry = requests.putObject(key).put("method", request.method());
                if (request.params() != null) {
                    entry.set("params", request.params());
                }
            });
            if (id == null) {
                id = callIdPrefix + number;
            }
            interim.put("requestState", states.seal(id, subject(method, target),
                    System.currentTimeMillis() + timeout.toMillis()));
            suspended.put(id, this);
            expiry = timer.schedule(() -> expire("the client did not retry within " + timeout), timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
            answerRound(interim);
        }

        /** Gives up on a call the client never came back for: the plugin is answered with an error and cancelled. */
        private synchronized void expire(String why) {
            if (!round.isDone() || !unsuspend()) {
                return; // the client came back meanwhile
            }
            log.info("Ending a request ({}) that waits for its client's input: {}", subject(method, target), why);
            forgetQuestions(question -> question.answer().completeExceptionally(new JsonRpcException(
                    ErrorCodes.INTERNAL_ERROR, "The client did not answer: " + why)));
            if (upstream != null) {
                upstream.cancel(false);
            }
        }

        /** Ends what the plugin waits on for each open question, and forgets them. */
        private void forgetQuestions(Consumer<Question> end) {
            if (questions != null) {
                questions.values().forEach(end);
                questions.clear();
            }
        }

        /**
         * A round a client waits on; the client giving up mid-round (not between rounds) cancels the plugin's call.
         * Only {@link #cancel} cancels a round (the session's end, the client's cancellation), so it is watched there
         * rather than by a stage on every round.
         */
        private final class Round extends CompletableFuture<JsonNode> {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                if (cancelled) {
                    cancelUpstream();
                }
                return cancelled;
            }
        }

        /** Takes the call out of {@code suspended}; returns whether it was there. */
        private boolean unsuspend() {
            return id != null && suspended.remove(id, this);
        }

        private synchronized void cancelUpstream() {
            unsuspend();
            if (upstream != null) {
                upstream.cancel(false);
            }
        }
    }
}
