package dev.mcpgateway.plugin;

/**
 * The administrative state of a plugin instance (Eureka's vocabulary). Only {@link #UP} instances take
 * traffic; health reported by a {@code HealthMonitor} is tracked apart from it.
 */
public enum InstanceStatus {
    /** Registered, still starting: not routable yet. */
    STARTING,
    /** In service: routable unless its health is {@code UNHEALTHY}. */
    UP,
    /** Deliberately taken out of rotation (maintenance, draining): not routable. */
    OUT_OF_SERVICE,
    /** Known to be down: not routable. */
    DOWN
}
