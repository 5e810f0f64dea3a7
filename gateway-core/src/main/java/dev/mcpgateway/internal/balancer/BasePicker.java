package dev.mcpgateway.internal.balancer;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.Picker;
import java.util.List;

/** A picker over a fixed, immutable endpoint list. */
abstract class BasePicker implements Picker {
    /** Immutable; indexed directly on the hot path (no iterator allocation). */
    final List<Endpoint> endpoints;

    BasePicker(List<Endpoint> endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public final List<Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + endpoints.stream().map(Endpoint::id).toList();
    }
}
