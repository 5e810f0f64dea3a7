package dev.mcpgateway.health;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.balancer.Picker;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps instances that cannot take traffic away from a load balancer: a decorator, so no balancing
 * strategy has to know about status or health (gRPC's health-checking-as-a-decorator idea).
 */
public final class HealthFilter implements LoadBalancer {
    private final LoadBalancer delegate;

    private HealthFilter(LoadBalancer delegate) {
        this.delegate = delegate;
    }

    /** Wraps a strategy so its pickers only ever see routable instances (status UP, not UNHEALTHY). */
    public static LoadBalancer routableOnly(LoadBalancer delegate) {
        return delegate instanceof HealthFilter ? delegate : new HealthFilter(delegate);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Picker newPicker(Picker previous, List<Endpoint> endpoints) {
        List<Endpoint> routable = new ArrayList<>(endpoints.size());
        for (Endpoint endpoint : endpoints) {
            if (endpoint.instance().isRoutable()) {
                routable.add(endpoint);
            }
        }
        return routable.isEmpty() ? Picker.EMPTY : delegate.newPicker(previous, routable);
    }
}
