package dev.mcpgateway.transport;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the gateway hands a {@link Transport} when it connects an instance: where to report what the plugin
 * sends, the gateway's scheduler (for timeouts and restarts; transports start no timer threads of their own)
 * and the session options.
 */
public record ConnectionContext(String instanceId, UpstreamListener listener, ScheduledExecutorService scheduler,
                                SessionOptions options) {
    public ConnectionContext {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(options, "options");
    }
}
