package dev.mcpgateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.auth.Authenticated;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Per-request settings for a call sent to a plugin.
 *
 * @param timeout  how long to wait for the answer; on expiry the connection sends {@code notifications/cancelled}
 *                 upstream and fails the call with {@code UPSTREAM_TIMEOUT}
 * @param progress receives the params of each {@code notifications/progress} the plugin sends for this call,
 *                 or null when the caller does not want progress
 * @param onBehalfOf the client the call is made for, whose token a plugin using token exchange receives exchanged;
 *                 null for a request the gateway makes on its own (handshake, listing, health probe)
 */
public record CallOptions(Duration timeout, Consumer<JsonNode> progress, Authenticated onBehalfOf) {
    public CallOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a call timeout must be positive, got " + timeout);
        }
    }

    /** A call the gateway makes on its own, with a progress listener (or null). */
    public CallOptions(Duration timeout, Consumer<JsonNode> progress) {
        this(timeout, progress, null);
    }

    /** These options for a call made on behalf of a client. */
    public CallOptions onBehalfOf(Authenticated client) {
        return new CallOptions(timeout, progress, client);
    }

    /** A call with this timeout and no progress listener. */
    public static CallOptions timeout(Duration timeout) {
        return new CallOptions(timeout, null);
    }
}
