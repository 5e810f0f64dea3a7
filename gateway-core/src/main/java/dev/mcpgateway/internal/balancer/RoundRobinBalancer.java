package dev.mcpgateway.internal.balancer;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.Picker;
import java.util.List;

/** Round-robin: each endpoint in turn, lock-free, with the rotation carried across picker rebuilds. */
public final class RoundRobinBalancer extends BaseBalancer {
    /** The only instance; the strategy itself holds no state. */
    public static final RoundRobinBalancer INSTANCE = new RoundRobinBalancer();

    private RoundRobinBalancer() {
        super("round-robin");
    }

    @Override
    Picker build(Picker previous, List<Endpoint> endpoints) {
        return new RoundRobinPicker(endpoints, previous);
    }

    /** Picks the endpoint at the next position of the shared rotation. */
    static final class RoundRobinPicker extends RotatingPicker {
        RoundRobinPicker(List<Endpoint> endpoints, Picker previous) {
            super(endpoints, previous);
        }

        @Override
        public Endpoint pick() {
            return endpoints.get(nextIndex());
        }
    }
}
