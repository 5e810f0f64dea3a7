package dev.mcpgateway.registry;

/** Thrown (through a failed future) when an operation names an instance id the registry does not hold. */
public final class UnknownInstanceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String instanceId;

    public UnknownInstanceException(String instanceId) {
        super("no instance with id '" + instanceId + "' is registered (it may have been deregistered or its lease expired;"
                + " register it again)");
        this.instanceId = instanceId;
    }

    /** The id that was not found. */
    public String instanceId() {
        return instanceId;
    }
}
