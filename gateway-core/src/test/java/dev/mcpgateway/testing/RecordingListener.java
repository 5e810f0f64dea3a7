package dev.mcpgateway.testing;

import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import java.util.ArrayList;
import java.util.List;

/** Records every control-plane event, for assertions on what happened and in which order. */
public final class RecordingListener implements GatewayListener {
    private final List<GatewayEvent> events = new ArrayList<>();

    @Override
    public synchronized void onEvent(GatewayEvent event) {
        events.add(event);
    }

    /** Every event so far, oldest first. */
    public synchronized List<GatewayEvent> events() {
        return List.copyOf(events);
    }

    /** The events of one type so far, oldest first. */
    public synchronized <T extends GatewayEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Forgets what was recorded. */
    public synchronized void clear() {
        events.clear();
    }
}
