package dev.mcpgateway.health;

/**
 * What health checking last concluded about an instance. Only {@link #UNHEALTHY} takes an instance out of
 * rotation: an instance nobody has checked yet ({@link #UNKNOWN}) is routable.
 */
public enum Health {
    /** Not checked yet, or no health monitor runs. */
    UNKNOWN,
    /** The last checks passed. */
    HEALTHY,
    /** The checks failed: the instance leaves rotation until it recovers. */
    UNHEALTHY
}
