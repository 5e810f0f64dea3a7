package dev.mcpgateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
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
 */
public record CallOptions(Duration timeout, Consumer<JsonNode> progress) {
    public CallOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a call timeout must be positive, got " + timeout);
        }
    }

    /** A call with this timeout and no progress listener. */
    public static CallOptions timeout(Duration timeout) {
        return new CallOptions(timeout, null);
    }
}
