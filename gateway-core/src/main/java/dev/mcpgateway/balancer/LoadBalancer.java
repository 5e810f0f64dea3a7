package dev.mcpgateway.balancer;

import dev.mcpgateway.internal.balancer.LeastConnectionsBalancer;
import dev.mcpgateway.internal.balancer.PowerOfTwoChoicesBalancer;
import dev.mcpgateway.internal.balancer.RoundRobinBalancer;
import dev.mcpgateway.internal.balancer.SmoothWeightedBalancer;
import java.util.List;
import java.util.Locale;

/**
 * A load-balancing strategy: builds immutable {@link Picker}s for a list of endpoints. Pickers are rebuilt
 * on the control loop from (previous picker, new endpoints) so per-strategy state such as a round-robin
 * position or smooth-weighted current weights survives routing-table changes.
 */
public interface LoadBalancer {

    /** The strategy's name as used in configuration, e.g. {@code round-robin}. */
    String name();

    /**
     * Builds a picker over {@code endpoints}.
     *
     * @param previous  the picker this one replaces (for the same route), or null; it may be of another
     *                  strategy, in which case its state is ignored
     * @param endpoints the endpoints to choose from, in a stable order; may be empty
     */
    Picker newPicker(Picker previous, List<Endpoint> endpoints);

    /** Each endpoint in turn. */
    static LoadBalancer roundRobin() {
        return RoundRobinBalancer.INSTANCE;
    }

    /** The endpoint with the fewest calls in flight; ties are broken in rotation. */
    static LoadBalancer leastConnections() {
        return LeastConnectionsBalancer.INSTANCE;
    }

    /** Nginx's smooth weighted round-robin: shares proportional to weights, interleaved evenly. */
    static LoadBalancer weightedRoundRobin() {
        return SmoothWeightedBalancer.INSTANCE;
    }

    /** Power of two random choices, comparing calls in flight and latency average. */
    static LoadBalancer powerOfTwoChoices() {
        return PowerOfTwoChoicesBalancer.INSTANCE;
    }

    /** The names {@link #byName} accepts. */
    List<String> NAMES = List.of("round-robin", "least-connections", "weighted", "p2c");

    /**
     * The strategy with the given configuration name: {@code round-robin}, {@code least-connections},
     * {@code weighted} or {@code p2c}.
     *
     * @throws IllegalArgumentException naming the accepted values when the name is unknown
     */
    static LoadBalancer byName(String name) {
        return switch (name == null ? "" : name.strip().toLowerCase(Locale.ROOT)) {
            case "round-robin" -> roundRobin();
            case "least-connections" -> leastConnections();
            case "weighted", "weighted-round-robin" -> weightedRoundRobin();
            case "p2c", "power-of-two-choices" -> powerOfTwoChoices();
            default -> throw new IllegalArgumentException("unknown load balancer '" + name + "'; use one of " + NAMES);
        };
    }
}
