package dev.mcpgateway.health;

import dev.mcpgateway.registry.Registry;

/**
 * Decides which instances are healthy. A monitor watches the registry (through its listeners) and reports
 * its conclusions with {@link Registry#reportHealth}; the control loop turns them into a new routing table,
 * where a {@link HealthFilter} keeps unhealthy instances out of every balancer.
 */
public interface HealthMonitor extends AutoCloseable {

    /** Starts monitoring; called once by the gateway when it starts. */
    void start(Registry registry);

    /** Stops every probe and thread the monitor started. */
    @Override
    void close();
}
