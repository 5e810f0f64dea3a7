package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
import dev.mcpgateway.registry.UnknownInstanceException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How API routes wait for the gateway: its registry changes, drains and tool calls complete futures, and a route
 * answers once they do, on its request's own thread (a virtual thread in the built-in server, a container thread in
 * the servlet), as the MCP endpoint waits for its calls. A wait is bounded by its timeout and released at once when
 * the front door closes ({@code 503}), so closing never waits for a drain. Failures become problem documents:
 * an unknown instance {@code 404}, an invalid value {@code 400}, a timeout {@code 504}, a closed gateway {@code 503},
 * a registry change the registry store could not keep {@code 503} with {@code Retry-After: 5},
 * a JSON-RPC failure by {@link #problemOf(JsonRpcException)}. Thread-safe.
 */
final class Waits implements AutoCloseable {
    private final Set<CompletableFuture<?>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * The future's value, waiting at most {@code timeout} (a timeout is {@code 503}: the gateway did not get round to
     * the request, which may still take effect).
     *
     * @throws ProblemException for a failure that has a problem document
     */
    <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        CompletableFuture<T> copy = future.copy(); // released on close without completing the gateway's own future
        waiting.add(copy);
        try {
            if (closed) {
                throw closing();
            }
            return copy.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw ProblemException.of(503, "The gateway did not " + what + " within " + timeout.toSeconds()
                    + " s; it may still do so: check before retrying");
        } catch (ExecutionException | CompletionException e) {
            throw translate(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw closing();
        } finally {
            waiting.remove(copy);
        }
    }

    /** Fails every wait with {@code 503}; later waits fail at once. */
    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<?> wait : waiting) {
            wait.completeExceptionally(closing());
        }
    }

    private static ProblemException closing() {
        return ProblemException.of(503, "The gateway is shutting down; what was asked may or may not have been done");
    }

    /** The problem of a failure, or the failure itself (a fault, answered 500 and logged) when it has none. */
    static RuntimeException translate(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return switch (cause) {
            case ProblemException problem -> problem;
            case UnknownInstanceException unknown -> ProblemException.of(404, "No instance '" + unknown.instanceId()
                    + "' is registered (it may have been deregistered, or its lease expired)");
            // Nothing of the change was made (the registry applies only what the store kept): retrying is safe.
            case RegistryStoreUnavailableException unkept -> new ProblemException(Problem.of(503, "The change (a "
                    + "registration, drain or rule replacement) could not be stored, so nothing was changed; retry").withHeader("Retry-After", "5"));
            case JsonRpcException rpc -> new ProblemException(problemOf(rpc));
            case TimeoutException timeout -> ProblemException.of(504, timeout.getMessage());
            case IllegalArgumentException invalid -> ProblemException.of(400, invalid.getMessage());
            case IllegalStateException closed -> ProblemException.of(503, closed.getMessage());
            case RuntimeException other -> other;
            default -> new CompletionException(cause);
        };
    }

    /**
     * The problem of a failed tool call: no healthy or matching instance, overload ({@code Retry-After: 1}) or a
     * closed gateway {@code 503}, a caller over its rate limits {@code 429} (with the limiter's {@code Retry-After}),
     * a plugin that timed out {@code 504}, one that could not be reached or answered with an error of its own
     * {@code 502}, an unknown tool or invalid params {@code 404}/{@code 400}. The JSON-RPC code is kept as
     * {@code code}.
     */
    static RouteReply problemOf(JsonRpcException failure) {
        int status = switch (failure.code()) {
            case ErrorCodes.NO_HEALTHY_INSTANCE, ErrorCodes.NO_MATCHING_INSTANCE, ErrorCodes.OVERLOADED,
                 ErrorCodes.GATEWAY_CLOSED -> 503;
            case ErrorCodes.RATE_LIMITED -> 429; // the caller is over its share; the gateway itself is fine
            case ErrorCodes.UPSTREAM_TIMEOUT -> 504;
            case ErrorCodes.INVALID_PARAMS -> 400;
            default -> 502; // the plugin's own error, or its connection's
        };
        RouteReply reply = Problem.of(status, failure.getMessage());
        com.fasterxml.jackson.databind.node.ObjectNode body =
                (com.fasterxml.jackson.databind.node.ObjectNode) reply.body();
        body.put("code", failure.code());
        return switch (failure.code()) {
            case ErrorCodes.OVERLOADED -> reply.withHeader("Retry-After", "1");
            case ErrorCodes.RATE_LIMITED -> {
                // The limiter knows when the next token is due; it said so in the error's data.
                long seconds = failure.data() == null ? 1
                        : Math.max(1, failure.data().path("retryAfterSeconds").asLong(1));
                body.put("retryAfterSeconds", seconds);
                yield reply.withHeader("Retry-After", Long.toString(seconds));
            }
            default -> reply;
        };
    }
}
