package dev.mcpgateway.event;

/**
 * Observes control-plane changes. Called on the gateway's control loop, one event at a time and in order:
 * return quickly and never block on the gateway (for example by joining a registry future), or the loop
 * stalls. Exceptions are logged and do not reach other listeners.
 */
@FunctionalInterface
public interface GatewayListener {
    /** Called once per event. */
    void onEvent(GatewayEvent event);
}
