package dev.mcpgateway.internal.balancer;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.balancer.Picker;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What every strategy shares: its configuration name, the validated immutable copy of the endpoint list, and the
 * trivial cases (no endpoint, a single endpoint) that need no strategy at all. Subclasses only build pickers over two
 * or more endpoints.
 */
abstract sealed class BaseBalancer implements LoadBalancer
        permits RoundRobinBalancer, LeastConnectionsBalancer, SmoothWeightedBalancer, PowerOfTwoChoicesBalancer {

    private final String name;

    BaseBalancer(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Picker newPicker(Picker previous, List<Endpoint> endpoints) {
        Objects.requireNonNull(endpoints, "endpoints");
        requireDistinctIds(endpoints);
        List<Endpoint> copy = List.copyOf(endpoints);
        return switch (copy.size()) {
            case 0 -> Picker.EMPTY;
            // A lone endpoint needs no counters, randomness or locks: the common single-instance plugin stays free.
            case 1 -> new SingleEndpointPicker(copy);
            default -> build(previous, copy);
        };
    }

    /**
     * Builds this strategy's picker.
     *
     * @param previous  the picker being replaced, of any strategy, or null
     * @param endpoints an immutable list of at least two endpoints with distinct ids
     */
    abstract Picker build(Picker previous, List<Endpoint> endpoints);

    @Override
    public String toString() {
        return name;
    }

    // State carried from the previous picker is matched by id, so an id listed twice would be ambiguous.
    private static void requireDistinctIds(List<Endpoint> endpoints) {
        Set<String> seen = new HashSet<>();
        for (Endpoint endpoint : endpoints) {
            if (endpoint == null) {
                throw new IllegalArgumentException("the endpoint list contains null; pass only registered endpoints");
            }
            if (!seen.add(endpoint.id())) {
                throw new IllegalArgumentException("endpoint '" + endpoint.id()
                        + "' is listed twice; list each plugin instance once");
            }
        }
    }

    /** The picker over exactly one endpoint: always that one. */
    private static final class SingleEndpointPicker extends BasePicker {
        private final Endpoint only;

        SingleEndpointPicker(List<Endpoint> endpoints) {
            super(endpoints);
            this.only = endpoints.get(0);
        }

        @Override
        public Endpoint pick() {
            return only;
        }
    }
}
