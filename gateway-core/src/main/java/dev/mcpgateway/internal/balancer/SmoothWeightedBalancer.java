package dev.mcpgateway.internal.balancer;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.Picker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nginx's smooth weighted round-robin: every pick adds each endpoint's weight to its current weight, chooses the
 * largest current weight and subtracts the total weight from it. Shares are exactly proportional to the weights and
 * evenly interleaved (weights 5, 1, 1 give {@code a a b a c a a}). Current weights survive picker rebuilds for the
 * endpoints that remain, so frequent routing-table changes do not bias the shares. With all weights equal the
 * sequence is plain round-robin, so that case uses the lock-free round-robin picker.
 */
public final class SmoothWeightedBalancer extends BaseBalancer {
    /** The only instance; the strategy itself holds no state. */
    public static final SmoothWeightedBalancer INSTANCE = new SmoothWeightedBalancer();

    private SmoothWeightedBalancer() {
        super("weighted");
    }

    @Override
    Picker build(Picker previous, List<Endpoint> endpoints) {
        return allWeightsEqual(endpoints)
                ? RoundRobinBalancer.INSTANCE.build(previous, endpoints)
                : new SmoothWeightedPicker(endpoints, previous);
    }

    private static boolean allWeightsEqual(List<Endpoint> endpoints) {
        int weight = endpoints.get(0).weight();
        for (Endpoint endpoint : endpoints) {
            if (endpoint.weight() != weight) {
                return false;
            }
        }
        return true;
    }

    /**
     * Holds the current weights and updates them under a small lock. The lock is fine here: the critical section is
     * n additions and comparisons with no allocation, no calls out and no blocking, so it is held for nanoseconds
     * (and pins a virtual thread only that long). A lock-free variant would have to swap in a fresh copy of the
     * whole array on every pick, allocating on the hot path and retrying under contention.
     */
    static final class SmoothWeightedPicker extends BasePicker {
        private final int[] weights;
        private final long totalWeight;
        /** Guarded by itself. Longs: with weights up to a million and many endpoints, sums may pass an int. */
        private final long[] currentWeights;

        SmoothWeightedPicker(List<Endpoint> endpoints, Picker previous) {
            super(endpoints);
            int n = endpoints.size();
            weights = new int[n];
            long total = 0;
            for (int i = 0; i < n; i++) {
                weights[i] = endpoints.get(i).weight();
                total += weights[i];
            }
            totalWeight = total;
            currentWeights = new long[n];
            if (previous instanceof SmoothWeightedPicker old) {
                // Endpoints that remain keep their place in the interleaving; new ones start at 0. The remaining
                // current weights need not sum to 0: shifting all of them alike never changes which one is largest.
                Map<String, Long> carried = old.currentWeightsById();
                for (int i = 0; i < n; i++) {
                    currentWeights[i] = carried.getOrDefault(endpoints.get(i).id(), 0L);
                }
            }
        }

        @Override
        public Endpoint pick() {
            int best = 0;
            synchronized (currentWeights) {
                long bestCurrent = Long.MIN_VALUE;
                for (int i = 0; i < currentWeights.length; i++) {
                    long current = currentWeights[i] += weights[i];
                    if (current > bestCurrent) {
                        bestCurrent = current;
                        best = i;
                    }
                }
                currentWeights[best] -= totalWeight;
            }
            return endpoints.get(best);
        }

        private Map<String, Long> currentWeightsById() {
            Map<String, Long> byId = new HashMap<>();
            synchronized (currentWeights) {
                for (int i = 0; i < currentWeights.length; i++) {
                    byId.put(endpoints.get(i).id(), currentWeights[i]);
                }
            }
            return byId;
        }
    }
}
