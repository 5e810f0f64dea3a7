package dev.mcpgateway.balancer;

import java.util.List;

/**
 * Chooses one endpoint for one call. A picker is built for a fixed endpoint list and never changes it;
 * when the list changes the routing table builds a new picker from the old one. {@link #pick()} is called
 * concurrently from many threads and must be fast and never block on the control plane.
 */
public interface Picker {
    /** A picker with no endpoints. */
    Picker EMPTY = new Picker() {
        @Override
        public Endpoint pick() {
            return null;
        }

        @Override
        public List<Endpoint> endpoints() {
            return List.of();
        }
    };

    /** The endpoint for the next call, or null when there is none. */
    Endpoint pick();

    /** The endpoints this picker chooses from, in a stable order. */
    List<Endpoint> endpoints();
}
