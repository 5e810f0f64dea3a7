package dev.mcpgateway.internal.balancer;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.Picker;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A picker that walks its endpoints in rotation with one lock-free counter shared by all threads. A picker that
 * replaces one of the same class shares its counter, so frequent rebuilds continue the rotation instead of
 * restarting it at endpoint 0, and picks still made on the old picker are not lost.
 */
abstract class RotatingPicker extends BasePicker {
    // A long cannot wrap in practice; an int would, after two billion picks, and skew the rotation once.
    private final AtomicLong position;

    RotatingPicker(List<Endpoint> endpoints, Picker previous) {
        super(endpoints);
        this.position = getClass().isInstance(previous) ? ((RotatingPicker) previous).position : new AtomicLong();
    }

    /** The next index in rotation (0, 1, …, n-1, 0, …) across all threads. */
    final int nextIndex() {
        return Math.floorMod(position.getAndIncrement(), endpoints.size());
    }
}
