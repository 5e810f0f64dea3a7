package dev.mcpgateway.internal.balancer;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.Picker;
import java.util.List;

/**
 * Least connections: the endpoint with the fewest calls in flight. Each scan starts one position further than the
 * last, so endpoints with equally few calls take turns instead of the first one taking everything.
 */
public final class LeastConnectionsBalancer extends BaseBalancer {
    /** The only instance; the strategy itself holds no state. */
    public static final LeastConnectionsBalancer INSTANCE = new LeastConnectionsBalancer();

    private LeastConnectionsBalancer() {
        super("least-connections");
    }

    @Override
    Picker build(Picker previous, List<Endpoint> endpoints) {
        return new LeastConnectionsPicker(endpoints, previous);
    }

    /** Scans every endpoint once from a rotating start and keeps the first with the fewest calls in flight. */
    static final class LeastConnectionsPicker extends RotatingPicker {
        LeastConnectionsPicker(List<Endpoint> endpoints, Picker previous) {
            super(endpoints, previous);
        }

        @Override
        public Endpoint pick() {
            int n = endpoints.size();
            int index = nextIndex();
            Endpoint best = null;
            int bestInFlight = Integer.MAX_VALUE;
            // Each count is read exactly once, so the choice is a true minimum of the values this scan saw.
            for (int k = 0; k < n; k++) {
                Endpoint candidate = endpoints.get(index);
                int inFlight = candidate.stats().inFlight();
                if (inFlight < bestInFlight) {
                    best = candidate;
                    bestInFlight = inFlight;
                }
                if (++index == n) {
                    index = 0;
                }
            }
            return best;
        }
    }
}
