package dev.mcpgateway.internal.balancer;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.balancer.Picker;
import java.util.List;

/** PLACEHOLDER, replaced by the balancer work. */
public final class RoundRobinBalancer implements LoadBalancer {
    public static final RoundRobinBalancer INSTANCE = new RoundRobinBalancer();

    @Override
    public String name() {
        return "todo";
    }

    @Override
    public Picker newPicker(Picker previous, List<Endpoint> endpoints) {
        throw new UnsupportedOperationException();
    }
}
