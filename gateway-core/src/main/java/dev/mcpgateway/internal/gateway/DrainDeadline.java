package dev.mcpgateway.internal.gateway;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.internal.routing.RoutingTableImpl;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** A drain that waits at most so long for an instance's calls: then it fails, naming the calls still in flight. */
public final class DrainDeadline {
    private DrainDeadline() {
    }

    /** The drain, failed with a {@link TimeoutException} if it has not completed within {@code timeout}. */
    public static CompletableFuture<PluginInstance> within(CompletableFuture<PluginInstance> drained, String instanceId,
                                                           Duration timeout, Supplier<RoutingTableImpl> table,
                                                           ScheduledExecutorService scheduler) {
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            Endpoint endpoint = table.get().endpoint(instanceId);
            int inFlight = endpoint == null ? 0 : endpoint.stats().inFlight();
            drained.completeExceptionally(new TimeoutException("instance '" + instanceId + "' still has " + inFlight
                    + " call(s) in flight after " + timeout + "; it stays OUT_OF_SERVICE"));
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        drained.whenComplete((instance, error) -> timer.cancel(false));
        return drained;
    }
}
